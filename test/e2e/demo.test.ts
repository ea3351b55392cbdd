import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/pulumi.js";

const pinnedNode = join(repoRoot, "node_modules", ".bin", "node");

interface DemoRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `scripts/demo.ts` as `npm run demo` does, with its state in `stateDir`. */
function runDemo(stateDir: string, ...args: string[]): Promise<DemoRun> {
  const child = spawn(
    pinnedNode,
    ["--disable-warning=ExperimentalWarning", "scripts/demo.ts", "--state-dir", stateDir, ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

/** A port free now, so the demo does not meet a developer's own on 4599. */
function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }),
  );
}

const people = ["ada", "grace", "linus"];

describe("npm run demo", () => {
  let stateDir: string;

  let port: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "roster-demo-"));
    port = String(await freePort());
  });
  afterAll(async () => {
    await runDemo(stateDir, "--destroy");
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("deploys the roster, lists every person ACTIVE, and finds each from an unseen photo", async () => {
    const run = await runDemo(stateDir, "--port", port);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Deployed: 18 create\./);
    for (const person of people) {
      expect(run.output).toMatch(new RegExp(`^  ${person} +3 +ACTIVE +([0-9a-f]{8} ?){3}$`, "m"));
      expect(run.output).toMatch(
        new RegExp(`${person}-unseen-1\\.png +→  ${person} +similarity \\d+\\.\\d%  \\(the right person\\)`),
      );
    }
  });

  it("changes nothing on a second run, with state kept across emulator restarts", async () => {
    // No --port: the demo keeps the port of its last run.
    const run = await runDemo(stateDir);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      /No changes: the roster already matches the program \(18 resources unchanged\)/,
    );
    for (const person of people) expect(run.output).toMatch(new RegExp(`^  ${person} +3 +ACTIVE`, "m"));
  });

  it("tears everything down with --destroy", async () => {
    const run = await runDemo(stateDir, "--destroy");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/demo stack is removed/);
  });
});

describe("npm run demo -- --real-photos", () => {
  let stateDir: string;
  let port: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "real-photos-demo-"));
    port = String(await freePort());
  });
  afterAll(async () => {
    await runDemo(stateDir, "--real-photos", "--destroy");
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("deploys real photographs on the real model, finds the right person, and explains the wrong photo's failure", async () => {
    const run = await runDemo(stateDir, "--real-photos", "--port", port);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^ {2}obama +2 faces +ACTIVE/m);
    expect(run.output).toMatch(/^ {2}biden +1 faces +ACTIVE/m);
    const right = /obama-3\.jpg +→ +obama +similarity (\d+\.\d)% +\(the right person\)/.exec(run.output);
    const other = /obama-3\.jpg +→ +biden +similarity (\d+\.\d)% +\(someone else\)/.exec(run.output);
    expect(Number(right?.[1])).toBeGreaterThan(80);
    expect(Number(other?.[1] ?? 0)).toBeLessThan(80);
    // The wrong person's photo is a deployment error naming the reason and the measured similarity.
    expect(run.output).toMatch(
      /LOW_MATCH_CONFIDENCE: it matches this user's faces at \d+\.\d+, below userMatchThreshold 75/,
    );
    expect(run.output).toMatch(/Deployed: the stray face is deleted/);
  });

  it("tears it down with --real-photos --destroy", async () => {
    const run = await runDemo(stateDir, "--real-photos", "--destroy");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/real-photos roster and its collection are deleted/);
  });
});
