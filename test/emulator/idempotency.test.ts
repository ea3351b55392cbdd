import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  DisassociateFacesCommand,
  IndexFacesCommand,
  ListFacesCommand,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { startEmulator, Store, type RunningEmulator } from "../../emulator/index.js";
import { canonical } from "../../emulator/operations/idempotency.js";
import { clientFor, photo, sdkError } from "./helpers.js";
import { scratchDir } from "../harness/scratch.js";

const tempDir = () => scratchDir("rekognition-tokens-");

/** A collection with user `person` and `count` indexed photos of them. */
async function userWithFaces(client: RekognitionClient, collectionId: string, person: string, count: number) {
  await client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
  await client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: person }));
  const faceIds: string[] = [];
  for (let n = 1; n <= count; n++) {
    const out = await client.send(
      new IndexFacesCommand({ CollectionId: collectionId, Image: { Bytes: photo(person, n) } }),
    );
    faceIds.push(out.FaceRecords![0]!.Face!.FaceId!);
  }
  return faceIds;
}

const userFaces = async (client: RekognitionClient, CollectionId: string, UserId: string) =>
  ((await client.send(new ListFacesCommand({ CollectionId, UserId }))).Faces ?? []).map((f) => f.FaceId);

describe("the canonical form of a request", () => {
  test("ignores key order, null members and the token itself", () => {
    expect(canonical({ b: [1, { d: null, c: "x" }], a: 2, ClientRequestToken: "t" })).toBe(
      canonical({ a: 2, b: [1, { c: "x" }] }),
    );
    expect(canonical({ a: 2, b: [1, { c: "x" }] })).toBe('{"a":2,"b":[1,{"c":"x"}]}');
  });

  test("keeps list order and every member, UserMatchThreshold included", () => {
    expect(canonical({ FaceIds: ["a", "b"] })).not.toBe(canonical({ FaceIds: ["b", "a"] }));
    expect(canonical({ FaceIds: ["a"], UserMatchThreshold: 75 })).not.toBe(
      canonical({ FaceIds: ["a"], UserMatchThreshold: 80 }),
    );
  });

  test("handles nesting far deeper than the call stack allows", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 200_000; i++) deep = { a: [deep] };
    const text = canonical(deep);
    expect(text.startsWith('{"a":[{"a":[')).toBe(true);
    expect(text.length).toBe(200_000 * '{"a":[]}'.length + '"leaf"'.length);
  });
});

describe("ClientRequestToken through the SDK", () => {
  let emu: RunningEmulator;
  let client: RekognitionClient;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    client = clientFor(emu);
  });
  afterAll(async () => {
    client.destroy();
    await emu.stop();
  });

  test("a replay returns the first response and associates nothing again", async () => {
    const faces = await userWithFaces(client, "replay", "ada", 2);
    const call = { CollectionId: "replay", UserId: "ada", FaceIds: faces, ClientRequestToken: "replay-1" };
    const first = await client.send(new AssociateFacesCommand(call));
    await client.send(
      new DisassociateFacesCommand({ CollectionId: "replay", UserId: "ada", FaceIds: faces }),
    );
    const again = await client.send(new AssociateFacesCommand(call));
    expect(again.AssociatedFaces).toEqual(first.AssociatedFaces);
    expect(again.UserStatus).toBe(first.UserStatus);
    expect(await userFaces(client, "replay", "ada")).toEqual([]);
  });

  test("the same token with another UserMatchThreshold, or other faces, is IdempotentParameterMismatchException", async () => {
    const faces = await userWithFaces(client, "mismatch", "bo", 3);
    const call = {
      CollectionId: "mismatch",
      UserId: "bo",
      FaceIds: faces.slice(0, 2),
      UserMatchThreshold: 75,
      ClientRequestToken: "mismatch-1",
    };
    await client.send(new AssociateFacesCommand(call));
    for (const changed of [
      { ...call, UserMatchThreshold: 90 },
      { ...call, FaceIds: faces },
      { ...call, FaceIds: faces.slice(0, 1) },
    ]) {
      const err = await sdkError(() => client.send(new AssociateFacesCommand(changed)));
      expect(err.name).toBe("IdempotentParameterMismatchException");
      expect(err.message).toContain("mismatch-1");
    }
    expect((await userFaces(client, "mismatch", "bo")).sort()).toEqual(faces.slice(0, 2).sort());
  });
});

