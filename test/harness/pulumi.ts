import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

/** The repository root: stacks and the pinned toolchain are found from here. */
export const repoRoot = resolve(__dirname, "..", "..");
const binDir = join(repoRoot, "node_modules", ".bin");

/**
 * The environment every `pulumi` command runs in: the pinned Node first on
 * PATH, no update checks or plugin downloads, and a passphrase secrets
 * provider (no Pulumi account anywhere).
 */
export function pulumiEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: "local-test-passphrase",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    // Enables `--event-log`, the structured record of a deployment that tests read.
    PULUMI_DEBUG_COMMANDS: "true",
    // Type-checking belongs to `npm run lint`; deployments transpile only.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    ...extra,
  };
}

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface RunningCommand {
  readonly child: ChildProcess;
  readonly done: Promise<CommandResult>;
}

/** Starts the pinned `pulumi` launcher; the caller may await or kill it. */
export function startPulumi(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): RunningCommand {
  const launcher = join(binDir, "pulumi");
  if (!existsSync(launcher)) throw new Error(`${launcher} is missing: run npm install`);
  const started = Date.now();
  const child = spawn(launcher, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<CommandResult>((resolveDone, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolveDone({ code, signal, stdout, stderr, durationMs: Date.now() - started }),
    );
  });
  return { child, done };
}

export async function runPulumi(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CommandResult> {
  return startPulumi(args, cwd, env).done;
}
