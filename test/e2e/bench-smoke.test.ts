// A tiny run of `npm run bench` (N=2, one repetition, no quota step; the scale
// section's bulk roster at N=5 with no quota or side-by-side run; the plugin
// against the dynamic provider at N=2, two start-ups), so the benchmark cannot
// silently break: it writes its report to a temporary folder and the
// API-minimum ratios must be exactly 1.0.
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
        "--plugin-sizes",
        "2",
        "--plugin-starts",
        "2",
        "--out",
        out,
      ],
      { cwd: root, encoding: "utf8", timeout: 420_000 },
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
      "## Plugin vs dynamic: the same FaceRoster through the provider plugin",
      "### The plugin's start-up",
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

    // The plugin section: every step through both hosts, the service as declared after each change.
    const plugin = report.split("## Plugin vs dynamic")[1]!.split("\n### ")[0]!;
    const hostRows = plugin
      .split("\nState size")[0]!
      .split("\n")
      .filter((line) => /^\| 2 \|/.test(line));
    const cells = (row: string) => row.split("|").map((c) => c.trim());
    expect(hostRows.map((row) => cells(row)[2])).toEqual(["create", "no-op up", "1 % change", "destroy"]);
    for (const row of hostRows) {
      // Both hosts' times are numbers (no failed run), the ratio too.
      expect(cells(row)[3], row).toMatch(/^\d+(\.\d+)?$/);
      expect(cells(row)[4], row).toMatch(/^\d+(\.\d+)?$/);
      expect(cells(row)[5], row).toMatch(/^\d+\.\d\d$/);
      expect(cells(row)[9], row).not.toBe("**no**");
    }
    expect(hostRows.find((row) => cells(row)[2] === "no-op up")).toContain("| none | same |");
    expect(plugin).toMatch(/\| 2 \| 10 \+ the component \| \d+ KiB \| \d+ KiB \| \d+\.\d\d \|/);
    const startup = report.split("### The plugin's start-up")[1]!.split("\n### ")[0]!;
    expect(startup.split("\n").filter((line) => /^\| `.*\| \d+ \| \d+–\d+ \|$/.test(line))).toHaveLength(3);
    expect(existsSync(join(out, "plugin-latest.json"))).toBe(true);

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
