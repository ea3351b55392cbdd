import { DisassociateFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associationProgram } from "../harness/programs.js";
import {
  associateOutOfBand,
  callsSince,
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "failures";
const missingFace = "0badface-0000-4000-8000-000000000000";
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

interface RecordedFailure {
  faceId: string;
  reason: string;
  otherUserId?: string;
  confidence?: number;
}

describe("UserFaceAssociation: every failed face is a deployment error, and state keeps the truth", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;

  beforeAll(async () => {
    local = await startLocalRekognition();
    faces = await seedRoster(local, collectionId, ["alice", "bob", "carol", "dave"], 3);
    stack = await TestStack.create({
      name: "failures",
      program: associationProgram([
        { name: "alice", collectionId, userId: "alice", faceIds: faces["alice"]!.slice(0, 2) },
      ]),
      config: local.config,
      env: local.env,
    });
    await stack.up();
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("reports each failed face with its reason in one message, and records what did get associated", async () => {
    const [a0, a1, a2] = faces["alice"]!;
    const bobs = faces["bob"]![0]!;
    const carols = faces["carol"]![0]!;
    const daves = faces["dave"]![0]!;
    await associateOutOfBand(local, collectionId, "bob", [bobs]);
    // A reason the provider has never seen must be reported verbatim.
    await local.emulator.control.setFaceReasons({ [daves]: "ASSOCIATED_TO_A_DIFFERENT_IDENTITY" });
    stack.writeProgram(
      associationProgram([
        {
          name: "alice",
          collectionId,
          userId: "alice",
          faceIds: [a0!, a1!, a2!, missingFace, bobs, carols, daves],
        },
      ]),
    );

    const result = await stack.up({ expectFailure: true });
    const message = result.errors.join("\n");
    expect(message).toContain(
      "4 of 5 face(s) could not be associated with user 'alice' in collection 'failures'",
    );
    expect(message).toContain(`${missingFace}: FACE_NOT_FOUND`);
    expect(message).toContain(`${bobs}: ASSOCIATED_TO_A_DIFFERENT_USER: it belongs to user 'bob'`);
    expect(message).toMatch(
      new RegExp(
        `${carols}: LOW_MATCH_CONFIDENCE: it matches this user's faces at [0-9.]+, below userMatchThreshold 75`,
      ),
    );
    expect(message).toContain(`${daves}: ASSOCIATED_TO_A_DIFFERENT_IDENTITY (reported by Rekognition)`);

    // The state tells the truth: the good face is recorded, the failed ones are not.
    const state = (await stack.resource("alice")).outputs!;
    expect(state["faceIds"]).toEqual(sorted([a0!, a1!, a2!]));
    const failed = state["failedFaces"] as RecordedFailure[];
    expect(failed.map((f) => f.faceId).sort()).toEqual(sorted([missingFace, bobs, carols, daves]));
    expect(failed.find((f) => f.faceId === bobs)?.otherUserId).toBe("bob");
    expect(failed.find((f) => f.faceId === carols)?.confidence).toBeLessThan(75);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a1!, a2!]));
  });

  it("retries only what is still missing once the causes are fixed", async () => {
    const [a0, a1, a2] = faces["alice"]!;
    const bobs = faces["bob"]![0]!;
    const carols = faces["carol"]![0]!;
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: "bob", FaceIds: [bobs] }),
    );
    await local.emulator.control.setFaceReasons({});
    // Drop the faces that cannot belong to alice; lower the threshold for carol's.
    stack.writeProgram(
      associationProgram([
        {
          name: "alice",
          collectionId,
          userId: "alice",
          faceIds: [a0!, a1!, a2!, bobs, carols],
          userMatchThreshold: 0,
        },
      ]),
    );
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({ AssociateFaces: 1 });
    const [request] = (await local.emulator.control.requests(10)).filter(
      (r) => r.operation === "AssociateFaces",
    );
    expect(request?.status).toBe(200);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, a1!, a2!, bobs, carols]));
    expect((await stack.resource("alice")).outputs?.["failedFaces"]).toEqual([]);
  });

  it("says how to declare a user that does not exist", async () => {
    stack.writeProgram(
      associationProgram([
        { name: "alice", collectionId, userId: "alice", faceIds: faces["alice"]! },
        { name: "nobody", collectionId, userId: "nobody", faceIds: [faces["dave"]![1]!] },
      ]),
    );
    const result = await stack.up({ expectFailure: true });
    expect(result.errors.join("\n")).toContain(
      `user 'nobody' does not exist in collection 'failures': declare it (new User("nobody", { collectionId: "failures", userId: "nobody" }))`,
    );
    expect((await stack.resources()).some((r) => r.urn.endsWith("::nobody"))).toBe(false);
  });

  it("adopts faces already associated with the user: no error, and the state tells the truth", async () => {
    const daves = faces["dave"]!;
    await associateOutOfBand(local, collectionId, "dave", daves.slice(0, 2));
    stack.writeProgram(
      associationProgram([
        { name: "alice", collectionId, userId: "alice", faceIds: faces["alice"]! },
        { name: "dave", collectionId, userId: "dave", faceIds: daves },
      ]),
    );
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1 });
    expect(await callsSince(local)).toEqual({ AssociateFaces: 1 });
    expect((await stack.resource("dave")).outputs?.["faceIds"]).toEqual(sorted(daves));
    expect(await facesOfUser(local, collectionId, "dave")).toEqual(sorted(daves));
  });

  it("cannot use Pulumi's import option on this engine (pulumi/pulumi#16175): adoption is by declaration", async () => {
    const daves = faces["dave"]!;
    stack.writeProgram(
      [
        'import { UserFaceAssociation } from "pulumi-rekognition-faces";',
        `new UserFaceAssociation("imported", { collectionId: "${collectionId}", userId: "dave", faceIds: ${JSON.stringify(daves)} },`,
        `  { import: "${collectionId}/dave" });`,
      ].join("\n"),
    );
    const result = await stack.up({ expectFailure: true });
    // The engine's read during an import carries no serialized provider.
    expect(result.errors.join("\n")).toMatch(/reading 'toJavaScript'|code must be a string/);
    expect((await stack.resources()).some((r) => r.urn.endsWith("::imported"))).toBe(false);
  });
});
