import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(__dirname, "../..");
const python = join(root, ".venv-sdk", "bin", "python");
const testDir = join(root, "test", "sdk", "python");
const scratch = mkdtempSync(join(tmpdir(), "sdk-python-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], cwd = root) {
  const result = spawnSync(python, args, { cwd, encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

describe("the generated Python SDK (sdk/python)", () => {
  it("installs with pip and passes test/sdk/python under Pulumi's mock runtime", () => {
    if (!existsSync(python))
      throw new Error(`${python} is missing: run \`npm run sdk:python\` (npm test runs it first) to make .venv-sdk`);
    // A copy, so pip's build leaves nothing in sdk/; installed on every run, so the venv never holds a stale SDK.
    const copy = join(scratch, "python");
    cpSync(join(root, "sdk", "python"), copy, { recursive: true });
    const install = run([
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "--no-deps",
      "--no-build-isolation",
      "--force-reinstall",
      copy,
    ]);
    expect(install.status, install.output).toBe(0);
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    const installed = run(["-c", "import importlib.metadata as m; print(m.version('pulumi_rekognition_faces'))"]);
    expect(installed.stdout.trim()).toBe(version);

    const tests = readFileSync(join(testDir, "test_roster.py"), "utf8").match(/^def test_/gm) ?? [];
    expect(tests.length).toBeGreaterThan(0);
    const pytest = run(["-m", "pytest", "-p", "no:cacheprovider", "-q", "test_roster.py"], testDir);
    expect(pytest.status, pytest.output).toBe(0);
    expect(pytest.stdout).toMatch(new RegExp(`\\b${tests.length} passed\\b`));
    expect(pytest.stdout).not.toMatch(/skipped|xfail|deselected/);
  });
});
