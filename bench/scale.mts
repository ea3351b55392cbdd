// The scale section of `npm run bench`: the bulk roster (FaceRoster mode
// "bulk", a fixed number of FaceRosterShard resources) at N people × K
// photos (--scale-photos, 3 by default, or a size's own `NxK`), through create, no-op up, a 1 % change, refresh and destroy; the
// same create under per-operation quotas against T_min; and, side by side in
// the same run, the per-resource FaceRoster and the imperative loop.
//
// Photos are synthetic portraits drawn once into bench/.photos/ and reused;
// each stack reads a CSV manifest (people.csv), so the program has no loop.
import {
  AssociateFacesCommand,
  CreateUserCommand,
  IndexFacesCommand,
  RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "pulumi-rekognition-faces/emulator";
import { DEFAULT_RATE_LIMITS, FALLBACK_TPS } from "pulumi-rekognition-faces";
import { startQuotaProxy, type QuotaProxy } from "./quota-proxy.mts";
import { minimumCalls } from "./scale-calls.mts";
import {
  baseRoster,
  ensureRosterPhotos,
  onePercentChange,
  photoCount,
  photoDir,
  photoName,
  userIdOf,
  writeManifest,
  type Roster,
} from "./scale-data.mts";
import type {
  CallTally,
  CompareRun,
  QuotaProfile,
  ScaleCompare,
  ScaleQuotaRun,
  ScaleSample,
  ScaleSize,
  ScaleStepName,
} from "./scale-types.mts";
import { sizeLabel, type SizeSpec } from "./scale-sizes.mts";
import { BenchStack, localEndpointStack, type StepRun } from "./stack.mts";

/** The stack program: one FaceRoster read from scale.json and people.csv (no loop), exporting its summary's count. */
export const scaleProgram = `import { readFileSync } from "node:fs";
import { FaceRoster, type FaceRosterArgs } from "pulumi-rekognition-faces";

const spec = JSON.parse(readFileSync("scale.json", "utf8")) as {
  collectionId: string;
  mode?: string;
  shards?: number;
  empty?: boolean;
};
const args = {
  collectionId: spec.collectionId,
  ...(spec.empty ? { people: {} } : { manifest: "people.csv" }),
  ...(spec.mode && { mode: spec.mode }),
  ...(spec.shards && { shards: spec.shards }),
} as FaceRosterArgs;
const roster = new FaceRoster("roster", args);
// The summary a bulk roster is read by: its people are not read on every run.
export const people = roster.summary.apply((summary) => summary.people);
`;

/**
 * rekognition-local's own default UPDATING window (its command line's
 * `--updating-window-ms`, emulator/cli.ts): the scale section's default, so
 * the waits for ACTIVE are measured as a user of the endpoint meets them.
 */
export const ENDPOINT_UPDATING_WINDOW_MS = 2000;

export interface ScaleOptions {
  readonly sizes: SizeSpec[];
  /** No-op `up` repetitions (median reported). */
  readonly noopReps: number;
  readonly shards?: number;
  /** Provider rate limits for the runs without a quota (undefined: leave the provider's default). */
  readonly openRateLimits?: Record<string, number>;
  readonly quotaSizes: SizeSpec[];
  readonly quotaProfiles: QuotaProfile[];
  readonly quotaFactor: number;
  /** Measure under quota before the sizes (default after them). */
  readonly quotaFirst?: boolean;
  readonly compareSizes: SizeSpec[];
  readonly compareTimeoutMs: number;
  /**
   * How long rekognition-local reports a changed user UPDATING
   * (ENDPOINT_UPDATING_WINDOW_MS by default; 0: ACTIVE at once, so the wait for ACTIVE costs nothing).
   */
  readonly updatingWindowMs: number;
  /** Which of bulk, per-resource, imperative the side-by-side run measures. */
  readonly compareVariants: readonly string[];
  readonly nodeOptions: string;
  readonly log: (line: string) => void;
  /** Called with each finished part, so a long run keeps what it measured. */
  readonly save: (partial: { sizes: ScaleSize[]; quota: ScaleQuotaRun[]; compare: ScaleCompare[] }) => void;
}

/**
 * The two quota profiles: 5/s for every operation (most regions), and the
 * provider's own default rates (README, "Rate limits": the one table of
 * Rekognition's default quotas this project uses).
 */
export const QUOTA_PROFILES: Record<string, Record<string, number>> = {
  uniform: { default: FALLBACK_TPS },
  mixed: { default: FALLBACK_TPS, ...DEFAULT_RATE_LIMITS },
};

const tpsOf = (tps: Record<string, number>, op: string): number => tps[op] ?? tps["default"] ?? Infinity;
const scaled = (tps: Record<string, number>, factor: number): Record<string, number> =>
  Object.fromEntries(Object.entries(tps).map(([op, v]) => [op, v * factor]));

/** Counts every request the emulator answers, by operation, and the throttled ones. */
class Tally {
  made: Record<string, number> = {};
  throttled: Record<string, number> = {};
  line = (line: string): void => {
    // `${time} ${operation} ${status}[ ${errorType}] ${ms}ms ${requestId}`
    const [, operation, , maybeError] = line.split(" ");
    if (!operation) return;
    this.made[operation] = (this.made[operation] ?? 0) + 1;
    if (maybeError && /Throttl|ProvisionedThroughput/.test(maybeError))
      this.throttled[operation] = (this.throttled[operation] ?? 0) + 1;
  };
  /** A request refused in front of the emulator (the bench's quota proxy). */
  throttle = (operation: string): void => {
    this.made[operation] = (this.made[operation] ?? 0) + 1;
    this.throttled[operation] = (this.throttled[operation] ?? 0) + 1;
  };
  reset(): void {
    this.made = {};
    this.throttled = {};
  }
  take(): CallTally {
    const out = { made: this.made, throttled: this.throttled };
    this.reset();
    return out;
  }
}

export function createCollection(emulator: RunningEmulator, prefix: string): string {
  const collectionId = `${prefix}-${randomBytes(3).toString("hex")}`;
  emulator.store.commit({
    mutations: [
      {
        type: "createCollection",
        id: collectionId,
        arn: `arn:aws:rekognition:${emulator.region}:123456789012:collection/${collectionId}`,
        createdAt: Date.now(),
      },
    ],
  });
  return collectionId;
}

function sizeOf(emulator: RunningEmulator, collectionId: string): { users: number; faces: number } {
  const c = emulator.store.collection(collectionId);
  return { users: c?.users.size ?? 0, faces: c?.faces.size ?? 0 };
}

/** Whether the collection holds exactly the roster: each person with as many faces as photos, no one else, no stray face. */
export function holds(
  emulator: RunningEmulator,
  collectionId: string,
  roster: Roster,
): { ok: boolean; detail?: string } {
  const c = emulator.store.collection(collectionId);
  if (!c) return { ok: false, detail: "the collection is gone" };
  const problems: string[] = [];
  let missing = 0;
  let wrong = 0;
  for (const [person, photos] of roster) {
    const user = c.users.get(userIdOf(person));
    if (!user) missing++;
    else if (user.faceIds.size !== photos.length) wrong++;
  }
  if (missing) problems.push(`${missing} declared users missing`);
  if (wrong) problems.push(`${wrong} users with a wrong number of faces`);
  if (c.users.size !== roster.size - missing)
    problems.push(`${c.users.size - (roster.size - missing)} extra users`);
  const photos = photoCount(roster);
  if (c.faces.size !== photos) problems.push(`${c.faces.size} faces in the collection for ${photos} photos`);
  return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join("; ") };
}

