import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { binDir } from "../../scripts/local-pulumi.mts";

export {
  fileBackendUrl,
  repoRoot,
  projectYaml,
  localPulumiEnv as pulumiEnv,
} from "../../scripts/local-pulumi.mts";

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
