import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  projectYaml,
  fileBackendUrl,
  pulumiEnv,
  repoRoot,
  runPulumi,
  startPulumi,
  type CommandResult,
  type RunningCommand,
} from "./pulumi.js";

/** One line of the engine's event log (`--event-log`), the parts tests read. */
export interface EngineEvent {
  readonly diagnosticEvent?: { urn?: string; message: string; severity: string; ephemeral?: boolean };
  readonly summaryEvent?: { resourceChanges?: Record<string, number> };
  readonly resOutputsEvent?: { metadata: { urn: string; op: string; type: string } };
  readonly resourcePreEvent?: {
    metadata: {
      urn: string;
      op: string;
      type: string;
      diffs?: string[];
      detailedDiff?: Record<string, { kind: string }>;
    };
  };
}

export interface OperationResult extends CommandResult {
  readonly ok: boolean;
  readonly events: EngineEvent[];
  /** Error diagnostics, the messages a user sees under "Diagnostics". */
  readonly errors: string[];
  /** Steps by kind, from the summary ("create", "same", "update", "delete", "replace"). */
  readonly changes: Record<string, number>;
}

/** A resource in the exported state (`pulumi stack export`). */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly pendingReplacement?: boolean;
}

export interface StackSpec {
  /** A short name for the folder and project. */
  readonly name: string;
  /** The TypeScript program, written to index.ts (a Node.js project). */
  readonly program?: string;
  /** A YAML program instead: the whole Pulumi.yaml (../e2e/yaml-*.test.ts). */
  readonly yaml?: string;
  readonly config?: Record<string, string>;
  readonly secretConfig?: Record<string, string>;
  /** Extra environment for every command (credentials, for instance); undefined unsets a variable. */
  readonly env?: Record<string, string | undefined>;
}

export interface UpOptions {
  /** Fail the test unless the operation fails. */
  readonly expectFailure?: boolean;
  /** Either outcome is fine (fault bursts): the caller checks the state instead. */
  readonly mayFail?: boolean;
  /** Run the preview that `pulumi up` runs by default (off: faster, same effect). */
  readonly withPreview?: boolean;
  readonly refresh?: boolean;
  /** The engine's --parallel (1: one resource operation at a time). */
  readonly parallel?: number;
}

/** A Node.js project whose `plugins:` names the plugin of the package installed in it. */
export const pluginNodeProject = (name: string): string =>
  `${projectYaml(name)}plugins:\n  providers:\n    - name: rekognition-faces\n      path: ./node_modules/pulumi-rekognition-faces/bin\n`;

const stacksRoot = join(repoRoot, ".stacks");
const stackName = "test";

/**
 * A throwaway Pulumi project and stack on the local file backend. Its folder
 * sits inside the repository so that the program and the serialized provider
 * resolve this package by name, as a user's stack resolves it from
 * node_modules.
 */
export class TestStack {
  private constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A stack deployed against a running rekognition-local. */
  static async on(
    local: { readonly config: Record<string, string>; readonly env: Record<string, string> },
    name: string,
    program: string,
  ): Promise<TestStack> {
    return TestStack.create({ name, program, config: local.config, env: local.env });
  }

  /** A Node.js stack whose program uses the provider plugin (`pulumi-rekognition-faces/plugin`), set up as the README says. */
  static async onPlugin(
    local: { readonly pluginConfig: Record<string, string>; readonly env: Record<string, string> },
    name: string,
    program: string,
  ): Promise<TestStack> {
    return TestStack.create({
      name,
      program,
      yaml: pluginNodeProject(name),
      config: local.pluginConfig,
      env: local.env,
    });
  }

  static async create(spec: StackSpec): Promise<TestStack> {
    const dir = join(stacksRoot, `${spec.name}-${randomBytes(4).toString("hex")}`);
    mkdirSync(join(dir, ".state"), { recursive: true });
    writeFileSync(join(dir, "Pulumi.yaml"), spec.yaml ?? projectYaml(spec.name));
    if (spec.program !== undefined) writeFileSync(join(dir, "index.ts"), spec.program);
    // Where `npm install pulumi-rekognition-faces` puts the package (and the plugin a YAML project names).
    if (spec.yaml !== undefined) linkPackage(dir);
    const env = pulumiEnv({
      PULUMI_BACKEND_URL: fileBackendUrl(join(dir, ".state")),
      // The stack's photo digest memo stays with it, not in the user's cache folder.
      REKOGNITION_FACES_CACHE_DIR: join(dir, ".cache"),
      ...spec.env,
    });
    const stack = new TestStack(dir, env);
    await stack.must(["stack", "init", stackName, "--non-interactive"]);
    await stack.setConfig(spec.config ?? {}, spec.secretConfig ?? {});
    return stack;
  }

  get stackFile(): string {
    return join(this.dir, `Pulumi.${stackName}.yaml`);
  }

  writeProgram(program: string): void {
    writeFileSync(join(this.dir, "index.ts"), program);
  }