export class ScaleBench {
  private readonly tally = new Tally();
  private emulator!: RunningEmulator;
  private proxy: QuotaProxy | undefined;
  private readonly sizes: ScaleSize[] = [];
  private readonly quota: ScaleQuotaRun[] = [];
  private readonly compare: ScaleCompare[] = [];
  readonly notMeasured: string[] = [];
  quotaNote: string | undefined;

  private readonly opts: ScaleOptions;

  constructor(opts: ScaleOptions) {
    this.opts = opts;
  }

  async run(): Promise<{ sizes: ScaleSize[]; quota: ScaleQuotaRun[]; compare: ScaleCompare[] }> {
    this.emulator = await startEmulator({
      port: 0,
      updatingWindowMs: this.opts.updatingWindowMs,
      log: this.tally.line,
    });
    try {
      const quota = async () => {
        for (const spec of this.opts.quotaSizes)
          for (const profile of this.opts.quotaProfiles) {
            this.quota.push(await this.underQuota(spec, profile, this.opts.quotaFactor));
            this.save();
          }
      };
      if (this.opts.quotaFirst) await quota();
      for (const spec of this.opts.sizes) {
        this.sizes.push(await this.size(spec));
        this.save();
      }
      for (const spec of this.opts.compareSizes) {
        this.compare.push(await this.sideBySide(spec));
        this.save();
      }
      if (!this.opts.quotaFirst) await quota();
    } finally {
      await this.proxy?.close();
      await this.emulator.stop();
    }
    return { sizes: this.sizes, quota: this.quota, compare: this.compare };
  }

