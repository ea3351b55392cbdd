// `npm run bench`: what a roster deployment costs as it grows.
//
//   node bench/run.ts [--quick] [--sizes 10,100,500] [--reps 3] [--quota-sizes 100,500]
//                     [--quota-tps 5] [--no-quota] [--no-variants] [--out DIR]
//                     [--no-scale] [--scale-sizes 1000,10000,50000x1] [--scale-photos 3]
//                     [--scale-quota-sizes 1000]
//                     [--scale-quota-profiles uniform,mixed] [--scale-quota-factor 1]
//                     [--scale-compare 1000] [--scale-compare-timeout 900] [--scale-shards 16]
//                     [--scale-updating-window-ms 2000 (rekognition-local's default; 0: ACTIVE at once)]
//                     [--plugin-sizes 100] [--plugin-starts 10] [--no-plugin]
//
// The plugin section (bench/plugin.mts): the per-resource FaceRoster through
// the dynamic provider and through the provider plugin side by side, and the
// plugin's start-up. --quick runs it at N=20. With `--sizes none --no-quota
// --no-scale` only that section is measured, and it replaces that section of
// the existing report.
//
// The scale section (bench/scale.mts): the bulk roster at N people × K photos
// (--scale-photos, 3 by default; a size `NxK` sets its own).
// --quick runs it at N=20 only. With `--sizes none --no-quota` only the scale
// section is measured, and it replaces that section of the existing report.
//
// Env: BENCH_QUICK=1 is --quick, BENCH_SIZES / BENCH_REPS / BENCH_QUOTA_SIZES likewise.
// Writes DIR/benchmarks.md and DIR/benchmarks.svg (DIR: docs/), raw JSON to bench/results/
// (or DIR when --out is given).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmulator, type RunningEmulator } from "pulumi-rekognition-faces/emulator";
import { imperativeCreate } from "./imperative.mts";
import { compareHosts, measureStartup } from "./plugin.mts";
import { PLUGIN_BEGIN, PLUGIN_END, renderPlugin, splicePlugin } from "./plugin-report.mts";
import { floorProgram, oursProgram, singleResourceFloorProgram } from "./programs.mts";
import { renderReport } from "./report.mts";
import { ENDPOINT_UPDATING_WINDOW_MS, QUOTA_PROFILES, ScaleBench } from "./scale.mts";
import { OLD_PHOTOS_PER_PERSON, parseScaleSizes, type SizeSpec } from "./scale-sizes.mts";
import { renderScale, SCALE_BEGIN, SCALE_END, spliceScale } from "./scale-report.mts";
import type { QuotaProfile, ScaleResults } from "./scale-types.mts";
import { rosterFile, seedRoster, withOneFaceChanged, type Roster } from "./seed.mts";
import { BenchStack, localEndpointStack, repoRoot, type StepRun } from "./stack.mts";
import type {
  BenchResults,
  HostComparison,
  HostProfile,
  Machine,
  PluginResults,
  QuotaRun,
  SizeResult,
  StepName,
  StepSample,
} from "./types.mts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: process.env.BENCH_QUICK === "1" },
    sizes: { type: "string", default: process.env.BENCH_SIZES },
    reps: { type: "string", default: process.env.BENCH_REPS },
    "quota-sizes": { type: "string", default: process.env.BENCH_QUOTA_SIZES },
    "quota-tps": { type: "string", default: "5" },
    "no-quota": { type: "boolean", default: false },
    "no-variants": { type: "boolean", default: false },
    out: { type: "string" },
    "variants-max-n": { type: "string", default: "100" },
    /** Also run the quota variants with `pulumi up --parallel P` (e.g. 64). */
    "quota-parallel": { type: "string" },
    /** Re-render the report from a results JSON file without measuring. */
    "from-results": { type: "string" },
    "no-scale": { type: "boolean", default: false },
    /** N people, or NxK for K photos each: 1000,10000,50000x1. */
    "scale-sizes": { type: "string", default: process.env.BENCH_SCALE_SIZES },
    /** Photos per person of every scale size that does not say (NxK). */
    "scale-photos": { type: "string", default: "3" },
    "scale-quota-sizes": { type: "string" },
    "scale-quota-profiles": { type: "string", default: "uniform,mixed" },
    /** Every quota TPS multiplied by this (the ratio to T_min is reported as such). */
    "scale-quota-factor": { type: "string", default: "1" },
    "scale-compare": { type: "string" },
    /** Seconds before a side-by-side deployment is stopped. */
    "scale-compare-timeout": { type: "string", default: "900" },
    "scale-noop-reps": { type: "string" },
    /** Enforce the service quota with bench/quota-proxy.mts instead of rekognition-local's own. */
    "scale-quota-proxy": { type: "boolean", default: false },
    /** Measure the quota profiles before the sizes. */
    "scale-quota-first": { type: "boolean", default: false },
    /** The side-by-side variants: bulk, per-resource, imperative. */
    "scale-compare-variants": { type: "string", default: "bulk,per-resource,imperative" },
    /** Earlier scale results files (comma-separated) whose items this run does not measure, shown labelled with their run. */
    "scale-merge": { type: "string" },
    "scale-shards": { type: "string" },
    // How long rekognition-local reports a changed user UPDATING (default: the endpoint's own, 2000; 0: ACTIVE at once).
    "scale-updating-window-ms": { type: "string" },
    /** Provider rate limits (JSON, op → TPS; 0: unlimited) for the scale runs without a quota. */
    "scale-rate-limits": { type: "string", default: '{"default":0}' },
    /** Re-render the scale section from a scale results JSON file without measuring. */
    "scale-from-results": { type: "string" },
    /** The plugin section: N of the side-by-side FaceRoster (none: skip it). */
    "plugin-sizes": { type: "string", default: process.env.BENCH_PLUGIN_SIZES },
    /** How many times the plugin's start-up is timed. */
    "plugin-starts": { type: "string" },
    "no-plugin": { type: "boolean", default: false },
    /** Re-render the plugin section from a plugin results JSON file without measuring. */
    "plugin-from-results": { type: "string" },
  },
});

