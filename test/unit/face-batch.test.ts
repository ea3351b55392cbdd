import { randomUUID } from "node:crypto";
import { RekognitionClient } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VECTOR_LENGTH, type FaceRecord } from "../../emulator/index.js";
import { facesByUser, planFaceReads, scanCalls } from "../../provider/aws/face-read-plan.js";
import { collectionView } from "../../provider/aws/collection-view.js";
import { facesByLabel, facesOfUsers } from "../../provider/aws/collection-reads.js";
import {
  associateOutOfBand,
  callsSince,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";

/** Faces in the collection that belong to no one, written straight to the store. */
function strangers(count: number): FaceRecord[] {
  return Array.from({ length: count }, () => ({
    faceId: randomUUID(),
    imageId: randomUUID(),
    externalImageId: "stranger",
    boundingBox: { Width: 0.4, Height: 0.5, Left: 0.3, Top: 0.2 },
    confidence: 99.9,
    vector: Float32Array.from({ length: VECTOR_LENGTH }, (_, i) => (i === 0 ? 1 : 0)),
    indexedAt: Date.now(),
  }));
}

const f = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("planFaceReads", () => {
  it("counts every ListFaces and ListUsers page of a scan", () => {
    expect(scanCalls({ faceCount: 0, userCount: 0 })).toBe(2);
    expect(scanCalls({ faceCount: 4096, userCount: 500 })).toBe(2);
    expect(scanCalls({ faceCount: 4097, userCount: 501 })).toBe(4);
    expect(scanCalls({ faceCount: 1_000_000, userCount: 10_000 })).toBe(245 + 20);
  });

  it("lists per user while that is no more calls than the scan", () => {
    const small = { faceCount: 60, userCount: 30 };
    expect(planFaceReads(1, small)).toBe("per-user");
    expect(planFaceReads(2, small)).toBe("per-user");
    expect(planFaceReads(3, small)).toBe("collection-scan");
    expect(planFaceReads(30, small)).toBe("collection-scan");
  });

  it("keeps a few readers of a huge collection on per-user listings", () => {
    const huge = { faceCount: 1_000_000, userCount: 10_000 };
    expect(planFaceReads(265, huge)).toBe("per-user");
    expect(planFaceReads(266, huge)).toBe("collection-scan");
  });
});

describe("facesByUser", () => {
  it("groups associated faces by user, sorted, and skips unassociated ones", () => {
    const byUser = facesByUser([
      { FaceId: f(3), UserId: "bob" },
      { FaceId: f(2), UserId: "alice" },
      { FaceId: f(9) },
      { FaceId: f(1), UserId: "alice" },
    ]);
    expect(Object.fromEntries(byUser)).toEqual({ alice: [f(1), f(2)], bob: [f(3)] });
  });
});

describe("a view's association reads against rekognition-local", () => {
  const collectionId = "shared-faces";
  const people = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, "0")}`);
  let local: LocalRekognition;
  let faces: Record<string, string[]>;
  // Each test gets its own client: what is shared is per client.
  const freshClient = (): RekognitionClient =>
    new RekognitionClient({
      endpoint: local.emulator.endpoint,
      region: local.emulator.region,
      credentials: local.emulator.credentials,
      maxAttempts: 1,
    });

  beforeAll(async () => {
    local = await startLocalRekognition();
    faces = await seedRoster(local, collectionId, people, 2);
    for (const person of people.slice(1))
      await associateOutOfBand(local, collectionId, person, faces[person]!);
    // p00 exists with no faces; "ghost" does not exist.
  });
  beforeEach(async () => {
    await local.emulator.control.resetCounters();
    await local.emulator.control.setFaults({ rules: [] });
  });
  afterAll(async () => local?.stop());

  it("answers a whole refresh's reads from one ListFaces scan", async () => {
    const client = freshClient();
    const readers = [...people, "ghost"];
    const answers = await Promise.all(
      readers.map((userId) => collectionView(client, collectionId).userFaces(userId)),
    );

    // One page of the collection's faces, and the users' scan for the two readers
    // whose user has no face.
    expect(await callsSince(local)).toEqual({ ListFaces: 1, ListUsers: 1 });
    const byUser = Object.fromEntries(readers.map((userId, i) => [userId, answers[i]]));
    for (const person of people.slice(1)) expect(byUser[person]).toEqual([...faces[person]!].sort());
    // A user with no faces is not a missing user.
    expect(byUser["p00"]).toEqual([]);
    expect(byUser["ghost"]).toBeUndefined();
  });

  it("needs no ListUsers when every reader's user has faces", async () => {
    const client = freshClient();
    await Promise.all(
      people.slice(1).map((userId) => collectionView(client, collectionId).userFaces(userId)),
    );
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
  });

  it("lists a lone reader's faces directly", async () => {
    expect(await collectionView(freshClient(), collectionId).userFaces("p05")).toEqual(
      [...faces["p05"]!].sort(),
    );
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
    expect(await collectionView(freshClient(), collectionId).userFaces("p00")).toEqual([]);
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
    expect(await collectionView(freshClient(), collectionId).userFaces("ghost")).toBeUndefined();
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
  });

  it("scans from the second reader on, even when readers arrive one by one", async () => {
    // As the engine hands reads over: a few at a time, never all at once.
    const client = freshClient();
    await collectionView(client, collectionId).userFaces("p01");
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
    expect(await collectionView(client, collectionId).userFaces("p02")).toEqual([...faces["p02"]!].sort());
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
    for (const userId of people.slice(3)) await collectionView(client, collectionId).userFaces(userId);
    expect(await callsSince(local)).toEqual({});
  });

  it("reads a collection of several pages whole only once the readers outnumber its pages", async () => {
    // 4 users with a face each, and 5,000 faces of no one: 2 pages of faces, 1 of users.
    const big = "shared-faces-big";
    const bigFaces = await seedRoster(local, big, ["b1", "b2", "b3", "b4"], 1);
    for (const [userId, ids] of Object.entries(bigFaces)) await associateOutOfBand(local, big, userId, ids);
    local.emulator.store.commit({
      mutations: [{ type: "addFaces", collectionId: big, faces: strangers(5000) }],
    });
    await local.emulator.control.resetCounters();

    const client = freshClient();
    const two = await Promise.all(
      ["b1", "b2"].map((userId) => collectionView(client, big).userFaces(userId)),
    );
    expect(two).toEqual([bigFaces["b1"], bigFaces["b2"]]);
    // The first page showed there are more; 2 readers are fewer than 3 pages.
    expect(await callsSince(local)).toEqual({ ListFaces: 1 + 2, DescribeCollection: 1 });

    const more = await Promise.all(
      ["b3", "b4"].map((userId) => collectionView(client, big).userFaces(userId)),
    );
    expect(more).toEqual([bigFaces["b3"], bigFaces["b4"]]);
    // 4 readers outnumber the 3 pages: the whole collection, 2 pages of faces.
    expect(await callsSince(local)).toEqual({ ListFaces: 2 });
  });

  it("lets later reads share a recent scan", async () => {
    const client = freshClient();
    await Promise.all(
      people.slice(1, 10).map((userId) => collectionView(client, collectionId).userFaces(userId)),
    );
    await local.emulator.control.resetCounters();
    expect(await collectionView(client, collectionId).userFaces("p30")).toEqual([...faces["p30"]!].sort());
    expect(await callsSince(local)).toEqual({});
  });

  it("reports every reader's user as gone when the collection is", async () => {
    const client = freshClient();
    const answers = await Promise.all(
      people.map((userId) => collectionView(client, "no-such-collection").userFaces(userId)),
    );
    expect(answers.every((answer) => answer === undefined)).toBe(true);
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
  });

  it("rejects the readers of a failed scan with its error, and does not keep the failure", async () => {
    const client = freshClient();
    await local.emulator.control.setFaults({
      rules: [{ operations: ["ListFaces"], rate: 1, kind: "server-error" }],
    });
    const failed = await Promise.allSettled(
      people.map((userId) => collectionView(client, collectionId).userFaces(userId)),
    );
    expect(
      failed.every((r) => r.status === "rejected" && (r.reason as Error).name === "InternalServerError"),
    ).toBe(true);

    await local.emulator.control.setFaults({ rules: [] });
    await local.emulator.control.resetCounters();
    const answers = await Promise.all(
      people.map((userId) => collectionView(client, collectionId).userFaces(userId)),
    );
    expect(answers[5]).toEqual([...faces["p05"]!].sort());
    expect(await callsSince(local)).toMatchObject({ ListFaces: 1 });
  });
});

describe("a scan's faces indexed for some people", () => {
  const scan = new Map([
    [f(1), { userId: "alice", externalImageId: "alice" }],
    [f(2), { userId: "bob", externalImageId: "bob" }],
    [f(3), { externalImageId: "alice" }],
    [f(4), { userId: "carol" }],
  ]);

  it("holds every user and label of the collection by default", () => {
    expect(Object.fromEntries(facesOfUsers(scan))).toEqual({ alice: [f(1)], bob: [f(2)], carol: [f(4)] });
    expect(Object.fromEntries(facesByLabel(scan))).toEqual({ alice: [f(1), f(3)], bob: [f(2)] });
  });

  it("holds only the people asked for, so a shard indexes its own share", () => {
    const only = new Set(["alice", "dave"]);
    expect(Object.fromEntries(facesOfUsers(scan, only))).toEqual({ alice: [f(1)] });
    expect(Object.fromEntries(facesByLabel(scan, only))).toEqual({ alice: [f(1), f(3)] });
  });
});
