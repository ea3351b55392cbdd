import { execFile } from "node:child_process";
import { readdirSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associationProgram, type AssociationDeclaration } from "../harness/programs.js";
import {
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { waitForProcessesToEnd } from "../harness/processes.js";
import { scratchDir } from "../harness/scratch.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService } from "../harness/truth.js";

const execFileAsync = promisify(execFile);

const people = ["alice", "bob", "carol", "dave"];
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

function roster(
  collectionId: string,
  faces: Record<string, string[]>,
  count: number,
): AssociationDeclaration[] {
  return people.map((person) => ({
    name: person,
    collectionId,
    userId: person,
    faceIds: faces[person]!.slice(0, count),
  }));
}

async function expectRoster(
  local: LocalRekognition,
  collectionId: string,
  faces: Record<string, string[]>,
  count: number,
): Promise<void> {
  for (const person of people) {
    expect(await facesOfUser(local, collectionId, person)).toEqual(sorted(faces[person]!.slice(0, count)));
  }
}

describe("UserFaceAssociation under faults", () => {
  let local: LocalRekognition;

  beforeAll(async () => {
    local = await startLocalRekognition();
  });
  afterAll(async () => local?.stop());

  it("survives 30 % throttling and 5xx with the SDK's retries", async () => {
    const collectionId = "throttled";
    const faces = await seedRoster(local, collectionId, people, 4);
    const stack = await TestStack.create({
      name: "throttled",
      program: associationProgram(roster(collectionId, faces, 2)),
      config: local.config,
      env: local.env,
    });
    try {
      await local.emulator.control.setFaults({
        rules: [
          { operations: "*", kind: "throttle", rate: 0.3 },
          { operations: "*", kind: "server-error", rate: 0.05 },
        ],
        seed: 7,
      });
      await local.emulator.control.resetCounters();
      await stack.up();
      stack.writeProgram(associationProgram(roster(collectionId, faces, 3)));
      await stack.up();
      const counters = await local.emulator.control.counters();
      expect(counters.throttled).toBeGreaterThan(0);
      await local.emulator.control.setFaults({ rules: [] });
      await expectRoster(local, collectionId, faces, 3);
      expect((await stack.up()).changes).toEqual({ same: people.length + 1 });
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
      await stack.dispose();
    }
  });

  it("recovers from a `pulumi up` killed with SIGKILL mid-apply: refresh, then up, converges", async () => {
    const collectionId = "killed";
    const faces = await seedRoster(local, collectionId, people, 4);
    const stack = await TestStack.create({
      name: "killed",
      program: associationProgram(roster(collectionId, faces, 2)),
      config: local.config,
      env: local.env,
    });
    try {
      await stack.up();
      await killMidApply(local, stack, associationProgram(roster(collectionId, faces, 4)));

      // What a user does after a killed deployment: release the backend's
      // lock, then refresh and deploy again.
      const cancelled = await stack.pulumi(["cancel", "--yes", "--non-interactive"]);
      expect(cancelled.code, `pulumi cancel: ${cancelled.stdout}${cancelled.stderr}`).toBe(0);
      const refreshed = await stack.refresh();
      expect(refreshed.ok).toBe(true);
      const repaired = await stack.up();
      expect(repaired.ok).toBe(true);
      await expectRoster(local, collectionId, faces, 4);
      expect((await stack.up()).changes).toEqual({ same: people.length + 1 });
      // The harness's backend, like the demo's, writes no sidecar for a kill to leave empty.
      expect(sidecarsUnder(join(stack.dir, ".state"))).toEqual([]);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
      await stack.dispose();
    }
  });

  it("recovers on a file backend that writes sidecars, when the kill leaves one empty: the README's fix, then cancel, refresh, up", async () => {
    const collectionId = "killed-sidecar";
    const faces = await seedRoster(local, collectionId, people, 4);
    // What `pulumi login --local` gives: a file backend with the blob library's defaults.
    const backend = scratchDir("sidecar-backend-");
    const stack = await TestStack.create({
      name: "killed-sidecar",
      program: associationProgram(roster(collectionId, faces, 2)),
      config: local.config,
      env: { ...local.env, PULUMI_BACKEND_URL: `file://${backend}` },
    });
    try {
      await stack.up();
      await killMidApply(local, stack, associationProgram(roster(collectionId, faces, 4)));
      const sidecars = sidecarsUnder(backend);
      const checkpointSidecar = sidecars.find((path) =>
        path.endsWith(`/stacks/killed-sidecar/test.json.attrs`),
      );
      expect(checkpointSidecar, sidecars.join("\n")).toBeDefined();
      // The kill landed as the engine rewrote the checkpoint's sidecar in place.
      truncateSync(checkpointSidecar!, 0);
      const stuck = await stack.pulumi(["cancel", "--yes", "--non-interactive"]);
      expect(stuck.code).not.toBe(0);
      expect(stuck.stderr).toContain("failed to load checkpoint: EOF");

      // The README's fix, as it is written there; nothing Pulumi needs is in a sidecar.
      const fixed = await execFileAsync("find", [join(backend, ".pulumi"), "-name", "*.attrs", "-delete"]);
      expect(fixed.stderr).toBe("");
      const cancelled = await stack.pulumi(["cancel", "--yes", "--non-interactive"]);
      expect(cancelled.code, `pulumi cancel: ${cancelled.stdout}${cancelled.stderr}`).toBe(0);
      expect((await stack.refresh()).ok).toBe(true);
      await expectStateMatchesService(stack, local);
      expect((await stack.up()).ok).toBe(true);
      await expectRoster(local, collectionId, faces, 4);
      await expectStateMatchesService(stack, local);
      expect((await stack.up()).changes).toEqual({ same: people.length + 1 });
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
      await stack.dispose();
    }
  });
});

/** Starts `pulumi up` of `program` with every association slowed down, and kills the engine mid-apply. */
async function killMidApply(local: LocalRekognition, stack: TestStack, program: string): Promise<void> {
  await local.emulator.control.setFaults({
    rules: [{ operations: ["AssociateFaces"], kind: "latency", rate: 1, latencyMs: 1500 }],
  });
  await local.emulator.control.resetCounters();
  stack.writeProgram(program);
  const running = stack.startUp();
  while (((await local.emulator.control.counters()).byOperation["AssociateFaces"] ?? 0) < 2) {
    await sleep(50);
  }
  process.kill(-running.child.pid!, "SIGKILL");
  const killed = await running.done;
  expect(killed.signal ?? killed.code).not.toBe(0);
  // The language host and the provider host notice that the engine is gone.
  expect(await waitForProcessesToEnd(stack.dir, 10_000)).toEqual([]);
  await local.emulator.control.setFaults({ rules: [] });
}

/** The blob library's `.attrs` sidecars in a file backend's folder. */
function sidecarsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".attrs"))
    .map((path) => join(dir, path));
}