const list = (text: string | undefined, fallback: number[]): number[] =>
  text === undefined
    ? fallback
    : text
        .split(",")
        .filter((s) => s.trim() !== "" && s.trim() !== "none")
        .map((s) => Number(s.trim()));
const sizes = list(args.sizes, args.quick ? [10, 100] : [10, 100, 500]);
const quotaSizes = args["no-quota"] ? [] : list(args["quota-sizes"], args.quick ? [100] : [100, 500]);
const quotaTps = Number(args["quota-tps"]);
/** Repetitions: several at small N, fewer at large N (each costs minutes). */
const repsFor = (n: number): number =>
  args.reps ? Number(args.reps) : args.quick ? 1 : n >= 500 ? 1 : n >= 100 ? 2 : 3;
const scalePhotos = Number(args["scale-photos"]);
if (!Number.isInteger(scalePhotos) || scalePhotos < 1)
  throw new Error(
    `--scale-photos: '${args["scale-photos"]}' is not a number of photos per person; give 1 or more`,
  );
const scaleList = (flag: string, text: string | undefined, fallback: string): SizeSpec[] =>
  args["no-scale"] ? [] : parseScaleSizes(text ?? fallback, scalePhotos, flag);
const scaleSizes = scaleList("--scale-sizes", args["scale-sizes"], args.quick ? "20" : "1000,10000,50000x1");
const scaleQuotaSizes = scaleList("--scale-quota-sizes", args["scale-quota-sizes"], args.quick ? "" : "1000");
const scaleCompare = scaleList("--scale-compare", args["scale-compare"], args.quick ? "" : "1000");
const pluginSizes = args["no-plugin"] ? [] : list(args["plugin-sizes"], args.quick ? [20] : [100]);
const pluginStarts = Number(args["plugin-starts"] ?? (args.quick ? 5 : 10));
/** The token-bucket variant under quota only up to this N (each N=500 deployment costs minutes). */
const variantsMaxN = Number(args["variants-max-n"]);

