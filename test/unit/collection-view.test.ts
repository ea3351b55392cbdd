import { RekognitionClient } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { collectionView } from "../../provider/aws/collection-view.js";
import * as rekognition from "../../provider/aws/rekognition.js";
import { currentMark } from "../../provider/aws/write-log.js";
import {
  associateOutOfBand,
  callsSince,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";

// The freshness rule of provider/aws/collection-view.ts: a read shares the
// newest scan unless this process wrote what it asks about since that scan
// started. The writes below go through the gateway, as the provider's do;
// the seeding goes straight to rekognition-local, as another process's would.
describe("a collection's view: the freshness rule against rekognition-local", () => {
  let local: LocalRekognition;
  let seeded = 0;
  // Each test gets its own client and collection: views are per (client, collection).
  const freshClient = (maxAttempts = 1): RekognitionClient =>
    new RekognitionClient({
      endpoint: local.emulator.endpoint,
      region: local.emulator.region,
      credentials: local.emulator.credentials,
      maxAttempts,
    });
  const seed = async (people: readonly string[], photos = 1) => {
    const collectionId = `fresh-${++seeded}`;
    const faces = await seedRoster(local, collectionId, people, photos);
    await local.emulator.control.resetCounters();
    return { collectionId, faces };
  };

  beforeAll(async () => {
    local = await startLocalRekognition();
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => local?.stop());

  it("re-reads a user this process wrote since the scan, and shares the scan for every other user", async () => {
    const { collectionId, faces } = await seed(["ann", "bo", "cy"]);
    const client = freshClient();
    const view = collectionView(client, collectionId);
    expect(await view.userStatus("ann")).toBe("CREATED");
    expect(await view.userStatus("bo")).toBe("CREATED");
    expect(await callsSince(local)).toEqual({ ListUsers: 1 });

    await rekognition.associateFaces(client, {
      CollectionId: collectionId,
      UserId: "ann",
      FaceIds: faces["ann"],
    });
    await callsSince(local);
    // bo was not written: the scan still answers for bo.
    expect(await view.userStatus("bo")).toBe("CREATED");
    expect(await callsSince(local)).toEqual({});
    // ann was: a new scan, which shows the change, and which the next reads share.
    expect(await view.userStatus("ann")).not.toBe("CREATED");
    expect(await view.userStatus("cy")).toBe("CREATED");
    expect(await view.userStatus("ann")).not.toBe("CREATED");
    expect(await callsSince(local)).toEqual({ ListUsers: 1 });
  });

  it("lets a create's read count only the writes before it began", async () => {
    const { collectionId } = await seed(["ann"]);
    const client = freshClient();
    const view = collectionView(client, collectionId);
    expect(await view.userStatus("ann")).toBe("CREATED");
    await rekognition.deleteUser(client, { CollectionId: collectionId, UserId: "ann" });
    const began = currentMark();
    await rekognition.createUser(client, { CollectionId: collectionId, UserId: "ann" });
    await callsSince(local);
    // The scan before the DeleteUser is not the user this create found: one scan after it.
    expect(await view.userStatus("ann", began)).toBe("CREATED");
    expect(await callsSince(local)).toEqual({ ListUsers: 1 });
    // Its own CreateUser does not make it read again.
    const alsoBegan = currentMark();
    await rekognition.createUser(client, { CollectionId: collectionId, UserId: "new" });
    await callsSince(local);
    // Not in that scan: the create records it as CREATED.
    expect(await view.userStatus("new", alsoBegan)).toBeUndefined();
    expect(await callsSince(local)).toEqual({});
  });

  it("re-reads the faces of a person whose photos this process indexed or deleted, whatever client wrote", async () => {
    const { collectionId } = await seed(["ann", "bo"], 0);
    const client = freshClient();
    const view = collectionView(client, collectionId);
    const labelled = async (person: string) =>
      [...((await view.collectionFaces([person])) ?? [])]
        .filter(([, face]) => face.externalImageId === person)
        .map(([faceId]) => faceId);
    expect(await labelled("ann")).toEqual([]);
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });

    // IndexFaces goes through a client without retries: a client of its own.
    const indexed = await rekognition.indexFaces(freshClient(), {
      CollectionId: collectionId,
      Image: { Bytes: generatePortrait("ann", 1) },
      ExternalImageId: "ann",
      MaxFaces: 1,
    });
    const faceId = indexed.FaceRecords![0]!.Face!.FaceId!;
    await callsSince(local);
    expect(await labelled("bo")).toEqual([]);
    expect(await callsSince(local)).toEqual({});
    expect(await labelled("ann")).toEqual([faceId]);
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });

    await rekognition.deleteFaces(client, { CollectionId: collectionId, FaceIds: [faceId] });
    await callsSince(local);
    expect(await labelled("bo")).toEqual([]);
    expect(await callsSince(local)).toEqual({});
    // Only the scan tells that the deleted face was ann's: read, then read again.
    expect(await labelled("ann")).toEqual([]);
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
  });

  it("re-reads an association's faces after this process changed its user, and no other", async () => {
    const { collectionId, faces } = await seed(["ann", "bo", "cy"]);
    for (const person of ["bo", "cy"]) await associateOutOfBand(local, collectionId, person, faces[person]!);
    await callsSince(local);
    const client = freshClient();
    const view = collectionView(client, collectionId);
    // A refresh: every reader at once, one scan (and ann, with no face, from the users' scan).
    const read = await Promise.all(["ann", "bo", "cy"].map((userId) => view.userFaces(userId)));
    expect(read).toEqual([[], faces["bo"], faces["cy"]]);
    expect(await callsSince(local)).toEqual({ ListFaces: 1, ListUsers: 1 });

    await rekognition.associateFaces(client, {
      CollectionId: collectionId,
      UserId: "ann",
      FaceIds: faces["ann"],
    });
    await callsSince(local);
    expect(await view.userFaces("bo")).toEqual(faces["bo"]);
    expect(await callsSince(local)).toEqual({});
    expect(await view.userFaces("ann")).toEqual(faces["ann"]);
    expect(await callsSince(local)).toEqual({ ListFaces: 1 });
  });

  it("re-reads everything after this process deleted or created the collection", async () => {
    const { collectionId } = await seed(["ann"]);
    const client = freshClient();
    const view = collectionView(client, collectionId);
    expect(await view.userStatus("ann")).toBe("CREATED");
    await rekognition.deleteCollection(client, { CollectionId: collectionId });
    await rekognition.createCollection(client, { CollectionId: collectionId });
    await callsSince(local);
    expect(await view.userStatus("ann")).toBeUndefined();
    expect(await callsSince(local)).toEqual({ ListUsers: 1 });
  });

  it("lets the reads after an ACTIVE wait share the poller's scan", async () => {
    const { collectionId, faces } = await seed(["ann", "bo"]);
    const client = freshClient();
    const view = collectionView(client, collectionId);
    await rekognition.associateFaces(client, {
      CollectionId: collectionId,
      UserId: "ann",
      FaceIds: faces["ann"],
    });
    expect(await view.awaitSettled("ann", { expectFaces: true, timeoutMs: 60_000 })).toBe("ACTIVE");
    const polls = (await callsSince(local))["ListUsers"];
    expect(polls).toBeGreaterThan(0);
    expect(await view.userStatus("ann")).toBe("ACTIVE");
    expect(await view.userStatus("bo")).toBe("CREATED");
    expect(await callsSince(local)).toEqual({});
  });
});
