import type { PeakMemory } from "./procmem.mts";

export type StepName = "create" | "no-op up" | "one-face change" | "refresh" | "destroy";
export const STEPS: readonly StepName[] = ["create", "no-op up", "one-face change", "refresh", "destroy"];

/** What the dynamic provider host spent, from bench/preload/profile.cjs. */
export interface HostProfile {
  readonly cpuMs: number;
  readonly uptimeMs: number;
  readonly requireMs: number;
  readonly sdk: { calls: number; ms: number };
  readonly methods: Record<string, { calls: number; ms: number }>;
}

export interface StepSample {
  readonly step: StepName;
  readonly rep: number;
  readonly ok: boolean;
  readonly wallMs: number;
  readonly memory: PeakMemory;
  /** Calls by operation (emulator counters, reset before the step). */
  readonly calls: Record<string, number>;
  readonly throttled: number;
  readonly profile?: HostProfile;
  readonly error?: string;
  /** After create and the change (ours): the service holds exactly the declared associations. */
  readonly verified?: boolean;
}

export interface SizeResult {
  readonly n: number;
  readonly reps: number;
  readonly ours: StepSample[];
  readonly floor: StepSample[];
  /** The imperative loop without quota, one run per repetition (create only). */
  readonly imperativeMs: number[];
  /** The alternative's floor: one no-op resource holding the whole roster. */
  readonly singleFloor: StepSample[];
}

export interface QuotaRun {
  readonly n: number;
  readonly variant: string;
  readonly ok: boolean;
  readonly wallMs: number;
  readonly calls: Record<string, number>;
  readonly throttled: number;
  readonly failed: number;
  readonly error?: string;
}

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly pulumi: string;
  readonly date: string;
  readonly os: string;
}

export interface BenchResults {
  readonly machine: Machine;
  readonly command: string;
  readonly options: { sizes: number[]; quotaSizes: number[]; quotaTps: number; reps: Record<string, number> };
  readonly sizes: SizeResult[];
  readonly quota: QuotaRun[];
  readonly totalMs: number;
}

/** The two hosts of the same resource engines. */
export type HostName = "dynamic" | "plugin";
export const HOSTS: readonly HostName[] = ["dynamic", "plugin"];

export type HostStepName = "create" | "no-op up" | "1 % change" | "destroy";
export const HOST_STEPS: readonly HostStepName[] = ["create", "no-op up", "1 % change", "destroy"];

export interface HostSample {
  readonly host: HostName;
  readonly step: HostStepName;
  readonly rep: number;
  /** 1: this host ran first in its repetition. */
  readonly order: number;
  readonly ok: boolean;
  readonly wallMs: number;
  /** Calls by operation (emulator counters, reset before the step). */
  readonly calls: Record<string, number>;
  /** After create, the change and destroy: the service holds exactly the declared roster (nothing after destroy). */
  readonly verified?: boolean;
  readonly verifyDetail?: string;
  readonly error?: string;
}

/** The per-resource FaceRoster at N people through both hosts, side by side. */
export interface HostComparison {
  readonly n: number;
  readonly photos: number;
  readonly reps: number;
  readonly change: { gained: number; lost: number; added: number; removed: number };
  readonly samples: HostSample[];
  /** Bytes of `pulumi stack export` after create, per host and repetition. */
  readonly stateBytes: { host: HostName; rep: number; bytes: number }[];
}

/** Spawn to the first stdout line (the plugin's port), or to exit (`node -e 0`), ms. */
export interface StartupTimes {
  readonly starts: number;
  readonly node: string;
  readonly launcherMs: number[];
  readonly mainMs: number[];
  readonly nodeMs: number[];
}

export interface PluginResults {
  readonly machine: Machine;
  readonly command: string;
  readonly commit?: string;
  /** os.loadavg() (1, 5, 15 min) when the section started and when it ended. */
  readonly load: { start: number[]; end: number[] };
  readonly comparisons: HostComparison[];
  readonly startup?: StartupTimes;
  readonly totalMs: number;
}