const outDir = args.out ?? join(repoRoot, "docs");
const resultsDir = args.out ?? join(repoRoot, "bench", "results");
/** The commit measured: read when the run starts, since commits made during a long run are not in its build. */
const startCommit = gitCommit();

const profileDir = join(resultsDir, `.profiles-${randomBytes(3).toString("hex")}`);
mkdirSync(outDir, { recursive: true });
mkdirSync(profileDir, { recursive: true });

const preload = ["profile.cjs", "token-bucket.cjs"]
  .map((f) => `--require ${join(repoRoot, "bench", "preload", f)}`)
  .join(" ");
const nodeOptions = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(" ");

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function machine(): Machine {
  const pulumi = execFileSync(join(repoRoot, "node_modules", ".bin", "pulumi"), ["version"], {
    encoding: "utf8",
  }).trim();
  const node = execFileSync(join(repoRoot, "node_modules", ".bin", "node"), ["--version"], {
    encoding: "utf8",
  }).trim();
  let os: string = process.platform;
  try {
    os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? os;
  } catch {
    // not Linux: keep the platform name
  }
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node,
    pulumi,
    date: new Date().toISOString(),
    os,
  };
}

function readProfile(prefix: string): HostProfile | undefined {
  const files = readdirSync(profileDir).filter((f) => f.startsWith(prefix));
  if (files.length === 0) return undefined;
  const total: HostProfile = { cpuMs: 0, uptimeMs: 0, requireMs: 0, sdk: { calls: 0, ms: 0 }, methods: {} };
  for (const file of files) {
    const p = JSON.parse(readFileSync(join(profileDir, file), "utf8")) as HostProfile;
    total.sdk.calls += p.sdk.calls;
    total.sdk.ms += p.sdk.ms;
    Object.assign(total, {
      cpuMs: total.cpuMs + p.cpuMs,
      uptimeMs: Math.max(total.uptimeMs, p.uptimeMs),
      requireMs: total.requireMs + p.requireMs,
    });
    for (const [k, v] of Object.entries(p.methods)) {
      const m = (total.methods[k] ??= { calls: 0, ms: 0 });
      m.calls += v.calls;
      m.ms += v.ms;
    }
  }
  return total;
}

/** Runs one engine step with counters reset before it and read after it. */
async function measured(
  emulator: RunningEmulator,
  step: StepName,
  rep: number,
  run: (env: Record<string, string>) => Promise<StepRun>,
): Promise<StepSample> {
  await emulator.control.resetCounters();
  const prefix = `p-${randomBytes(4).toString("hex")}`;
  const result = await run({ NODE_OPTIONS: nodeOptions, BENCH_PROFILE_FILE: join(profileDir, prefix) });
  // Let the host's last profile write land before reading it.
  await new Promise((r) => setTimeout(r, 300));
  const counters = await emulator.control.counters();
  const profile = readProfile(prefix);
  const sample: StepSample = {
    step,
    rep,
    ok: result.ok,
    wallMs: result.wallMs,
    memory: result.memory,
    calls: Object.fromEntries(Object.entries(counters.byOperation).filter(([, v]) => v > 0)),
    throttled: counters.throttled,
    ...(profile && { profile }),
    ...(!result.ok && { error: (result.stdout + result.stderr).slice(-2500) }),
  };
  log(
    `  ${step.padEnd(16)} ${(result.wallMs / 1000).toFixed(2).padStart(7)} s ${result.ok ? "" : "FAILED"} ${JSON.stringify(sample.calls)}`,
  );
  return sample;
}

/** Whether the service holds exactly the roster's associations (read from the store). */
function holds(emulator: RunningEmulator, roster: Roster): boolean {
  const users = emulator.store.collection(roster.collectionId)?.users;
  return roster.users.every((p) => {
    const faces = users?.get(p.userId)?.faceIds;
    return faces !== undefined && faces.size === p.faceIds.length && p.faceIds.every((f) => faces.has(f));
  });
}