  private save(): void {
    this.opts.save({ sizes: this.sizes, quota: this.quota, compare: this.compare });
  }

  private async stack(
    name: string,
    spec: Record<string, unknown>,
    rateLimits?: Record<string, number>,
    endpoint?: string,
  ): Promise<BenchStack> {
    const target = { ...this.emulator, ...(endpoint && { endpoint }) };
    const base = localEndpointStack(target);
    const stack = await BenchStack.create({
      name,
      program: scaleProgram,
      config: {
        ...base.config,
        ...(rateLimits && { "rekognition-faces:rateLimits": JSON.stringify(rateLimits) }),
      },
      env: base.env,
    });
    symlinkSync(photoDir, join(stack.dir, "photos"), "dir");
    stack.writeFile("scale.json", JSON.stringify(spec));
    return stack;
  }

  /** Runs one engine step with the call tally reset before it and read after it. */
  private async step(
    step: ScaleStepName,
    run: (env: Record<string, string>) => Promise<StepRun>,
    check?: () => { ok: boolean; detail?: string },
  ): Promise<ScaleSample> {
    this.tally.reset();
    const result = await run({ NODE_OPTIONS: this.opts.nodeOptions });
    const calls = this.tally.take();
    const verified = check?.();
    const sample: ScaleSample = {
      step,
      ok: result.ok,
      wallMs: result.wallMs,
      memory: result.memory,
      calls,
      ...(verified && { verified: verified.ok }),
      ...(verified?.detail && { verifyDetail: verified.detail }),
      ...(!result.ok && { error: (result.stdout + result.stderr).slice(-3000) }),
      ...(result.timedOut && { timedOutAfterMs: result.wallMs }),
    };
    const throttled = Object.values(calls.throttled).reduce((a, b) => a + b, 0);
    this.opts.log(
      `  ${step.padEnd(11)} ${(result.wallMs / 1000).toFixed(1).padStart(7)} s ${result.ok ? "" : "FAILED "}` +
        `${verified ? (verified.ok ? "verified " : `NOT AS DECLARED (${verified.detail}) `) : ""}` +
        `engine ${Math.round(result.memory.engineKb / 1024)} MiB, host ${Math.round(result.memory.providerHostKb / 1024)} MiB ` +
        `${JSON.stringify(calls.made)}${throttled ? ` throttled ${throttled}` : ""}`,
    );
    if (!result.ok)
      this.opts.log(`    ${(result.stdout + result.stderr).slice(-1500).replace(/\n/g, "\n    ")}`);
    return sample;
  }

  private drawPhotos(rosters: Roster[]): number {
    const started = performance.now();
    let drawn = 0;
    for (const roster of rosters) drawn += ensureRosterPhotos(roster, this.opts.log);
    const ms = performance.now() - started;
    if (drawn > 0) this.opts.log(`  drew ${drawn} photos into ${photoDir} in ${(ms / 1000).toFixed(0)} s`);
    return ms;
  }

