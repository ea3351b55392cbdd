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