async function lifecycle(
  emulator: RunningEmulator,
  stack: BenchStack,
  roster: Roster,
  rep: number,
  verify = false,
): Promise<StepSample[]> {
  const samples: StepSample[] = [];
  const check = (sample: StepSample, expected: Roster): StepSample => {
    if (!verify) return sample;
    const verified = holds(emulator, expected);
    if (!verified) log(`  ${sample.step}: the service does NOT hold the declared associations`);
    return { ...sample, verified };
  };
  stack.writeFile("roster.json", rosterFile(roster));
  samples.push(check(await measured(emulator, "create", rep, (env) => stack.up([], env)), roster));
  samples.push(await measured(emulator, "no-op up", rep, (env) => stack.up([], env)));
  stack.writeFile("roster.json", rosterFile(withOneFaceChanged(roster)));
  samples.push(
    check(
      await measured(emulator, "one-face change", rep, (env) => stack.up([], env)),
      withOneFaceChanged(roster),
    ),
  );
  samples.push(await measured(emulator, "refresh", rep, (env) => stack.refresh(env)));
  samples.push(await measured(emulator, "destroy", rep, (env) => stack.destroy(env)));
  return samples;
}

async function measureSize(emulator: RunningEmulator, n: number): Promise<SizeResult> {
  const reps = repsFor(n);
  const ours = await BenchStack.create({
    name: `bench-ours-${n}`,
    program: oursProgram,
    ...localEndpointStack(emulator),
  });
  const floor = await BenchStack.create({
    name: `bench-floor-${n}`,
    program: floorProgram,
    packages: { "bench-floor": join(repoRoot, "bench", "floor") },
  });
  const single = await BenchStack.create({
    name: `bench-single-${n}`,
    program: singleResourceFloorProgram,
    packages: { "bench-floor": join(repoRoot, "bench", "floor") },
  });
  const result: SizeResult = { n, reps, ours: [], floor: [], imperativeMs: [], singleFloor: [] };
  try {
    for (let rep = 1; rep <= reps; rep++) {
      // A fresh collection per repetition: the provider derives AssociateFaces'
      // ClientRequestToken from (collection, user, faces, revision), so re-creating
      // the same users in the same collection would replay the previous repetition's
      // responses instead of associating (see docs/benchmarks.md, Analysis).
      const roster = seedRoster(emulator, `bench-${n}-${rep}-${randomBytes(3).toString("hex")}`, n);
      log(`N=${n} rep ${rep}/${reps}: ours`);
      result.ours.push(...(await lifecycle(emulator, ours, roster, rep, true)));
      log(`N=${n} rep ${rep}/${reps}: floor`);
      result.floor.push(...(await lifecycle(emulator, floor, roster, rep)));
      // The imperative loop, for context: a fresh collection with the same shape.
      const fresh = seedRoster(emulator, `imp-${n}-${randomBytes(3).toString("hex")}`, n);
      const imperative = await imperativeCreate(emulator, fresh);
      result.imperativeMs.push(imperative.wallMs);
      log(`  imperative create ${(imperative.wallMs / 1000).toFixed(2)} s, ${imperative.failed} failed`);
      // The alternative's floor: one no-op resource holding all N people.
      log(`N=${n} rep ${rep}/${reps}: one resource for the whole roster (floor)`);
      result.singleFloor.push(...(await lifecycle(emulator, single, roster, rep)));
    }
  } finally {
    ours.remove();
    floor.remove();
    single.remove();
  }
  return result;
}

/** Create under a per-operation quota: ours as it is, ours with a client-side
 * token bucket (bench/preload/token-bucket.cjs), and the imperative loop. */
