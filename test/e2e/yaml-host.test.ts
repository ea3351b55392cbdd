import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileBackendUrl, pulumiEnv, runPulumi, type CommandResult } from "../harness/pulumi.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

// The YAML language host built from pulumi-yaml's Go module must be the one the
// pinned engine starts for `runtime: yaml`, with nothing downloaded.
const program = [
  "name: yaml-host",
  "runtime: yaml",
  "resources: {}",
  "outputs:",
  "  greeting: hello",
  "",
].join("\n");

describe("a `runtime: yaml` program on the pinned engine", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const pulumi = (...args: string[]): Promise<CommandResult> =>
    runPulumi([...args, "--non-interactive"], dir, env);
  const must = async (...args: string[]): Promise<CommandResult> => {
    const result = await pulumi(...args);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  };

  beforeAll(async () => {
    ensureYamlHost();
    dir = mkdtempSync(join(tmpdir(), "yaml-host-"));
    mkdirSync(join(dir, ".state"));
    writeFileSync(join(dir, "Pulumi.yaml"), program);
    env = pulumiEnv({ PULUMI_BACKEND_URL: fileBackendUrl(join(dir, ".state")) });
    await must("stack", "init", "test");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("deploys it on the file backend and reads its output back", async () => {
    const up = await must("up", "--yes");
    expect(up.stdout).toMatch(/Outputs:\s+greeting: "hello"/);
    expect((await must("stack", "output", "greeting")).stdout.trim()).toBe("hello");
  });

  it("runs the host built from the pinned pulumi-yaml, which reports its version", async () => {
    // `pulumi about` asks the language host the engine started for its version.
    const about = JSON.parse((await must("about", "--json")).stdout) as {
      plugins?: { name: string; kind: string; version: string | null }[];
    };
    expect(about.plugins).toContainEqual({ name: "yaml", kind: "language", version: "1.25.0" });
  });
});
