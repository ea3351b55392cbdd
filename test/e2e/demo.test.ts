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

/** The full face IDs' 8-character prefixes the roster table lists for `person`. */
function rosterFaces(output: string, person: string): string[] {
  const row = new RegExp(`^ {2}${person} +\\d+ +ACTIVE +((?:[0-9a-f]{8} ?)+)$`, "m").exec(output);
  return row ? row[1]!.trim().split(" ") : [];
}

/** The faces the state-and-service table shows for `person`: [in the state, in the service]. */
function stateAndService(output: string, person: string): [string, string] | undefined {
  const row = new RegExp(`^ {5}${person} +((?:[0-9a-f]{8} )+) +((?:[0-9a-f]{8} ?)+)$`, "m").exec(output);
  return row ? [row[1]!.trim(), row[2]!.trim()] : undefined;
}

describe("npm run demo: real photographs on the real face model", () => {
  let stateDir: string;
  let port: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "real-photos-demo-"));
    port = String(await freePort());
  });
  afterAll(async () => {
    await runDemo(stateDir, "--destroy");
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("finds the unseen photo's person, refuses the wrong person, and keeps state and service in agreement", async () => {
    const run = await runDemo(stateDir, "--port", port);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Real photographs .* are in /);
    expect(run.output).toMatch(/Deployed: 11 create\./);
    const obama = rosterFaces(run.output, "obama");
    const biden = rosterFaces(run.output, "biden");
    expect(obama).toHaveLength(2);
    expect(biden).toHaveLength(1);

    // The unseen photo: the right person above the default search threshold, the other far below.
    const right = /obama-3\.jpg +→ +obama +similarity (\d+\.\d)% +\(the right person\)/.exec(run.output);
    const other = /obama-3\.jpg +→ +biden +similarity (\d+\.\d)% +\(someone else\)/.exec(run.output);
    expect(Number(right?.[1])).toBeGreaterThan(80);
    expect(Number(other?.[1] ?? 100)).toBeLessThan(80);
    expect(run.output).toMatch(/obama found, biden not/);

    // The wrong person: pulumi's own diagnostic names the face, the reason and the measured similarity.
    expect(run.output).toMatch(/pulumi up fails, as it should/);
    const refused =
      /- ([0-9a-f]{8})[0-9a-f-]{28}: LOW_MATCH_CONFIDENCE: it matches this user's faces at \d+\.\d+, below userMatchThreshold 75/.exec(
        run.output,
      )?.[1];
    expect(refused, run.output).toBeDefined();

    // After the failure the state and the service hold the same faces: the ones deployed before, not the refused one.
    expect(stateAndService(run.output, "obama")).toEqual([obama.join(" "), obama.join(" ")]);
    expect(stateAndService(run.output, "biden")).toEqual([biden.join(" "), biden.join(" ")]);
    expect([...obama, ...biden]).not.toContain(refused);
    expect(run.output).toMatch(
      /State and service agree, and the refused face \([0-9a-f]{8}\) belongs to no one/,
    );

    // The wrong photo taken out again: its face is deleted.
    expect(run.output).toMatch(
      /4\. Taking the wrong photo out again \(pulumi up\)\n {3}Deployed: .*\b1 delete\b/,
    );
  });

  it("changes nothing on a second run and says so, with state kept across emulator restarts", async () => {
    // No --port: the demo keeps the port of its last run.
    const run = await runDemo(stateDir);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      /No changes: the roster already matches the program \(11 resources unchanged\)/,
    );
    expect(rosterFaces(run.output, "obama")).toHaveLength(2);
    expect(rosterFaces(run.output, "biden")).toHaveLength(1);
    expect(run.output).toMatch(/obama-3\.jpg +→ +obama +similarity \d+\.\d% +\(the right person\)/);
    expect(run.output).not.toMatch(/pulumi up fails/);
  });

  it("tears it down with --destroy", async () => {
    const run = await runDemo(stateDir, "--destroy");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Destroyed: 11 resources deleted\./);
    expect(run.output).toMatch(/real-photo demo's roster, its users, faces and collection are deleted/);
    const again = await runDemo(stateDir, "--destroy");
    expect(again.output).toMatch(/There is no real-photo demo stack to destroy\./);
  });
});

describe("npm run demo -- --synthetic", () => {
  const people = ["ada", "grace", "linus"];
  let stateDir: string;
  let port: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "roster-demo-"));
    port = String(await freePort());
  });
  afterAll(async () => {
    await runDemo(stateDir, "--synthetic", "--destroy");
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("deploys the generated roster, lists every person ACTIVE, and finds each from an unseen photo", async () => {
    const run = await runDemo(stateDir, "--synthetic", "--port", port);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Deployed: 19 create\./);
    for (const person of people) {
      expect(rosterFaces(run.output, person)).toHaveLength(3);
      expect(run.output).toMatch(
        new RegExp(`${person}-unseen-1\\.png +→  ${person} +similarity \\d+\\.\\d%  \\(the right person\\)`),
      );
    }
  });

  it("changes nothing on a second run", async () => {
    const run = await runDemo(stateDir, "--synthetic");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      /No changes: the roster already matches the program \(19 resources unchanged\)/,
    );
  });

  it("tears it down with --synthetic --destroy", async () => {
    const run = await runDemo(stateDir, "--synthetic", "--destroy");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Destroyed: 19 resources deleted\./);
    expect(run.output).toMatch(/synthetic demo's roster, its users, faces and collection are deleted/);
  });
});