async function measureQuota(emulator: RunningEmulator, n: number): Promise<QuotaRun[]> {
  const runs: QuotaRun[] = [];
  const parallel = args["quota-parallel"];
  const variants: { variant: string; env: Record<string, string>; up?: string[] }[] = [
    { variant: "ours (adaptive retries, as shipped)", env: {} },
    ...(args["no-variants"] || n > variantsMaxN
      ? []
      : [
          {
            variant: `ours + client token bucket ${quotaTps}/s per operation`,
            env: { BENCH_CLIENT_TPS: String(quotaTps) },
          },
        ]),
    ...(parallel
      ? [
          { variant: `ours (as shipped), --parallel ${parallel}`, env: {}, up: ["--parallel", parallel] },
          {
            variant: `ours + client token bucket, --parallel ${parallel}`,
            env: { BENCH_CLIENT_TPS: String(quotaTps) },
            up: ["--parallel", parallel],
          },
        ]
      : []),
  ];
  for (const { variant, env, up } of variants) {
    const roster = seedRoster(emulator, `quota-${n}-${randomBytes(3).toString("hex")}`, n);
    const stack = await BenchStack.create({
      name: `bench-quota-${n}`,
      program: oursProgram,
      ...localEndpointStack(emulator),
    });
    stack.writeFile("roster.json", rosterFile(roster));
    try {
      await emulator.control.setQuota({ perOperationTps: quotaTps });
      log(`quota ${quotaTps}/s N=${n}: ${variant}`);
      const sample = await measured(emulator, "create", 1, (e) => stack.up(up ?? [], { ...e, ...env }));
      runs.push({
        n,
        variant,
        ok: sample.ok,
        wallMs: sample.wallMs,
        calls: sample.calls,
        throttled: sample.throttled,
        failed: sample.ok ? 0 : 1,
        ...(sample.error && { error: sample.error }),
      });
      log(`  throttled ${sample.throttled}`);
    } finally {
      await emulator.control.setQuota(null);
      // No destroy: the collection is abandoned, the state goes with the folder.
      stack.remove();
    }
  }
  const roster = seedRoster(emulator, `quota-imp-${n}-${randomBytes(3).toString("hex")}`, n);
  await emulator.control.setQuota({ perOperationTps: quotaTps });
  await emulator.control.resetCounters();
  try {
    log(`quota ${quotaTps}/s N=${n}: imperative`);
    const imperative = await imperativeCreate(emulator, roster);
    const counters = await emulator.control.counters();
    runs.push({
      n,
      variant: "imperative loop (AWS docs), 8 concurrent",
      ok: imperative.failed === 0,
      wallMs: imperative.wallMs,
      calls: counters.byOperation,
      throttled: counters.throttled,
      failed: imperative.failed,
    });
    log(
      `  ${(imperative.wallMs / 1000).toFixed(2)} s, throttled ${counters.throttled}, failed ${imperative.failed}`,
    );
  } finally {
    await emulator.control.setQuota(null);
  }
  return runs;
}

