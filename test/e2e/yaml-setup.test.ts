// The README's YAML set-up, done as it says, in a folder outside this
// repository: the package installed from its npm tarball, the README's own
// Pulumi.yaml, then `pulumi up`.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { fileBackendUrl, pulumiEnv, repoRoot, runPulumi } from "../harness/pulumi.js";
import {
  facesOfUser,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { packAsPublished } from "../harness/pack.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const run = promisify(execFile);

/** The README's first shell block after the heading "### YAML". */
function readmeSetup(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n### YAML\n"));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no shell block under ### YAML");
  return match[1]!.trim().split("\n");
}

/** The README's first YAML block after the heading "### YAML". */
function readmeProject(): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n### YAML\n"));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no YAML project under ### YAML");
  return match[1]!;
}

describe("the README's YAML set-up, on a fresh project", () => {
  let local: LocalRekognition;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ensureYamlHost();
    local = await startLocalRekognition();
    dir = mkdtempSync(join(tmpdir(), "rekognition-faces-yaml-"));
    env = pulumiEnv({ PULUMI_BACKEND_URL: fileBackendUrl(join(dir, ".state")), ...local.env });
    mkdirSync(join(dir, ".state"));
  });
  afterAll(async () => {
    await local?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the packed tarball installed, `pulumi up` deploys the README's project", async () => {
    // The package as the README's `npm pack` makes it in a clone.
    const tarball = await packAsPublished(dir, env);
    writeFileSync(join(dir, "Pulumi.yaml"), readmeProject());
    mkdirSync(join(dir, "photos"));
    writeFileSync(join(dir, "photos", "alice-1.jpg"), generatePortrait("alice", 1, { format: "jpeg" }));
    // The README's lines as written, against this test's rekognition-local.
    const script = ["set -e", ...readmeSetup()]
      .join("\n")
      .replaceAll("<clone>/pulumi-rekognition-faces-0.1.0.tgz", tarball)
      .replaceAll("http://127.0.0.1:4599", local.emulator.endpoint)
      .replaceAll("us-east-1", local.emulator.region)
      .replaceAll("npx pulumi up", "npx pulumi up --yes --non-interactive");
    await run("bash", ["-c", script], { cwd: dir, env, maxBuffer: 1 << 24 });
    const pulumi = async (...args: string[]) => {
      const result = await runPulumi([...args, "--non-interactive"], dir, env);
      expect(result.code, `pulumi ${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result;
    };

    expect(await usersOf(local, "staff")).toEqual(["alice"]);
    expect(await facesOfUser(local, "staff", "alice")).toHaveLength(1);
    const schema = await pulumi(
      "package",
      "get-schema",
      "./node_modules/pulumi-rekognition-faces/bin/pulumi-resource-rekognition-faces",
    );
    expect(JSON.parse(schema.stdout)).toMatchObject({ name: "rekognition-faces" });
    await pulumi("destroy", "--yes");
    await expect(usersOf(local, "staff")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
