// A tiny run of `npm run bench` (N=2, one repetition, no quota step; the scale
// section's bulk roster at N=5 with no quota or side-by-side run), so the
// benchmark cannot silently break: it writes its report to a temporary folder
// and the API-minimum ratios must be exactly 1.0.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");
const node = join(root, "node_modules", ".bin", "node");

describe("npm run bench (smoke)", () => {
  const out = mkdtempSync(join(tmpdir(), "bench-smoke-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("writes a report with every section, and the API minimum holds", () => {
    const run = spawnSync(
      node,
      [
        "--disable-warning=ExperimentalWarning",
        "bench/run.ts",
        "--sizes",
        "2",
        "--reps",
        "1",
        "--no-quota",
        "--scale-sizes",
        "5",
        "--scale-quota-sizes",
        "none",
        "--scale-compare",
        "none",
        "--scale-noop-reps",
        "1",
        "--out",
        out,
      ],
      { cwd: root, encoding: "utf8", timeout: 240_000 },
    );
    expect(run.status, run.stderr.slice(-4000)).toBe(0);

    const report = readFileSync(join(out, "benchmarks.md"), "utf8");
    for (const heading of [
      "## Machine",
      "## Targets at a glance",
      "## 1. Wall time, ours against the engine's floor",
      "## 2. Peak memory (MiB)",
      "## 3. API calls against the minimum",
      "## 5. Without a quota: ours against the imperative loop (create)",
      "## 6. Where the time goes (dynamic provider host)",
      "## 7. The engine's per-resource cost, and the alternative",
      "## Plot",
      "## Scale: the bulk roster",
      "### The bulk roster's lifecycle",
    ]) {
      expect(report).toContain(heading);
    }
    // The scale section's lifecycle ran and the service held the declared roster.
    const scale = report.split("### The bulk roster's lifecycle")[1]!.split("\n### ")[0]!;
    const lifecycle = scale.split("\n").filter((line) => /^\| 5 \|/.test(line));
    expect(lifecycle.map((row) => row.split("|")[3]!.trim())).toEqual([
      "create",
      "no-op up",
      "1 % change",
      "refresh",
      "destroy",
    ]);
    for (const row of lifecycle) expect(row, row).not.toContain("**no**");
    expect(readFileSync(join(out, "benchmarks-scale.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(existsSync(join(out, "scale-latest.json"))).toBe(true);
    expect(readFileSync(join(out, "benchmarks.svg"), "utf8")).toMatch(
      /^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/,
    );
    expect(existsSync(join(out, "latest.json"))).toBe(true);

    // Every API-minimum row: made / needed exactly 1.0 (0 calls for the no-op).
    const section = report.split("## 3.")[1]!.split("\n## ")[0]!;
    const rows = section.split("\n").filter((line) => /^\| 2 \|/.test(line));
    expect(rows.map((row) => row.split("|")[2]!.trim())).toEqual([
      "create",
      "no-op up",
      "one-face change",
      "refresh",
      "destroy",
    ]);
    for (const row of rows) {
      const cells = row.split("|").map((c) => c.trim());
      expect(["1.00", "0 calls"], row).toContain(cells[5]);
      expect(cells[6], row).toBe("yes");
    }
  });
});