async function main(): Promise<void> {
  const started = performance.now();
  const emulator = await startEmulator({ port: 0, updatingWindowMs: 0 });
  const sizeResults: SizeResult[] = [];
  const quotaRuns: QuotaRun[] = [];
  let plugin: PluginResults | undefined;
  try {
    for (const n of sizes) sizeResults.push(await measureSize(emulator, n));
    for (const n of quotaSizes) quotaRuns.push(...(await measureQuota(emulator, n)));
    if (pluginSizes.length > 0) plugin = await measurePlugin(emulator);
  } finally {
    await emulator.stop();
  }
  let scale: ScaleResults | undefined;
  try {
    if (scaleSizes.length + scaleQuotaSizes.length + scaleCompare.length > 0) scale = await measureScale();
  } finally {
    if (!process.env.BENCH_KEEP_PROFILES) rmSync(profileDir, { recursive: true, force: true });
  }
  const results: BenchResults = {
    machine: machine(),
    command: `node bench/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
    options: {
      sizes,
      quotaSizes,
      quotaTps,
      reps: Object.fromEntries(sizes.map((n) => [String(n), repsFor(n)])),
    },
    sizes: sizeResults,
    quota: quotaRuns,
    totalMs: performance.now() - started,
  };
  mkdirSync(resultsDir, { recursive: true });
  const stamp = results.machine.date.replace(/[:.]/g, "-");
  if (sizeResults.length + quotaRuns.length > 0) {
    writeFileSync(join(resultsDir, `bench-${stamp}.json`), JSON.stringify(results, null, 2));
    writeFileSync(join(resultsDir, "latest.json"), JSON.stringify(results, null, 2));
    writeReport(results);
  }
  if (plugin) {
    writeFileSync(join(resultsDir, `plugin-${stamp}.json`), JSON.stringify(plugin, null, 2));
    writeFileSync(join(resultsDir, "plugin-latest.json"), JSON.stringify(plugin, null, 2));
    writePluginReport(plugin);
  }
  if (scale) writeScaleReport(scale);
  log(`wrote ${join(outDir, "benchmarks.md")} in ${((performance.now() - started) / 60000).toFixed(1)} min`);
}

/** The plugin section: the same FaceRoster through both hosts, and the plugin's start-up (bench/plugin.mts). */
async function measurePlugin(emulator: RunningEmulator): Promise<PluginResults> {
  const started = performance.now();
  const start = loadavg();
  const comparisons: HostComparison[] = [];
  for (const n of pluginSizes) comparisons.push(await compareHosts(n, { emulator, reps: repsFor(n), log }));
  log(`plugin start-up: ${pluginStarts} starts`);
  const startup = pluginStarts > 0 ? await measureStartup(pluginStarts) : undefined;
  const commit = startCommit;
  return {
    machine: machine(),
    command: `node bench/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
    ...(commit && { commit }),
    load: { start, end: loadavg() },
    comparisons,
    ...(startup && { startup }),
    totalMs: performance.now() - started,
  };
}

/** The scale section: the bulk roster (bench/scale.mts). */
async function measureScale(): Promise<ScaleResults> {
  const started = performance.now();
  const date = new Date().toISOString();
  const command = `node bench/run.ts ${process.argv.slice(2).join(" ")}`.trim();
  const notMeasured: string[] = [];
  const factor = Number(args["scale-quota-factor"]);
  const profiles: QuotaProfile[] = args["scale-quota-profiles"]
    .split(",")
    .filter((name) => name.trim() !== "" && name !== "none")
    .map((name) => {
      const tps = QUOTA_PROFILES[name.trim()];
      if (!tps) throw new Error(`--scale-quota-profiles: unknown profile '${name}' (uniform, mixed)`);
      return {
        name: name.trim(),
        tps,
        enforcedBy: args["scale-quota-proxy"] ? "bench/quota-proxy.mts" : "rekognition-local",
      };
    });
  for (const n of [1000, 10000])
    if (!scaleQuotaSizes.some((x) => x.n === n))
      notMeasured.push(
        `Under quota at N=${n} : ${profiles
          .map((p) => {
            const t = minTime(n, scalePhotos, p.tps, factor);
            return `${p.name} has T_min = ${(t / 60).toFixed(0)} min`;
          })
          .join(", ")}; not run here (the run's time budget).`,
      );
  const updatingWindowMs = Number(args["scale-updating-window-ms"] ?? ENDPOINT_UPDATING_WINDOW_MS);
  if (!Number.isInteger(updatingWindowMs) || updatingWindowMs < 0)
    throw new Error(
      `--scale-updating-window-ms: '${args["scale-updating-window-ms"]}' is not a number of milliseconds; give 0 or more`,
    );
  const partialFile = join(resultsDir, "scale-partial.json");
  const bench = new ScaleBench({
    sizes: scaleSizes,
    noopReps: Number(args["scale-noop-reps"] ?? (args.quick ? 1 : 3)),
    ...(args["scale-shards"] && { shards: Number(args["scale-shards"]) }),
    updatingWindowMs,
    ...(args["scale-rate-limits"] && {
      openRateLimits: JSON.parse(args["scale-rate-limits"]) as Record<string, number>,
    }),
    quotaSizes: scaleQuotaSizes,
    quotaProfiles: profiles,
    quotaFactor: factor,
    quotaFirst: args["scale-quota-first"],
    compareSizes: scaleCompare,
    compareTimeoutMs: Number(args["scale-compare-timeout"]) * 1000,
    compareVariants: args["scale-compare-variants"].split(",").map((v) => v.trim()),
    nodeOptions,
    log,
    save: (partial) => {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(
        partialFile,
        JSON.stringify({ date, command, notMeasured, updatingWindowMs, ...partial }, null, 2),
      );
    },
  });
  const measured = await bench.run();
  const quotaNote = profiles.some((p) => p.enforcedBy !== "rekognition-local")
    ? "With --scale-quota-proxy (or before rekognition-local took a TPS per operation) the service quota is enforced in " +
      "front of the emulator by bench/quota-proxy.mts: a token bucket per operation (burst = TPS), answering 400 " +
      "ProvisionedThroughputExceededException as the emulator does."
    : undefined;
  const commit = startCommit;
  const mine: ScaleResults = {
    date,
    command,
    commit,
    totalMs: performance.now() - started,
    ...measured,
    notMeasured: [...notMeasured, ...bench.notMeasured],
    ...(quotaNote && { quotaNote }),
    updatingWindowMs,
  };
  const results = args["scale-merge"] ? mergeScale(mine, args["scale-merge"].split(",")) : mine;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, `scale-${date.replace(/[:.]/g, "-")}.json`),
    JSON.stringify(results, null, 2),
  );
  writeFileSync(join(resultsDir, "scale-latest.json"), JSON.stringify(results, null, 2));
  rmSync(partialFile, { force: true });
  return results;
}