describe("token lifetime", () => {
  test("after the TTL a token is new again: the call runs, and may carry other parameters", async () => {
    const emu = await startEmulator({ port: 0, tokenTtlMs: 150 });
    const client = clientFor(emu);
    try {
      const faces = await userWithFaces(client, "ttl", "cy", 2);
      const call = { CollectionId: "ttl", UserId: "cy", FaceIds: faces, ClientRequestToken: "ttl-1" };
      await client.send(new AssociateFacesCommand(call));
      await client.send(new DisassociateFacesCommand({ CollectionId: "ttl", UserId: "cy", FaceIds: faces }));
      await new Promise((r) => setTimeout(r, 200));
      const rerun = await client.send(new AssociateFacesCommand(call));
      expect(rerun.AssociatedFaces).toHaveLength(2);
      expect((await userFaces(client, "ttl", "cy")).sort()).toEqual([...faces].sort());
      await new Promise((r) => setTimeout(r, 200));
      const other = await client.send(new AssociateFacesCommand({ ...call, UserMatchThreshold: 10 }));
      expect(other.AssociatedFaces).toEqual([]);
    } finally {
      client.destroy();
      await emu.stop();
    }
  });

  test("a replay survives a restart within the TTL", async () => {
    const dataDir = tempDir();
    let emu = await startEmulator({ port: 0, dataDir });
    let client = clientFor(emu);
    const faces = await userWithFaces(client, "kept", "di", 1);
    const call = { CollectionId: "kept", UserId: "di", FaceIds: faces, ClientRequestToken: "kept-1" };
    const first = await client.send(new AssociateFacesCommand(call));
    client.destroy();
    await emu.stop();

    emu = await startEmulator({ port: 0, dataDir });
    client = clientFor(emu);
    try {
      await client.send(new DisassociateFacesCommand({ CollectionId: "kept", UserId: "di", FaceIds: faces }));
      expect(await client.send(new AssociateFacesCommand(call))).toMatchObject({
        AssociatedFaces: first.AssociatedFaces,
      });
      expect(await userFaces(client, "kept", "di")).toEqual([]);
      const err = await sdkError(() =>
        client.send(new AssociateFacesCommand({ ...call, UserMatchThreshold: 50 })),
      );
      expect(err.name).toBe("IdempotentParameterMismatchException");
    } finally {
      client.destroy();
      await emu.stop();
    }
  });

  test("expired tokens leave memory, the snapshot and the replayed journal", () => {
    const dataDir = tempDir();
    let clock = 1_000;
    const now = () => clock;
    const record = (key: string) => ({ key, fingerprint: "f", response: { key }, at: clock });
    const store = Store.open({ dataDir, tokenTtlMs: 1_000, now });
    store.commit({ mutations: [], idempotency: record("old") });
    clock += 600;
    store.commit({ mutations: [], idempotency: record("young") });
    clock += 500; // "old" is 1,100 ms old, "young" 500 ms.
    expect(store.recallToken("old")).toBeUndefined();
    expect(store.recallToken("young")).toMatchObject({ response: { key: "young" } });
    store.commit({ mutations: [] }); // any write forgets what expired
    expect(store.tokenCount).toBe(1);
    store.close();
    const snapshot = JSON.parse(readFileSync(join(dataDir, "snapshot.json"), "utf8")) as {
      tokens: { key: string }[];
    };
    expect(snapshot.tokens.map((t) => t.key)).toEqual(["young"]);

    // Journalled, never snapshotted (a killed process), and expired by the next start.
    const crashed = Store.open({ dataDir, tokenTtlMs: 1_000, now });
    crashed.commit({ mutations: [], idempotency: record("journalled") });
    clock += 2_000;
    const reopened = Store.open({ dataDir, tokenTtlMs: 1_000, now });
    expect(reopened.tokenCount).toBe(0);
    reopened.close();
    expect(JSON.parse(readFileSync(join(dataDir, "snapshot.json"), "utf8"))).toMatchObject({ tokens: [] });
    expect(readFileSync(join(dataDir, "journal.ndjson"), "utf8")).toBe("");
  });

  test("a token used again after it expired moves to the young end and is kept", () => {
    let clock = 0;
    const store = Store.open({ tokenTtlMs: 1_000, now: () => clock });
    const record = (key: string) => ({ key, fingerprint: "f", response: {}, at: clock });
    store.commit({ mutations: [], idempotency: record("a") });
    clock = 500;
    store.commit({ mutations: [], idempotency: record("b") });
    clock = 1_200;
    store.commit({ mutations: [], idempotency: record("a") });
    clock = 1_600; // "b" expired; "a" (re-used at 1,200) is 400 ms old
    store.commit({ mutations: [] });
    expect(store.recallToken("a")).toBeDefined();
    expect(store.tokenCount).toBe(1);
  });
});
