// The README's TypeScript set-up ("Using it in a stack"), done as it says in a
// folder outside this repository: its shell lines run as written (the tarball
// from `npm pack`), then a roster deployed with the project's own `npx pulumi`,
// type-checked by the project's TypeScript, on the project's Node.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { packAsPublished } from "../harness/pack.js";
import { fileBackendUrl, repoRoot } from "../harness/pulumi.js";
import { startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";

const run = promisify(execFile);

/** The README's first shell block under "## Using it in a stack", the line that packs the clone left out. */
function readmeSetup(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Using it in a stack\n"));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no shell block under ## Using it in a stack");
  const lines = match[1]!.trim().split("\n");
  expect(lines[0]).toMatch(/^npm install && npm pack\b/);
  return lines.slice(1);
}

const program = `import * as pulumi from "@pulumi/pulumi";
import { Collection, FaceRoster } from "pulumi-rekognition-faces";

const staff = new Collection("staff", { collectionId: "first-hour", deleteOnDestroy: true });
const roster = new FaceRoster("team", {
  collectionId: staff.collectionId,
  people: { alice: ["photos/alice-1.png"], bob: ["photos/bob-1.png"] },
});
export const people = roster.summary.apply((s) => s.people);
export const node = process.version;
`;

describe("the README's TypeScript set-up, on a fresh project", () => {
  let local: LocalRekognition;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    local = await startLocalRekognition();
    dir = mkdtempSync(join(tmpdir(), "rekognition-faces-ts-"));
    mkdirSync(join(dir, ".state"));
    // A user's shell: none of this repository's tools on the PATH (its Node 24 among them).
    const path = (process.env["PATH"] ?? "")
      .split(delimiter)
      .filter((entry) => !entry.startsWith(repoRoot) && !entry.includes("/.pulumi/"))
      .join(delimiter);
    const { PULUMI_NODEJS_TRANSPILE_ONLY: _typeChecked, ...rest } = process.env;
    env = {
      ...rest,
      PATH: path,
      ...local.env,
      PULUMI_BACKEND_URL: fileBackendUrl(join(dir, ".state")),
      PULUMI_CONFIG_PASSPHRASE: "first-hour",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
    };
  });
  afterAll(async () => {
    await local?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("its lines make a project whose `npx pulumi up` deploys a roster, on Node 24", async () => {
    // The package as the README's `npm pack` makes it in a clone.
    const clone = join(dir, "clone");
    mkdirSync(clone);
    await packAsPublished(clone, env);
    const script = ["set -e", ...readmeSetup()].join("\n").replaceAll("<clone>", clone);
    const setup = await run("bash", ["-c", script], { cwd: dir, env, maxBuffer: 1 << 24 });
    // npm names each installed package whose install scripts it did not run: the package has none.
    expect(setup.stdout + setup.stderr).toContain("added");
    expect(setup.stdout + setup.stderr).not.toMatch(/install-scripts.*pulumi-rekognition-faces/);

    const project = join(dir, "my-roster");
    writeFileSync(join(project, "index.ts"), program);
    mkdirSync(join(project, "photos"));
    for (const person of ["alice", "bob"])
      writeFileSync(join(project, "photos", `${person}-1.png`), generatePortrait(person, 1));
    const pulumi = async (...args: string[]): Promise<string> => {
      try {
        const { stdout, stderr } = await run("npx", ["pulumi", ...args, "--non-interactive"], {
          cwd: project,
          env,
          maxBuffer: 1 << 24,
        });
        return stdout + stderr;
      } catch (err) {
        const failed = err as { stdout?: string; stderr?: string };
        throw new Error(`npx pulumi ${args.join(" ")} failed:\n${failed.stdout}\n${failed.stderr}`, {
          cause: err,
        });
      }
    };

    expect(await pulumi("version")).toContain("v3.259.0");
    await pulumi("stack", "init", "dev");
    await pulumi("config", "set", "aws:region", local.emulator.region);
    await pulumi("config", "set", "--path", "aws:endpoints[0].rekognition", local.emulator.endpoint);
    const up = await pulumi("up", "--yes");
    expect(up).not.toMatch(/Warning|warning:/);

    const outputs = JSON.parse(await pulumi("stack", "output", "--json")) as Record<string, unknown>;
    expect(outputs["node"]).toMatch(/^v24\./);
    expect(outputs["people"]).toBe(2);
    expect(await usersOf(local, "first-hour")).toEqual(["alice", "bob"]);
    await pulumi("destroy", "--yes");
    await expect(usersOf(local, "first-hour")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
