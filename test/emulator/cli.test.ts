import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { analyzeImage } from "../../emulator/index.js";
import { scratchDir } from "../harness/scratch.js";

const CLI = resolve(__dirname, "../../dist/emulator/cli.js");
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

describe("rekognition-local command", () => {
  test("the compiled bin starts with a node shebang", () => {
    expect(readFileSync(CLI, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  test("photos writes portraits that the model reads as one face each", () => {
    const out = scratchDir("cli-photos-");
    const result = run("photos", "--out", out, "--people", "alice,bob", "--count", "2", "--unseen", "1");
    expect(result.status).toBe(0);
    const written = result.stdout.trim().split("\n");
    expect(written).toHaveLength(6);
    for (const name of ["alice-1.png", "alice-2.png", "alice-unseen-1.png", "bob-2.png"]) {
      const path = join(out, name);
      expect(existsSync(path)).toBe(true);
      expect(analyzeImage(readFileSync(path)).faces).toHaveLength(1);
    }
  });

  test("--help describes the options; unknown options fail with exit code 1", () => {
    const help = run("--help");
    expect(help.status).toBe(0);
    for (const flag of ["--port", "--data-dir", "--fault", "--quota", "--s3-bucket", "photos"])
      expect(help.stdout).toContain(flag);
    const bad = run("--prot", "4599");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--prot");
    const missing = run("photos", "--out", "x");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("--people");
  });
});