function gitCommit(): string | undefined {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "provider", "emulator"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return undefined;
  }
}

/**
 * This run's results with the items of earlier runs that this one did not
 * measure (a size, a side-by-side variant, a quota profile at an N), each
 * labelled with its run: "run 1" is the first file, this run is the last.
 */
function mergeScale(mine: ScaleResults, files: string[]): ScaleResults {
  const earlier = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as ScaleResults);
  const label = (i: number) => `run ${i + 1}`;
  const mineLabel = label(earlier.length);
  const runs = [...earlier, mine].map((r, i) => ({
    label: label(i),
    date: r.date,
    command: r.command,
    ...(r.commit && { commit: r.commit }),
    ...(r.updatingWindowMs !== undefined && { updatingWindowMs: r.updatingWindowMs }),
  }));
  // A results file that merged others keeps only its own items here (those of its last run):
  // what it merged is in the files it came from, which are named here in their turn.
  const ownItems = (r: ScaleResults) => {
    const own = r.runs?.at(-1)?.label;
    return (x: { run?: string }) => own === undefined || x.run === undefined || x.run === own;
  };
  const isOwn = ownItems(mine);
  const sizes = mine.sizes.filter(isOwn).map((s) => ({ ...s, run: mineLabel }));
  const quota = mine.quota.filter(isOwn).map((q) => ({ ...q, run: mineLabel }));
  const compare = mine.compare.map((c) => ({
    ...c,
    runs: c.runs.filter(isOwn).map((x) => ({ ...x, run: mineLabel })),
  }));
  // Files from before sizes carried their photos per person measured 3.
  const k = (x: { photosPerPerson?: number }) => x.photosPerPerson ?? OLD_PHOTOS_PER_PERSON;
  const same = (a: { n: number; photosPerPerson?: number }, b: { n: number; photosPerPerson?: number }) =>
    a.n === b.n && k(a) === k(b);
  // The latest run first: an item measured in more than one run is shown from the latest.
  [...earlier.entries()].reverse().forEach(([i, r]) => {
    const itsOwn = ownItems(r);
    for (const s of (r.sizes ?? []).filter(itsOwn))
      if (!sizes.some((x) => same(x, s))) sizes.push({ ...s, run: label(i) });
    for (const q of (r.quota ?? []).filter(itsOwn))
      if (!quota.some((x) => same(x, q) && x.profile.name === q.profile.name && x.factor === q.factor))
        quota.push({ ...q, run: label(i) });
    for (const c of r.compare ?? []) {
      let target = compare.find((x) => same(x, c));
      if (!target) compare.push((target = { n: c.n, photosPerPerson: k(c), runs: [] }));
      for (const x of c.runs.filter(itsOwn))
        if (!target.runs.some((y) => y.variant === x.variant)) target.runs.push({ ...x, run: label(i) });
    }
  });
  sizes.sort((a, b) => a.n - b.n || k(b) - k(a));
  const measuredQuota = new Set(quota.map((q) => q.n));
  return {
    ...mine,
    runs,
    sizes,
    quota,
    compare,
    notMeasured: mine.notMeasured.filter((x) => ![...measuredQuota].some((n) => x.includes(`N=${n} `))),
  };
}

