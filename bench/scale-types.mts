import type { PeakMemory } from "./procmem.mts";

export type ScaleStepName = "create" | "no-op up" | "1 % change" | "refresh" | "destroy";
export const SCALE_STEPS: readonly ScaleStepName[] = [
  "create",
  "no-op up",
  "1 % change",
  "refresh",
  "destroy",
];

/** Calls by operation: made (every request, throttled ones included) and throttled. */
export interface CallTally {
  readonly made: Record<string, number>;
  readonly throttled: Record<string, number>;
}

export interface ScaleSample {
  readonly step: ScaleStepName;
  readonly ok: boolean;
  readonly wallMs: number;
  readonly memory: PeakMemory;
  readonly calls: CallTally;
  /** The service holds exactly the declared roster afterwards (create, change), or nothing of it (destroy). */
  readonly verified?: boolean;
  /** What the check found when it failed. */
  readonly verifyDetail?: string;
  readonly error?: string;
  /** Killed after this long (the run's time cap). */
  readonly timedOutAfterMs?: number;
}

/** The people the 1 % change touched. */
export interface ChangeCounts {
  readonly gained: number;
  readonly lost: number;
  readonly added: number;
  readonly removed: number;
}

/** Which run measured an item, when a report shows more than one (see ScaleResults.runs). */
export interface FromRun {
  readonly run?: string;
}

export interface ScaleSize extends FromRun {
  readonly n: number;
  /** Photos per person (absent in files written before sizes carried it: 3). */
  readonly photosPerPerson?: number;
  /** Photos of the whole roster. */
  readonly photos: number;
  /** Bytes of the stack's state file (the file backend's checkpoint) after create. */
  readonly checkpointBytes?: number;
  readonly shards: number | "default";
  readonly change: ChangeCounts;
  /** Collection size before each step, for the read allowance: users and faces. */
  readonly before: Record<string, { users: number; faces: number }>;
  readonly samples: ScaleSample[];
  /** The same stack's program with an empty roster: its no-op `up`s. */
  readonly emptyNoop: ScaleSample[];
  /** Rate limits given to the provider (stack config `rekognition-faces:rateLimits`), if any. */
  readonly rateLimits?: Record<string, number>;
  /** Seconds spent drawing photos before the run (not part of any step). */
  readonly photosDrawnMs: number;
}

export interface QuotaProfile {
  readonly name: string;
  /** Calls per second by operation, with "default" for the rest. */
  readonly tps: Record<string, number>;
  /** How the service side enforced it: rekognition-local's quota, or the bench's proxy. */
  readonly enforcedBy: string;
}

export interface ScaleQuotaRun extends FromRun {
  readonly n: number;
  /** Photos per person (absent: 3). */
  readonly photosPerPerson?: number;
  readonly profile: QuotaProfile;
  /** Every TPS of the profile multiplied by this (1: the profile as stated). */
  readonly factor: number;
  readonly sample: ScaleSample;
  /** max over operations of needed calls ÷ TPS, ms. */
  readonly tMinMs: number;
  /** The operation that sets T_min. */
  readonly bindingOperation: string;
}

export interface CompareRun extends FromRun {
  readonly variant: string;
  readonly ok: boolean;
  readonly wallMs: number;
  readonly calls: CallTally;
  readonly resources?: number;
  readonly memory?: PeakMemory;
  readonly timedOutAfterMs?: number;
  readonly note?: string;
  readonly error?: string;
}

export interface ScaleCompare {
  readonly n: number;
  /** Photos per person (absent: 3). */
  readonly photosPerPerson?: number;
  readonly runs: CompareRun[];
}

export interface RunInfo {
  readonly label: string;
  readonly date: string;
  readonly command: string;
  /** The commit of the worktree measured (the provider's code). */
  readonly commit?: string;
  /** rekognition-local's UPDATING window in that run, ms. */
  readonly updatingWindowMs?: number;
}

export interface ScaleResults {
  readonly date: string;
  readonly command: string;
  readonly commit?: string;
  /** Every run whose items this report shows, when it merges earlier ones. */
  readonly runs?: RunInfo[];
  readonly totalMs: number;
  readonly sizes: ScaleSize[];
  readonly quota: ScaleQuotaRun[];
  readonly compare: ScaleCompare[];
  /** What could not be measured, and why. */
  readonly notMeasured: string[];
  /** How the per-operation quota was enforced in this run. */
  readonly quotaNote?: string;
  /** How long rekognition-local reported a changed user UPDATING (absent: files from before it was recorded). */
  readonly updatingWindowMs?: number;
}
