import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const moduleDir = join(__dirname, "go");

describe("the generated Go SDK (sdk/go)", () => {
  it("builds and passes test/sdk/go under Pulumi's mock runtime", () => {
    // -count=1: Go caches test results, and a cached pass would not exercise today's sdk/go.
    const result = spawnSync("go", ["test", "-count=1", "-timeout", "5m", "-v", "./..."], {
      cwd: moduleDir,
      encoding: "utf8",
      env: { ...process.env, GOFLAGS: "-mod=mod" },
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.error, "is Go installed? `go version` must work").toBeUndefined();
    expect(result.status, output).toBe(0);
    expect(result.stdout).toMatch(/^--- PASS: TestRoster\b/m);
  });
});