  /** The bulk roster's lifecycle at N people × K photos. */
  private async size(size: SizeSpec): Promise<ScaleSize> {
    const { n, photos: k } = size;
    const label = sizeLabel(size);
    const base = baseRoster(n, k);
    const change = onePercentChange(base, k);
    this.opts.log(
      `scale N=${n} × ${k}: ${photoCount(base)} photos; 1 % change: ${JSON.stringify({ ...change, roster: undefined })}`,
    );
    const photosDrawnMs = this.drawPhotos([base, change.roster]);
    const collectionId = createCollection(this.emulator, `scale-${label}`);
    const rateLimits = this.opts.openRateLimits;
    const spec = { collectionId, mode: "bulk", ...(this.opts.shards && { shards: this.opts.shards }) };
    const stack = await this.stack(`scale-bulk-${label}`, spec, rateLimits);
    // The same program with an empty roster: what a no-op `up` costs before any person. Its
    // no-ops alternate with the roster's, so each pair meets the machine in the same state.
    const empty = await this.stack(
      `scale-empty-${label}`,
      {
        collectionId: createCollection(this.emulator, `scale-empty-${label}`),
        mode: "bulk",
        empty: true,
        ...(this.opts.shards && { shards: this.opts.shards }),
      },
      rateLimits,
    );
    const samples: ScaleSample[] = [];
    const before: Record<string, { users: number; faces: number }> = {};
    const at = (step: string) => (before[step] = sizeOf(this.emulator, collectionId));
    let emptyNoop: ScaleSample[];
    let checkpointBytes: number | undefined;
    try {
      await writeManifest(join(stack.dir, "people.csv"), base);
      at("create");
      samples.push(
        await this.step(
          "create",
          (env) => stack.up([], env),
          () => holds(this.emulator, collectionId, base),
        ),
      );
      checkpointBytes = stack.checkpointBytes();
      if (checkpointBytes !== undefined)
        this.opts.log(`  checkpoint ${checkpointBytes} bytes, ${(checkpointBytes / n).toFixed(0)} a person`);
      this.opts.log(`scale N=${n} × ${k}: no-op up, alternating with the same stack with an empty roster`);
      const emptyCreated = await this.step("create", (env) => empty.up([], env));
      emptyNoop = emptyCreated.ok ? [] : [emptyCreated];
      at("no-op up");
      for (let i = 0; i < this.opts.noopReps; i++) {
        samples.push(await this.step("no-op up", (env) => stack.up([], env)));
        if (emptyCreated.ok) emptyNoop.push(await this.step("no-op up", (env) => empty.up([], env)));
      }
      await writeManifest(join(stack.dir, "people.csv"), change.roster);
      at("1 % change");
      samples.push(
        await this.step(
          "1 % change",
          (env) => stack.up([], env),
          () => holds(this.emulator, collectionId, change.roster),
        ),
      );
      at("refresh");
      samples.push(await this.step("refresh", (env) => stack.refresh(env)));
      at("destroy");
      samples.push(
        await this.step(
          "destroy",
          (env) => stack.destroy(env),
          () => holds(this.emulator, collectionId, new Map()),
        ),
      );
    } finally {
      stack.remove();
      empty.remove();
    }
    return {
      n,
      photosPerPerson: k,
      photos: photoCount(base),
      ...(checkpointBytes !== undefined && { checkpointBytes }),
      shards: this.opts.shards ?? "default",
      change: { gained: change.gained, lost: change.lost, added: change.added, removed: change.removed },
      before,
      samples,
      emptyNoop,
      ...(rateLimits && { rateLimits }),
      photosDrawnMs,
    };
  }

  /** Create at N, side by side: the bulk roster, the per-resource FaceRoster, the imperative loop. */
  private async sideBySide(size: SizeSpec): Promise<ScaleCompare> {
    const { n, photos: k } = size;
    const base = baseRoster(n, k);
    this.drawPhotos([base]);
    const runs: CompareRun[] = [];
    const rateLimits = this.opts.openRateLimits;
    const wanted = (v: string) => this.opts.compareVariants.includes(v);
    for (const [variant, mode] of [
      ["bulk roster (mode: bulk)", "bulk"],
      ["per-resource FaceRoster", undefined],
    ] as const) {
      if (!wanted(mode ?? "per-resource")) continue;
      const collectionId = createCollection(this.emulator, `cmp-${sizeLabel(size)}`);
      const stack = await this.stack(
        `scale-cmp-${mode ?? "per-resource"}-${sizeLabel(size)}`,
        { collectionId, ...(mode && { mode }) },
        rateLimits,
      );
      try {
        await writeManifest(join(stack.dir, "people.csv"), base);
        this.opts.log(`compare N=${n} × ${k}: ${variant}`);
        const sample = await this.step(
          "create",
          (env) => stack.up([], env, this.opts.compareTimeoutMs),
          () => holds(this.emulator, collectionId, base),
        );
        runs.push({
          variant,
          ok: sample.ok && sample.verified === true,
          wallMs: sample.wallMs,
          calls: sample.calls,
          memory: sample.memory,
          resources: mode ? undefined : 5 * n,
          ...(sample.timedOutAfterMs && {
            timedOutAfterMs: sample.timedOutAfterMs,
            note:
              `stopped after ${(sample.timedOutAfterMs / 1000).toFixed(0)} s (the run's cap, --scale-compare-timeout), ` +
              `${stack.resourceCount() ?? 0} of ${5 * n + 3} resources (5N, the component, the stack, the provider) in the state`,
          }),
          ...(sample.verifyDetail && !sample.timedOutAfterMs && { note: sample.verifyDetail }),
          ...(sample.error && !sample.timedOutAfterMs && { error: sample.error }),
        });
      } finally {
        // No destroy: the collection is abandoned, the state goes with the folder.
        stack.remove();
      }
    }
    if (!wanted("imperative")) return { n, photosPerPerson: k, runs };
    const collectionId = createCollection(this.emulator, `cmp-imp-${sizeLabel(size)}`);
    this.opts.log(`compare N=${n} × ${k}: imperative loop`);
    this.tally.reset();
    const imperative = await imperativeRoster(this.emulator, collectionId, base);
    const calls = this.tally.take();
    const check = holds(this.emulator, collectionId, base);
    this.opts.log(
      `  ${(imperative.wallMs / 1000).toFixed(1)} s, ${imperative.failed} failed, ${JSON.stringify(calls.made)}`,
    );
    runs.push({
      variant: "imperative loop (AWS docs), 8 concurrent",
      ok: imperative.failed === 0 && check.ok,
      wallMs: imperative.wallMs,
      calls,
      ...(check.detail && { note: check.detail }),
    });
    return { n, photosPerPerson: k, runs };
  }