  /** Installs this package in the project's own node_modules, where Pulumi.yaml's `plugins:` finds the plugin. */
  linkPackage(): void {
    linkPackage(this.dir);
  }

  /** Replaces a YAML project's Pulumi.yaml. */
  writeYaml(project: string): void {
    writeFileSync(join(this.dir, "Pulumi.yaml"), project);
  }

  writeFile(relative: string, content: string | Buffer): string {
    const path = join(this.dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  async setConfig(plain: Record<string, string>, secret: Record<string, string> = {}): Promise<void> {
    const args = [
      ...Object.entries(plain).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]),
      ...Object.entries(secret).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
    ];
    // --path: keys such as aws:endpoints[0].rekognition build structured values.
    if (args.length > 0) await this.must(["config", "set-all", "--path", ...args]);
  }

  async up(options: UpOptions = {}): Promise<OperationResult> {
    const args = ["up", "--yes"];
    if (!options.withPreview) args.push("--skip-preview");
    if (options.refresh) args.push("--refresh");
    if (options.parallel !== undefined) args.push("--parallel", String(options.parallel));
    return this.operation(args, options.expectFailure, options.mayFail);
  }

  /** Starts `pulumi up` without waiting for it, for tests that interrupt it. */
  startUp(): RunningCommand {
    return startPulumi(["up", "--yes", "--skip-preview", "--non-interactive"], this.dir, this.env);
  }

  async preview(options: { expectFailure?: boolean; diff?: boolean } = {}): Promise<OperationResult> {
    return this.operation(options.diff ? ["preview", "--diff"] : ["preview"], options.expectFailure);
  }

  async refresh(options: { expectFailure?: boolean } = {}): Promise<OperationResult> {
    return this.operation(["refresh", "--yes", "--skip-preview"], options.expectFailure);
  }

  /** `pulumi destroy --yes`; with `withPreview`, as a user runs it, preview first. */
  async destroy(options: { expectFailure?: boolean; withPreview?: boolean } = {}): Promise<OperationResult> {
    const args = ["destroy", "--yes"];
    if (!options.withPreview) args.push("--skip-preview");
    return this.operation(args, options.expectFailure);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.must(["stack", "output", "--json", "--show-secrets"]);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  /** The state file's text exactly as the backend stores it. */
  async exportStateText(): Promise<string> {
    return (await this.must(["stack", "export"])).stdout;
  }

  async resources(type?: string): Promise<StateResource[]> {
    const deployment = JSON.parse(await this.exportStateText()) as {
      deployment: { resources?: StateResource[] };
    };
    const all = deployment.deployment.resources ?? [];
    return type ? all.filter((r) => r.type === type) : all;
  }

  /** The one resource of a type with the given logical name. */
  async resource(name: string): Promise<StateResource> {
    const found = (await this.resources()).filter((r) => r.urn.endsWith(`::${name}`));
    if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0]!;
  }

  async pulumi(args: readonly string[]): Promise<CommandResult> {
    return runPulumi(args, this.dir, this.env);
  }

  /** Destroys what is left and removes the folder. */
  async dispose(): Promise<void> {
    await this.pulumi(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
    await this.pulumi(["stack", "rm", "--yes", "--force", "--non-interactive"]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async must(args: readonly string[]): Promise<CommandResult> {
    const result = await this.pulumi([...args, "--non-interactive"]);
    if (result.code !== 0) throw new Error(describe(args, result));
    return result;
  }

  private async operation(
    args: readonly string[],
    expectFailure = false,
    mayFail = false,
  ): Promise<OperationResult> {
    const eventLog = join(this.dir, `.events-${randomBytes(3).toString("hex")}.jsonl`);
    const result = await this.pulumi([...args, "--non-interactive", "--event-log", eventLog]);
    const events = readEvents(eventLog);
    rmSync(eventLog, { force: true });
    const ok = result.code === 0;
    if (ok === expectFailure && !mayFail) {
      throw new Error(`expected ${expectFailure ? "failure" : "success"}: ${describe(args, result)}`);
    }
    const errors = events
      .map((e) => e.diagnosticEvent)
      .filter((d): d is NonNullable<EngineEvent["diagnosticEvent"]> => d?.severity === "error")
      .map((d) => stripAnsi(d.message));
    const changes = events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
    return { ...result, ok, events, errors, changes };
  }
}

function linkPackage(dir: string): void {
  const link = join(dir, "node_modules", "pulumi-rekognition-faces");
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(repoRoot, link, "dir");
}

function readEvents(path: string): EngineEvent[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

export function stripAnsi(text: string): string {
  return text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m|<\\{%[a-z]+%\\}>`, "gi"), "");
}

function describe(args: readonly string[], result: CommandResult): string {
  return [
    `pulumi ${args.join(" ")} exited ${result.code ?? result.signal}`,
    `--- stdout ---\n${result.stdout.slice(-6000)}`,
    `--- stderr ---\n${result.stderr.slice(-4000)}`,
  ].join("\n");
}
