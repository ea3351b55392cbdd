// A throwaway Pulumi project and stack on the local file backend, driven by
// the real `pulumi` CLI like test/harness/stack.ts (which Node's type
// stripping cannot import: it imports with .js extensions), plus peak memory
// sampling of the process tree.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binDir, fileBackendUrl, localPulumiEnv, projectYaml, repoRoot } from "../scripts/local-pulumi.mts";
import { MemorySampler, type PeakMemory } from "./procmem.mts";

export { repoRoot };
const stacksRoot = join(repoRoot, ".stacks");

export interface StepRun {
  readonly ok: boolean;
  readonly code: number | null;
  readonly wallMs: number;
  readonly memory: PeakMemory;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed when it ran past its time cap. */
  readonly timedOut?: boolean;
}

/** Pulumi.yaml's `plugins.providers`, as a project that uses a provider plugin from a folder writes it. */
function pluginsYaml(plugins: Record<string, string>): string {
  const entries = Object.entries(plugins);
  if (entries.length === 0) return "";
  return [
    "plugins:",
    "  providers:",
    ...entries.flatMap(([name, path]) => [`    - name: ${name}`, `      path: ${path}`]),
    "",
  ].join("\n");
}

/** What a stack needs to deploy to rekognition-local: the endpoint's region and URL under `prefix` (`aws:` keys by default), its keys. */
export function localEndpointStack(
  emulator: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  },
  prefix = "aws",
): { config: Record<string, string>; env: Record<string, string> } {
  return {
    config: {
      [`${prefix}:region`]: emulator.region,
      [`${prefix}:endpoints[0].rekognition`]: emulator.endpoint,
    },
    env: {
      AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
      AWS_REGION: emulator.region,
      AWS_EC2_METADATA_DISABLED: "true",
    },
  };
}

export class BenchStack {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(dir: string, env: NodeJS.ProcessEnv) {
    this.dir = dir;
    this.env = env;
  }

  static async create(spec: {
    name: string;
    program: string;
    config?: Record<string, string>;
    env?: Record<string, string>;
    /** Package folders to place in the stack's node_modules: `{ name: folder }`. */
    packages?: Record<string, string>;
    /** Provider plugins the project names in Pulumi.yaml: `{ name: folder }`, relative to the stack's folder. */
    providerPlugins?: Record<string, string>;
  }): Promise<BenchStack> {
    const dir = join(stacksRoot, `${spec.name}-${randomBytes(4).toString("hex")}`);
    mkdirSync(join(dir, ".state"), { recursive: true });
    writeFileSync(join(dir, "Pulumi.yaml"), projectYaml(spec.name) + pluginsYaml(spec.providerPlugins ?? {}));
    writeFileSync(join(dir, "index.ts"), spec.program);
    for (const [name, folder] of Object.entries(spec.packages ?? {})) {
      mkdirSync(join(dir, "node_modules"), { recursive: true });
      symlinkSync(folder, join(dir, "node_modules", name), "dir");
    }
    const stack = new BenchStack(
      dir,
      localPulumiEnv({
        PULUMI_BACKEND_URL: fileBackendUrl(join(dir, ".state")),
        // The stack's photo digest memo stays with it, and goes with it.
        REKOGNITION_FACES_CACHE_DIR: join(dir, ".cache"),
        ...spec.env,
      }),
    );
    await stack.must(["stack", "init", "bench", "--non-interactive"]);
    const config = Object.entries(spec.config ?? {}).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]);
    if (config.length > 0) await stack.must(["config", "set-all", "--path", ...config, "--non-interactive"]);
    return stack;
  }

  writeFile(relative: string, content: string): void {
    writeFileSync(join(this.dir, relative), content);
  }

  /** `pulumi up`; with `timeoutMs`, the command's process group is killed past it. */
  up(extra: string[] = [], env: Record<string, string> = {}, timeoutMs?: number): Promise<StepRun> {
    return this.step(["up", "--yes", "--skip-preview", ...extra], env, timeoutMs);
  }

  refresh(env: Record<string, string> = {}): Promise<StepRun> {
    return this.step(["refresh", "--yes", "--skip-preview"], env);
  }

  destroy(env: Record<string, string> = {}): Promise<StepRun> {
    return this.step(["destroy", "--yes", "--skip-preview"], env);
  }

  /** `pulumi stack export`: the stack's state as the engine hands it out. */
  async exportState(): Promise<string> {
    const run = await this.run(["stack", "export"], {}, false);
    if (run.code !== 0) throw new Error(`pulumi stack export failed: ${run.stderr.slice(-3000)}`);
    return run.stdout;
  }

  /** How many resources the stack's last checkpoint holds (the file backend's state), if it has one. */
  resourceCount(): number | undefined {
    const stacks = join(this.dir, ".state", ".pulumi", "stacks");
    try {
      for (const project of readdirSync(stacks)) {
        const state = JSON.parse(readFileSync(join(stacks, project, "bench.json"), "utf8")) as {
          checkpoint?: { latest?: { resources?: unknown[] } };
        };
        return state.checkpoint?.latest?.resources?.length ?? 0;
      }
    } catch {
      // no checkpoint yet
    }
    return undefined;
  }

  /** Bytes of the stack's state file (the file backend's checkpoint), if it has one. */
  checkpointBytes(): number | undefined {
    const stacks = join(this.dir, ".state", ".pulumi", "stacks");
    try {
      for (const project of readdirSync(stacks)) return statSync(join(stacks, project, "bench.json")).size;
    } catch {
      // no checkpoint yet
    }
    return undefined;
  }

  /** Removes the folder (and with it the file backend's state). */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async must(args: string[]): Promise<void> {
    const run = await this.run(args, {}, false);
    if (run.code !== 0)
      throw new Error(
        `pulumi ${args.join(" ")} failed: ${run.stderr.slice(-3000)}${run.stdout.slice(-3000)}`,
      );
  }

  private step(args: string[], env: Record<string, string> = {}, timeoutMs?: number): Promise<StepRun> {
    return this.run([...args, "--non-interactive"], env, true, timeoutMs);
  }

  private run(
    args: string[],
    env: Record<string, string>,
    sample: boolean,
    timeoutMs?: number,
  ): Promise<StepRun> {
    const started = performance.now();
    const child = spawn(join(binDir, "pulumi"), args, {
      cwd: this.dir,
      env: { ...this.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const sampler = sample && child.pid ? new MemorySampler(child.pid) : undefined;
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    let timedOut = false;
    // The child leads its own process group (detached): the engine, program and provider host go with it.
    const cap =
      timeoutMs && child.pid
        ? setTimeout(() => {
            timedOut = true;
            process.kill(-child.pid!, "SIGKILL");
          }, timeoutMs)
        : undefined;
    return new Promise((resolveRun, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(cap);
        const memory = sampler?.stop() ?? { engineKb: 0, providerHostKb: 0, programKb: 0 };
        resolveRun({
          ok: code === 0 && !timedOut,
          code,
          wallMs: performance.now() - started,
          memory,
          stdout,
          stderr,
          ...(timedOut && { timedOut }),
        });
      });
    });
  }
}
