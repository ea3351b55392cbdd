import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule } from "../../emulator/index.js";
import { associationProgram, type AssociationDeclaration } from "../harness/programs.js";
import {
  callsSince,
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService, recordedAssociations } from "../harness/truth.js";

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

/**
 * Failures that are not a face's own reason, after the first change of an
 * apply: the deployment fails, and the state still says exactly what the
 * service holds, so the next `pulumi up` (or a revert) repairs it.
 */
describe("Whatever fails after the first change, the state says what the service holds", () => {
  let local: LocalRekognition;
  let faces: Record<string, string[]>;
  const collectionId = "faults";

  beforeAll(async () => {
    // Users stay UPDATING for a while after a change, so there is a wait to interrupt.
    local = await startLocalRekognition({ updatingWindowMs: 600 });
    faces = await seedRoster(local, collectionId, ["ann", "ben", "cal", "dee", "eve", "fay"], 3);
  });
  afterAll(async () => local?.stop());

  const faulty = (rules: FaultRule[]) => local.emulator.control.setFaults({ rules });
  const alone = (person: string, faceIds: string[], extra: Partial<AssociationDeclaration> = {}) =>
    associationProgram([{ name: person, collectionId, userId: person, faceIds, ...extra }]);

  async function deployed(person: string, faceIds: string[]): Promise<TestStack> {
    const stack = await TestStack.create({
      name: `faults-${person}`,
      program: alone(person, faceIds),
      // No retries: each injected fault ends the call for good.
      config: { ...local.config, "aws:maxRetries": "0" },
      env: local.env,
    });
    await stack.up();
    return stack;
  }

  it("AssociateFaces failing for good after a disassociation: the state drops the face, and a revert restores it", async () => {
    const [f1, f2, f3] = faces["ann"]!;
    const stack = await deployed("ann", [f1!, f2!]);
    try {
      stack.writeProgram(alone("ann", [f2!, f3!]));
      await faulty([{ operations: ["AssociateFaces"], kind: "server-error", rate: 1 }]);
      const failed = await stack.up({ expectFailure: true });
      await faulty([]);
      expect(failed.errors.join("\n")).toMatch(
        /changing the faces of user 'ann' in collection 'faults' failed part-way/,
      );
      expect(await facesOfUser(local, collectionId, "ann")).toEqual([f2!]);
      expect((await recordedAssociations(stack)).get("ann")?.faceIds).toEqual([f2!]);
      await expectStateMatchesService(stack, local);

      // The revert is a change: the face taken off is put back.
      stack.writeProgram(alone("ann", [f1!, f2!]));
      await stack.up();
      expect(await facesOfUser(local, collectionId, "ann")).toEqual(sorted([f1!, f2!]));
      await expectStateMatchesService(stack, local);
    } finally {
      await faulty([]);
      await stack.dispose();
    }
  });

  it("AccessDenied on AssociateFaces is reported with the permission to grant; the state keeps what was done", async () => {
    const [f1, f2, f3] = faces["ben"]!;
    const stack = await deployed("ben", [f1!, f2!]);
    try {
      stack.writeProgram(alone("ben", [f2!, f3!]));
      await faulty([{ operations: ["AssociateFaces"], kind: "access-denied", rate: 1 }]);
      const failed = await stack.up({ expectFailure: true });
      await faulty([]);
      expect(failed.errors.join("\n")).toMatch(/not authorized to perform: rekognition:AssociateFaces/);
      expect(failed.errors.join("\n")).toMatch(/grant the credentials rekognition:AssociateFaces/);
      await expectStateMatchesService(stack, local);
      await stack.up();
      expect(await facesOfUser(local, collectionId, "ben")).toEqual(sorted([f2!, f3!]));
      await expectStateMatchesService(stack, local);
    } finally {
      await faulty([]);
      await stack.dispose();
    }
  });

  it("a response lost after AssociateFaces ran is read back: the state records the face the service associated", async () => {
    const [f1, f2] = faces["cal"]!;
    const stack = await deployed("cal", [f1!]);
    try {
      stack.writeProgram(alone("cal", [f1!, f2!]));
      await faulty([{ operations: ["AssociateFaces"], kind: "drop-after", rate: 1 }]);
      const failed = await stack.up({ expectFailure: true });
      await faulty([]);
      expect(failed.errors.join("\n")).toMatch(/as Rekognition lists them now/);
      expect(await facesOfUser(local, collectionId, "cal")).toEqual(sorted([f1!, f2!]));
      expect((await recordedAssociations(stack)).get("cal")?.faceIds).toEqual(sorted([f1!, f2!]));
      await expectStateMatchesService(stack, local);
    } finally {
      await faulty([]);
      await stack.dispose();
    }
  });

  it("a lost response that cannot be read back is recorded as unsettled; a new threshold then gets a new token", async () => {
    const [f1, f2] = faces["dee"]!;
    const stack = await deployed("dee", [f1!]);
    try {
      stack.writeProgram(alone("dee", [f1!, f2!]));
      await faulty([
        { operations: ["AssociateFaces"], kind: "drop-after", rate: 1 },
        { operations: ["ListFaces"], kind: "access-denied", rate: 1 },
      ]);
      const failed = await stack.up({ expectFailure: true });
      await faulty([]);
      expect(failed.errors.join("\n")).toMatch(
        /1 face\(s\) whose call got no answer are recorded as unsettled/,
      );
      const recorded = (await recordedAssociations(stack)).get("dee");
      expect(recorded?.faceIds).toEqual([f1!]);
      expect(recorded?.pendingFaces).toEqual([f2!]);
      await expectStateMatchesService(stack, local, { allowUnsettled: true });

      // The same batch with another threshold is another request: it must not
      // reuse the token the service recorded for the lost one.
      stack.writeProgram(alone("dee", [f1!, f2!], { userMatchThreshold: 60 }));
      await stack.up();
      expect(await facesOfUser(local, collectionId, "dee")).toEqual(sorted([f1!, f2!]));
      await expectStateMatchesService(stack, local);
    } finally {
      await faulty([]);
      await stack.dispose();
    }
  });

  it("ListFaces denied in exclusive mode changes nothing, and the state stays true", async () => {
    const [f1, f2] = faces["eve"]!;
    const stack = await deployed("eve", [f1!]);
    try {
      stack.writeProgram(alone("eve", [f2!], { exclusive: true }));
      await faulty([{ operations: ["ListFaces"], kind: "access-denied", rate: 1 }]);
      await local.emulator.control.resetCounters();
      await stack.up({ expectFailure: true });
      await faulty([]);
      const calls = await callsSince(local);
      expect(calls["AssociateFaces"] ?? 0).toBe(0);
      expect(calls["DisassociateFaces"] ?? 0).toBe(0);
      expect(await facesOfUser(local, collectionId, "eve")).toEqual([f1!]);
      await expectStateMatchesService(stack, local);
    } finally {
      await faulty([]);
      await stack.dispose();
    }
  });

  it("ListUsers denied while waiting for ACTIVE: the faces are recorded, and the next up only resumes the wait", async () => {
    const [f1, f2] = faces["fay"]!;
    const stack = await deployed("fay", [f1!]);
    try {
      stack.writeProgram(alone("fay", [f1!, f2!]));
      await faulty([{ operations: ["ListUsers"], kind: "access-denied", rate: 1 }]);
      const failed = await stack.up({ expectFailure: true });
      await faulty([]);
      expect(failed.errors.join("\n")).toMatch(/grant the credentials rekognition:ListUsers/);
      expect(failed.errors.join("\n")).toMatch(/the next `pulumi up` resumes the wait/);
      expect((await recordedAssociations(stack)).get("fay")?.faceIds).toEqual(sorted([f1!, f2!]));
      await expectStateMatchesService(stack, local);

      await local.emulator.control.resetCounters();
      const resumed = await stack.up();
      expect(resumed.changes).toMatchObject({ update: 1 });
      const calls = await callsSince(local);
      expect(Object.keys(calls)).toEqual(["ListUsers"]);
      const outputs = (await stack.resource("fay")).outputs;
      expect(outputs?.["userStatus"]).toBe("ACTIVE");
      expect(outputs?.["awaitingActive"]).toBe(false);
      expect((await stack.up()).changes).toEqual({ same: 2 });
    } finally {
      await faulty([]);
      await stack.dispose();
    }
  });
});
