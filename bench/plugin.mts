// The "plugin vs dynamic" section of `npm run bench`: one per-resource
// FaceRoster deployed through the dynamic provider and through the provider
// plugin (`pulumi-resource-rekognition-faces`), side by side in one run with
// the order alternating per repetition; and the plugin's start-up time.
import { spawn } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import type { RunningEmulator } from "pulumi-rekognition-faces/emulator";
import { faceRosterProgram } from "./programs.mts";
import {
  baseRoster,
  ensureRosterPhotos,
  onePercentChange,
  photoCount,
  photoDir,
  writeManifest,
} from "./scale-data.mts";
import { createCollection, holds } from "./scale.mts";
import { BenchStack, localEndpointStack, repoRoot, type StepRun } from "./stack.mts";
import {
  HOSTS,
  type HostComparison,
  type HostName,
  type HostSample,
  type HostStepName,
  type StartupTimes,
} from "./types.mts";

export const launcher = join(repoRoot, "bin", "pulumi-resource-rekognition-faces");
const pluginMain = join(repoRoot, "dist", "provider", "plugin", "main.js");
/** The Node the launcher picks for this package (the nearest node_modules/.bin/node). */
const node = join(repoRoot, "node_modules", ".bin", "node");

/** Each host's stack: the same program, the package imported from its entry, configured under its keys. */
async function hostStack(emulator: RunningEmulator, host: HostName, n: number): Promise<BenchStack> {
  const prefix = host === "plugin" ? "rekognition-faces" : "aws";
  const stack = await BenchStack.create({
    name: `bench-${host}-${n}`,
    program: faceRosterProgram(
      host === "plugin" ? "pulumi-rekognition-faces/plugin" : "pulumi-rekognition-faces",
    ),
    ...localEndpointStack(emulator, prefix),
    // The plugin as a project uses it: the package in node_modules, its bin/ named in Pulumi.yaml.
    ...(host === "plugin" && {
      packages: { "pulumi-rekognition-faces": repoRoot },
      providerPlugins: { "rekognition-faces": "./node_modules/pulumi-rekognition-faces/bin" },
    }),
  });
  symlinkSync(photoDir, join(stack.dir, "photos"), "dir");
  return stack;
}

export interface HostBenchOptions {
  readonly emulator: RunningEmulator;
  readonly reps: number;
  readonly log: (line: string) => void;
}

/** The per-resource FaceRoster at N people (3 photos each) through both hosts. */
export async function compareHosts(n: number, opts: HostBenchOptions): Promise<HostComparison> {
  const { emulator, reps, log } = opts;
  const base = baseRoster(n, 3);
  const change = onePercentChange(base, 3);
  ensureRosterPhotos(base, log);
  ensureRosterPhotos(change.roster, log);
  const stacks = {} as Record<HostName, BenchStack>;
  const samples: HostSample[] = [];
  const stateBytes: HostComparison["stateBytes"] = [];
  try {
    for (const host of HOSTS) stacks[host] = await hostStack(emulator, host, n);
    for (let rep = 1; rep <= reps; rep++) {
      // Alternate which host goes first, so a machine warming up or getting busier favours neither.
      const order = rep % 2 === 1 ? HOSTS : [...HOSTS].reverse();
      for (const [i, host] of order.entries()) {
        const stack = stacks[host];
        // A fresh collection per run: request tokens derive from the collection and user.
        const collectionId = createCollection(emulator, `hosts-${host}-${n}-${rep}`);
        stack.writeFile("roster.json", JSON.stringify({ collectionId }));
        log(`plugin vs dynamic N=${n} rep ${rep}/${reps}: ${host}`);
        const step = async (
          name: HostStepName,
          run: () => Promise<StepRun>,
          check?: () => { ok: boolean; detail?: string },
        ): Promise<HostSample> => {
          await emulator.control.resetCounters();
          const result = await run();
          const counters = await emulator.control.counters();
          const verified = check?.();
          const sample: HostSample = {
            host,
            step: name,
            rep,
            order: i + 1,
            ok: result.ok,
            wallMs: result.wallMs,
            calls: Object.fromEntries(Object.entries(counters.byOperation).filter(([, v]) => v > 0)),
            ...(verified && { verified: verified.ok }),
            ...(verified?.detail && { verifyDetail: verified.detail }),
            ...(!result.ok && { error: (result.stdout + result.stderr).slice(-2500) }),
          };
          log(
            `  ${name.padEnd(11)} ${(result.wallMs / 1000).toFixed(2).padStart(7)} s ${result.ok ? "" : "FAILED "}` +
              `${verified ? (verified.ok ? "verified " : `NOT AS DECLARED (${verified.detail}) `) : ""}${JSON.stringify(sample.calls)}`,
          );
          if (!result.ok) log(`    ${sample.error!.slice(-1500).replace(/\n/g, "\n    ")}`);
          samples.push(sample);
          return sample;
        };
        await writeManifest(join(stack.dir, "people.csv"), base);
        const created = await step(
          "create",
          () => stack.up(),
          () => holds(emulator, collectionId, base),
        );
        if (created.ok) stateBytes.push({ host, rep, bytes: Buffer.byteLength(await stack.exportState()) });
        await step("no-op up", () => stack.up());
        await writeManifest(join(stack.dir, "people.csv"), change.roster);
        await step(
          "1 % change",
          () => stack.up(),
          () => holds(emulator, collectionId, change.roster),
        );
        await step(
          "destroy",
          () => stack.destroy(),
          () => holds(emulator, collectionId, new Map()),
        );
      }
    }
  } finally {
    for (const stack of Object.values(stacks)) stack.remove();
  }
  return {
    n,
    photos: photoCount(base),
    reps,
    change: { gained: change.gained, lost: change.lost, added: change.added, removed: change.removed },
    samples,
    stateBytes,
  };
}

/** Spawn to the first stdout line, which must be a port number; the process is ended then. */
function untilPortLine(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let took: number | undefined;
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      if (took === undefined && out.includes("\n")) {
        took = performance.now() - started;
        child.kill();
      }
    });
    child.on("error", reject);
    child.on("close", () => {
      const line = out.split("\n")[0]!.trim();
      if (took !== undefined && /^\d+$/.test(line)) resolve(took);
      else reject(new Error(`${command} printed no port line first: '${line}' ${err.slice(-1500)}`));
    });
  });
}

/** Spawn to exit. */
function untilExit(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

/**
 * The plugin's start-up, as the engine sees it: from spawning the launcher to
 * the port line; beside it main.js on the same Node without the launcher, and
 * `node -e 0` (the floor). Interleaved, one of each per round.
 */
export async function measureStartup(starts: number): Promise<StartupTimes> {
  const times: StartupTimes = { starts, node: "", launcherMs: [], mainMs: [], nodeMs: [] };
  const version = await new Promise<string>((resolve) => {
    const child = spawn(node, ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.on("close", () => resolve(out.trim()));
  });
  for (let i = 0; i < starts; i++) {
    times.launcherMs.push(await untilPortLine(launcher, []));
    times.mainMs.push(await untilPortLine(node, ["--disable-warning=ExperimentalWarning", pluginMain]));
    times.nodeMs.push(await untilExit(node, ["-e", "0"]));
  }
  return { ...times, node: version };
}