  /** The bulk roster's create under a per-operation quota, the provider's rate limits set to match. */
  private async underQuota(size: SizeSpec, profile: QuotaProfile, factor: number): Promise<ScaleQuotaRun> {
    const { n, photos: k } = size;
    const base = baseRoster(n, k);
    this.drawPhotos([base]);
    const tps = scaled(profile.tps, factor);
    const collectionId = createCollection(this.emulator, `quota-${sizeLabel(size)}`);
    const endpoint = await this.enforce(tps, profile);
    const stack = await this.stack(
      `scale-quota-${profile.name}-${sizeLabel(size)}`,
      { collectionId, mode: "bulk", ...(this.opts.shards && { shards: this.opts.shards }) },
      tps,
      endpoint,
    );
    const needed = minimumCalls("create", n, undefined, { users: 0, faces: 0 }, k);
    const [bindingOperation, tMinMs] = Object.entries(needed)
      .map(([op, calls]) => [op, (calls / tpsOf(tps, op)) * 1000] as const)
      .reduce((a, b) => (b[1] > a[1] ? b : a));
    this.opts.log(
      `quota ${profile.name} ${JSON.stringify(tps)} N=${n} × ${k}: T_min ${(tMinMs / 1000).toFixed(0)} s (${bindingOperation}), enforced by ${profile.enforcedBy}`,
    );
    try {
      await writeManifest(join(stack.dir, "people.csv"), base);
      const sample = await this.step(
        "create",
        (env) => stack.up([], env),
        () => holds(this.emulator, collectionId, base),
      );
      this.opts.log(`  wall / T_min = ${(sample.wallMs / tMinMs).toFixed(2)}`);
      return { n, photosPerPerson: k, profile, factor, sample, tMinMs, bindingOperation };
    } finally {
      await this.unenforce();
      stack.remove();
    }
  }

  /** Sets the service-side quota; returns the endpoint the stack must use (the proxy's, when it enforces). */
  private async enforce(tps: Record<string, number>, profile: QuotaProfile): Promise<string | undefined> {
    if (profile.enforcedBy === "rekognition-local") {
      // rekognition-local's quota: one TPS for every operation, and particular ones by name.
      const byOperation = Object.fromEntries(Object.entries(tps).filter(([op]) => op !== "default"));
      await this.emulator.control.setQuota({
        ...(tps["default"] !== undefined && { perOperationTps: tps["default"] }),
        ...(Object.keys(byOperation).length > 0 && { byOperation }),
      });
      return undefined;
    }
    // Per-operation TPS: enforced in front of rekognition-local by the bench's own token buckets.
    this.proxy ??= await startQuotaProxy(this.emulator.endpoint, this.tally.throttle);
    this.proxy.setQuota(tps);
    return this.proxy.endpoint;
  }

  private async unenforce(): Promise<void> {
    await this.emulator.control.setQuota(null);
    this.proxy?.setQuota(undefined);
  }
}

/**
 * What a user would write instead: per person CreateUser, IndexFaces per
 * photo, AssociateFaces, with the provider's SDK settings and 8 people at once.
 */
export async function imperativeRoster(
  emulator: RunningEmulator,
  collectionId: string,
  roster: Roster,
  concurrency = 8,
): Promise<{ wallMs: number; failed: number }> {
  const client = new RekognitionClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
    maxAttempts: 10,
    retryMode: "adaptive",
  });
  const people = [...roster];
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < people.length) {
      const [person, photos] = people[next++]!;
      const userId = userIdOf(person);
      try {
        await client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: userId }));
        const faceIds: string[] = [];
        for (const photo of photos) {
          const bytes = await readFile(join(photoDir, photoName(person, photo)));
          const out = await client.send(
            new IndexFacesCommand({
              CollectionId: collectionId,
              Image: { Bytes: bytes },
              ExternalImageId: userId,
              MaxFaces: 1,
            }),
          );
          const faceId = out.FaceRecords?.[0]?.Face?.FaceId;
          if (faceId) faceIds.push(faceId);
        }
        await client.send(
          new AssociateFacesCommand({ CollectionId: collectionId, UserId: userId, FaceIds: faceIds }),
        );
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  client.destroy();
  return { wallMs, failed };
}
