// One demo stack driven through the pinned pulumi CLI on a local file backend.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from "pulumi-rekognition-faces/emulator";
import { fileBackendUrl, localPulumiEnv, repoRoot } from "../local-pulumi.mts";
import { DemoError, type Paths, type StoryLayout } from "./common.mts";

export interface PulumiRun {
  readonly code: number | null;
  readonly output: string;
}

/** What a `pulumi up` did: its exit, its output and its steps by kind ("create", "same", ...). */
export interface UpRun extends PulumiRun {
  readonly changes: Record<string, number>;
}

/** A resource of the stack's state as `pulumi stack export` has it. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly outputs?: Record<string, unknown>;
}

/** The CLI the pinned `pulumi` launcher runs; `npm run setup` builds it. */
export function checkPulumiCli(): string {
  const launcher = join(repoRoot, "node_modules", ".bin", "pulumi");
  const require = createRequire(join(repoRoot, "package.json"));
  const version = (require("pulumi/package.json") as { version: string }).version;
  const home = process.env["PULUMI_HOME"] ?? join(homedir(), ".pulumi");
  const cli = join(home, "versions", version, "bin", "pulumi");
  if (!existsSync(launcher) || !existsSync(cli)) {
    throw new DemoError(
      `the Pulumi CLI ${version} is not there yet (${existsSync(launcher) ? cli : launcher} is missing): ` +
        "run npm install, then npm run setup, which builds it",
    );
  }
  return launcher;
}

/** The environment every pulumi command of the demo runs in; the credentials are rekognition-local's. */
export function pulumiEnv(paths: Paths, endpoint: string): NodeJS.ProcessEnv {
  return localPulumiEnv({
    PULUMI_BACKEND_URL: fileBackendUrl(paths.backendDir),
    PULUMI_CONFIG_PASSPHRASE: "rekognition-roster-demo",
    AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey,
    AWS_REGION: DEFAULT_REGION,
    AWS_EC2_METADATA_DISABLED: "true",
    REKOGNITION_LOCAL_ENDPOINT: endpoint,
  });
}

/** Steps by kind ("create", "same", ...) from the engine's event log. */
export function changesIn(eventLog: string): Record<string, number> {
  if (!existsSync(eventLog)) return {};
  for (const line of readFileSync(eventLog, "utf8").split("\n")) {
    if (!line.includes("summaryEvent")) continue;
    const event = JSON.parse(line) as { summaryEvent?: { resourceChanges?: Record<string, number> } };
    return event.summaryEvent?.resourceChanges ?? {};
  }
  return {};
}

/** The kinds of change that are not "same", with their counts. */
export function realChanges(changes: Record<string, number>): [string, number][] {
  return Object.entries(changes).filter(([kind, n]) => kind !== "same" && n > 0);
}

/** "Deployed: 11 create." or "No changes: ... (11 resources unchanged)." */
export function describeUp(changes: Record<string, number>, what: string): string {
  const changed = realChanges(changes);
  return changed.length === 0
    ? `No changes: ${what} already matches the program (${changes["same"] ?? 0} resources unchanged).`
    : `Deployed: ${changed.map(([kind, n]) => `${n} ${kind}`).join(", ")}.`;
}

export class DemoStack {
  private readonly launcher: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly story: StoryLayout;
  private readonly paths: Paths;
  private readonly stack: string[];

  constructor(launcher: string, env: NodeJS.ProcessEnv, story: StoryLayout, paths: Paths) {
    this.launcher = launcher;
    this.env = env;
    this.story = story;
    this.paths = paths;
    this.stack = ["--stack", story.stackName];
  }

  /** Runs pulumi in the story's program folder. */
  run(args: readonly string[]): Promise<PulumiRun> {
    const child = spawn(this.launcher, [...args, "--non-interactive"], {
      cwd: this.story.programDir,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolveRun, rejectRun) => {
      child.on("error", rejectRun);
      child.on("close", (code) => resolveRun({ code, output: stdout + stderr }));
    });
  }

  async must(args: readonly string[]): Promise<string> {
    const run = await this.run(args);
    if (run.code !== 0) throw new DemoError(`pulumi ${args.join(" ")} failed:\n${run.output.slice(-4000)}`);
    return run.output;
  }

  async exists(): Promise<boolean> {
    return (await this.run(["stack", "select", ...this.stack])).code === 0;
  }

  /** Creates the stack if need be and sets its configuration (plaintext, by path). */
  async configure(settings: Record<string, string>): Promise<void> {
    await this.must(["stack", "select", "--create", ...this.stack]);
    // `stack init` writes the passphrase salt beside Pulumi.yaml; the demo keeps it in .pulumi-local.
    const written = join(this.story.programDir, `Pulumi.${this.story.stackName}.yaml`);
    if (existsSync(written)) renameSync(written, this.paths.configFile);
    const pairs = Object.entries(settings).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]);
    await this.must([
      "config",
      "set-all",
      "--path",
      ...this.stack,
      "--config-file",
      this.paths.configFile,
      ...pairs,
    ]);
  }

  async up(): Promise<UpRun> {
    const args = ["up", "--yes", "--skip-preview", "--suppress-outputs", ...this.stack];
    return this.withEventLog("up", [...args, "--config-file", this.paths.configFile]);
  }

  /** Like `up`, but a failure ends the demo. */
  async mustUp(): Promise<UpRun> {
    const run = await this.up();
    if (run.code !== 0) throw new DemoError(`pulumi up failed:\n${run.output.slice(-4000)}`);
    return run;
  }

  async outputs<T>(): Promise<T> {
    return JSON.parse(await this.must(["stack", "output", "--json", ...this.stack])) as T;
  }

  /** The resources of the stack's state. */
  async state(): Promise<StateResource[]> {
    const exported = JSON.parse(await this.must(["stack", "export", ...this.stack])) as {
      deployment: { resources?: StateResource[] };
    };
    return exported.deployment.resources ?? [];
  }

  /** Destroys the stack's resources, then removes the stack and its settings; returns the steps by kind. */
  async destroy(): Promise<Record<string, number>> {
    const args = [
      "destroy",
      "--yes",
      "--skip-preview",
      ...this.stack,
      "--config-file",
      this.paths.configFile,
    ];
    const run = await this.withEventLog("destroy", args);
    if (run.code !== 0) throw new DemoError(`pulumi destroy failed:\n${run.output.slice(-4000)}`);
    await this.must(["stack", "rm", "--yes", ...this.stack]);
    rmSync(this.paths.configFile, { force: true });
    return run.changes;
  }

  /** Runs an update command with the engine's event log, for its steps by kind. */
  private async withEventLog(command: string, args: readonly string[]): Promise<UpRun> {
    const eventLog = join(this.paths.localDir, `${this.story.stackName}-last-${command}.events.jsonl`);
    rmSync(eventLog, { force: true });
    const run = await this.run([...args, "--event-log", eventLog]);
    return { ...run, changes: changesIn(eventLog) };
  }
}
