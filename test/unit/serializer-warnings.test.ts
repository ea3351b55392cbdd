import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

/** Runs a script in a fresh Node (the project's pinned one) and returns what it wrote to stderr. */
function stderrOf(script: string): string {
  const node = join(root, "node_modules", ".bin", "node");
  try {
    execFileSync(node, ["-e", script], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    return "";
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? "");
  }
}

const run = (body: string): string =>
  stderrOf(`
    const { preloadSqliteQuietly } = require("./dist/provider/serializer-warnings.js");
    ${body}
    process.emitWarning("after", "ExperimentalWarning");
    process.exitCode = 1;
  `);

describe("preloadSqliteQuietly", () => {
  it("holds back only the SQLite warning, and only the load it makes", () => {
    const quiet = run(`preloadSqliteQuietly(); require("node:sqlite");`);
    expect(quiet).not.toContain("SQLite");
    expect(quiet).toContain("ExperimentalWarning: after");
  });

  it("is what makes the difference: without it, loading node:sqlite warns", () => {
    expect(run(`require("node:sqlite");`)).toContain("SQLite is an experimental feature");
  });
});