/** T_min of create at N people × K photos, seconds. */
function minTime(n: number, k: number, tps: Record<string, number>, factor: number): number {
  const needed: Record<string, number> = { CreateUser: n, IndexFaces: k * n, AssociateFaces: n };
  return Math.max(...Object.entries(needed).map(([op, c]) => c / ((tps[op] ?? tps["default"]!) * factor)));
}

/** A section of the existing report between its markers, kept when this run does not measure it. */
function existingSection(beginMarker: string, endMarker: string): string | undefined {
  try {
    const old = readFileSync(join(outDir, "benchmarks.md"), "utf8");
    const begin = old.indexOf(beginMarker);
    const end = old.indexOf(endMarker);
    return begin >= 0 && end > begin ? old.slice(begin, end + endMarker.length) + "\n" : undefined;
  } catch {
    return undefined;
  }
}

function writeReport(results: BenchResults): void {
  const keptPlugin = existingSection(PLUGIN_BEGIN, PLUGIN_END);
  const keptScale = existingSection(SCALE_BEGIN, SCALE_END);
  const { markdown, svg } = renderReport(results, "benchmarks.svg");
  let md = markdown;
  if (keptPlugin) md = splicePlugin(md, keptPlugin);
  if (keptScale) md = spliceScale(md, keptScale);
  writeFileSync(join(outDir, "benchmarks.md"), md);
  writeFileSync(join(outDir, "benchmarks.svg"), svg);
}

/** Puts the plugin section into the report, the rest of it as it is. */
function writePluginReport(results: PluginResults): void {
  let current: string;
  try {
    current = readFileSync(join(outDir, "benchmarks.md"), "utf8");
  } catch {
    current = "# Benchmarks\n";
  }
  writeFileSync(join(outDir, "benchmarks.md"), splicePlugin(current, renderPlugin(results)));
}

/** Puts the scale section into the report, the rest of it as it is. */
function writeScaleReport(results: ScaleResults): void {
  const { markdown, svg } = renderScale(results, "benchmarks-scale.svg");
  let current: string;
  try {
    current = readFileSync(join(outDir, "benchmarks.md"), "utf8");
  } catch {
    current = "# Benchmarks\n";
  }
  writeFileSync(join(outDir, "benchmarks.md"), spliceScale(current, markdown));
  writeFileSync(join(outDir, "benchmarks-scale.svg"), svg);
}

if (args["from-results"] || args["scale-from-results"] || args["plugin-from-results"]) {
  rmSync(profileDir, { recursive: true, force: true });
  if (args["from-results"])
    writeReport(JSON.parse(readFileSync(args["from-results"], "utf8")) as BenchResults);
  if (args["plugin-from-results"])
    writePluginReport(JSON.parse(readFileSync(args["plugin-from-results"], "utf8")) as PluginResults);
  if (args["scale-from-results"]) {
    const loaded = JSON.parse(readFileSync(args["scale-from-results"], "utf8")) as ScaleResults;
    writeScaleReport(args["scale-merge"] ? mergeScale(loaded, args["scale-merge"].split(",")) : loaded);
  }
  log(`wrote ${join(outDir, "benchmarks.md")}`);
} else {
  await main();
}
