import { DisassociateFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { associationProgram, type AssociationDeclaration } from "../harness/programs.js";
import {
  associateOutOfBand,
  callsSince,
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { stripAnsi, TestStack } from "../harness/stack.js";

const collectionId = "lifecycle";
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe("UserFaceAssociation: the life of one association", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;
  const alice = (faceIds: readonly string[], extra: Partial<AssociationDeclaration> = {}): string =>
    associationProgram([{ name: "alice", collectionId, userId: "alice", faceIds, ...extra }]);

  beforeAll(async () => {
    local = await startLocalRekognition();
    faces = await seedRoster(local, collectionId, ["alice", "bob"], 4);
    stack = await TestStack.create({
      name: "lifecycle",
      program: alice(faces["alice"]!.slice(0, 2)),
      config: local.config,
      env: local.env,
    });
  });
  // Each test counts the calls its own deployment makes.
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("creates with one AssociateFaces call and records the faces", async () => {
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 2 });
    expect(await callsSince(local)).toEqual({ AssociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted(faces["alice"]!.slice(0, 2)));

    const outputs = (await stack.outputs())["alice"] as { faceIds: string[]; userStatus: string };
    expect(outputs.faceIds).toEqual(sorted(faces["alice"]!.slice(0, 2)));
    expect(outputs.userStatus).toBe("ACTIVE");
    expect((await stack.resource("alice")).id).toBe(`${collectionId}/alice`);
  });

  it("makes no call at all when nothing changed, preview included", async () => {
    const result = await stack.up({ withPreview: true });
    expect(result.changes).toEqual({ same: 2 });
    expect(await callsSince(local)).toEqual({});
  });

  it("treats faceIds as a set: reordering is no change", async () => {
    stack.writeProgram(alice([...faces["alice"]!.slice(0, 2)].reverse()));
    const result = await stack.up();
    expect(result.changes).toEqual({ same: 2 });
    expect(await callsSince(local)).toEqual({});
  });

  it("previews exactly which faces are associated and disassociated", async () => {
    const [a0, a1, a2, a3] = faces["alice"]!;
    stack.writeProgram(alice([a0!, a2!, a3!]));
    const preview = await stack.preview({ diff: true });
    const text = stripAnsi(preview.stdout);
    expect(text).toMatch(new RegExp(`\\+ *"?${a2}"?: true`));
    expect(text).toMatch(new RegExp(`\\+ *"?${a3}"?: true`));
    expect(text).toMatch(new RegExp(`- *"?${a1}"?: true`));
    // The face that stays is shown unmarked: no shifted list positions.
    expect(text).toMatch(new RegExp(`\\n {8,}"?${a0}"?: true`));
    expect(text).not.toMatch(new RegExp(`[-+~] *"?${a0}`));
    expect(await callsSince(local)).toEqual({});
  });

  it("adds and removes faces with one call each", async () => {
    const [a0, , a2, a3] = faces["alice"]!;
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({ AssociateFaces: 1, DisassociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a2!, a3!]));
  });

  it("finds drift on refresh and repairs it on the next up", async () => {
    const [a0, , a2, a3] = faces["alice"]!;
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: "alice", FaceIds: [a2!] }),
    );
    await local.emulator.control.resetCounters();
    await stack.refresh();
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
    expect((await stack.resource("alice")).outputs?.["faceIds"]).toEqual(sorted([a0!, a3!]));
    // The preview shows the face to associate again, and nothing else: no output recorded as an input.
    const preview = stripAnsi((await stack.preview({ diff: true })).stdout);
    expect(preview).toContain(`+ ${a2!}: true`);
    expect(preview).not.toMatch(/^\s*- /m);

    const repaired = await stack.up();
    expect(repaired.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({ AssociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a2!, a3!]));
  });

  it("leaves faces associated some other way alone unless exclusive", async () => {
    const [a0, a1, a2, a3] = faces["alice"]!;
    await associateOutOfBand(local, collectionId, "alice", [a1!]);
    await stack.refresh();
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a1!, a2!, a3!]));
    expect((await stack.up()).changes).toEqual({ same: 2 });

    stack.writeProgram(alice([a0!, a2!, a3!], { exclusive: true }));
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({ ListFaces: 1, DisassociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a2!, a3!]));
  });

  it("in exclusive mode, refresh shows out-of-band faces as drift that up removes", async () => {
    const [a0, a1, a2, a3] = faces["alice"]!;
    await associateOutOfBand(local, collectionId, "alice", [a1!]);
    await stack.refresh();
    // Seen, not managed: it is drift to remove, but never one of this declaration's faces.
    const refreshed = (await stack.resource("alice")).outputs;
    expect(refreshed?.["faceIds"]).toEqual(sorted([a0!, a2!, a3!]));
    expect(refreshed?.["observedFaces"]).toEqual([a1!]);
    expect(Object.keys(refreshed?.["faces"] as object).sort()).toEqual(sorted([a0!, a1!, a2!, a3!]));
    await stack.up();
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a2!, a3!]));
  });

  it("removing a face already disassociated out of band leaves the state true", async () => {
    const [a0, , a2, a3] = faces["alice"]!;
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: "alice", FaceIds: [a3!] }),
    );
    stack.writeProgram(alice([a0!, a2!], { exclusive: true }));
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
    expect((await stack.resource("alice")).outputs?.["faceIds"]).toEqual(sorted([a0!, a2!]));

    // Without exclusive mode's listing, the call itself must say so.
    await associateOutOfBand(local, collectionId, "alice", [a3!]);
    stack.writeProgram(alice([a0!, a2!, a3!]));
    await stack.up();
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: "alice", FaceIds: [a3!] }),
    );
    stack.writeProgram(alice([a0!, a2!]));
    await local.emulator.control.resetCounters();
    await stack.up();
    expect(await callsSince(local)).toEqual({ DisassociateFaces: 1 });
    expect((await stack.resource("alice")).outputs?.["faceIds"]).toEqual(sorted([a0!, a2!]));
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a2!]));
  });

  it("releases the faces on destroy", async () => {
    await local.emulator.control.resetCounters();
    const result = await stack.destroy();
    expect(result.changes).toMatchObject({ delete: 2 });
    expect(await callsSince(local)).toEqual({ DisassociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual([]);
  });

  it("associates again when the same association is declared anew after a destroy", async () => {
    // The very first declaration again: the same user, batch and revision.
    // Only the association's lifetime tells these requests from the first ones.
    stack.writeProgram(alice(faces["alice"]!.slice(0, 2)));
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 2 });
    expect(await callsSince(local)).toEqual({ AssociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted(faces["alice"]!.slice(0, 2)));
  });
});
