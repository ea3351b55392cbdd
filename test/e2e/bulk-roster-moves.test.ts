import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateCollectionCommand, CreateUserCommand, ListFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { dynamicHost, hosts, type Host } from "../harness/hosts.js";
import { waitForProcessesToEnd } from "../harness/processes.js";
import {
  callsSince,
  facesOfUser,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { decodeRoster, type StoredRoster } from "../../provider/bulk/encoding.js";
import {
  expectRosterMatchesService,
  expectStateMatchesService,
  recordedPeople,
  retiredTypeOf,
  shardType,
} from "../harness/truth.js";

const header = (host: Host = dynamicHost): string => `import { FaceRoster } from "${host.module}";\n`;

/** The same PNG with a text chunk after its header: the same pixels in other bytes, as a re-saved photo is. */
function resaved(png: Buffer): Buffer {
  const data = Buffer.concat([Buffer.from("tEXt"), Buffer.from("Comment\0re-saved")]);
  const chunk = Buffer.alloc(data.length + 8);
  chunk.writeUInt32BE(data.length - 4, 0);
  data.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(data), data.length + 4);
  const headerEnd = 8 + 25; // the signature, then IHDR: length, type, 13 bytes, CRC
  return Buffer.concat([png.subarray(0, headerEnd), chunk, png.subarray(headerEnd)]);
}

/** Every face of a collection, by face ID, with its label and user. */
async function collectionFaces(
  local: LocalRekognition,
  collectionId: string,
): Promise<{ faceId: string; label?: string; userId?: string }[]> {
  const out = await local.client.send(new ListFacesCommand({ CollectionId: collectionId, MaxResults: 4096 }));
  return (out.Faces ?? []).map((f) => ({
    faceId: f.FaceId!,
    ...(f.ExternalImageId && { label: f.ExternalImageId }),
    ...(f.UserId && { userId: f.UserId }),
  }));
}

describe("Bulk rosters: migration, re-sharding, outside users, S3 and killed runs", () => {
  let local: LocalRekognition;
  const buckets = join(process.cwd(), ".stacks", `s3-${process.pid}`);

  beforeAll(async () => {
    mkdirSync(join(buckets, "photos"), { recursive: true });
    local = await startLocalRekognition({ s3Buckets: { photos: join(buckets, "photos") } });
  });
  afterAll(async () => {
    await local?.stop();
    rmSync(buckets, { recursive: true, force: true });
  });

  /** A stack whose photos are written for `people` (userId → number of photos). */
  async function rosterStack(
    name: string,
    collectionId: string,
    people: Record<string, number>,
    host: Host = dynamicHost,
  ): Promise<{ stack: TestStack; declared: Record<string, string[]> }> {
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    const stack = await host.stack(local, name, `${header(host)}\n`);
    const declared: Record<string, string[]> = {};
    for (const [userId, photos] of Object.entries(people)) {
      declared[userId] = [];
      for (let n = 1; n <= photos; n++) {
        const path = `photos/${userId}-${n}.png`;
        stack.writeFile(path, generatePortrait(userId, n));
        declared[userId].push(path);
      }
    }
    return { stack, declared };
  }
  const roster = (
    collectionId: string,
    people: Record<string, string[]>,
    options = "",
    host: Host = dynamicHost,
  ): string =>
    `${header(host)}new FaceRoster("team", { collectionId: "${collectionId}", people: ${JSON.stringify(people)}${options} });\n`;

  it("a per-resource roster of 200 people switches to bulk mode without indexing a photo or releasing a face", async () => {
    const collectionId = "migrate";
    // 200 people, three of them with two photos: 203 photos, 603 per-resource resources.
    const people = Object.fromEntries(Array.from({ length: 200 }, (_, n) => [`m${n}`, n < 3 ? 2 : 1]));
    const { stack, declared } = await rosterStack("migrate", collectionId, people);
    try {
      stack.writeProgram(roster(collectionId, declared));
      await stack.up({ parallel: 32 });
      const before = await collectionFaces(local, collectionId);
      expect(before).toHaveLength(203);

      stack.writeProgram(roster(collectionId, declared, ', mode: "bulk", shards: 4'));
      await callsSince(local);
      const switched = await stack.up({ parallel: 32 });
      // The 4 shards and the roster's RetiredFaces.
      expect(switched.changes).toMatchObject({ create: 5 });
      // Each user is recognised as this stack's (its CreateUser token), each photo found by a search.
      expect(await callsSince(local)).toEqual({
        ListUsers: 1,
        ListFaces: 1,
        CreateUser: 200,
        SearchFacesByImage: 203,
      });
      expect(await collectionFaces(local, collectionId)).toEqual(before);
      expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:IndexedFace")).toEqual([]);
      expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:User")).toEqual([]);
      expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:UserFaceAssociation")).toEqual([]);
      const recorded = await expectRosterMatchesService(stack, local, collectionId);
      expect(recorded.size).toBe(200);
      expect(new Set([...recorded.values()].map((p) => p.origin))).toEqual(new Set(["created"]));
      for (const face of before) expect(recorded.get(face.userId!)!.faces[face.faceId]).toBe(true);

      await callsSince(local);
      await stack.up();
      expect(await callsSince(local)).toEqual({});
      await stack.destroy();
      expect(await usersOf(local, collectionId)).toEqual([]);
      expect(await collectionFaces(local, collectionId)).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  it("a per-resource roster switched to bulk mode while a photo is replaced: the old photo's face goes", async () => {
    const collectionId = "tobulk-photo";
    const { stack, declared } = await rosterStack("tobulk-photo", collectionId, { w0: 2, w1: 2 });
    try {
      stack.writeProgram(roster(collectionId, declared));
      await stack.up();
      stack.writeFile("photos/w0-3.png", generatePortrait("w0", 3));
      const changed = { ...declared, w0: [declared["w0"]![0]!, "photos/w0-3.png"] };
      stack.writeProgram(roster(collectionId, changed, ', mode: "bulk", shards: 2'));
      await stack.up();
      expect(await collectionFaces(local, collectionId)).toHaveLength(4);
      const recorded = await expectRosterMatchesService(stack, local, collectionId);
      expect(Object.keys(recorded.get("w0")!.faces)).toHaveLength(2);
      expect(Object.keys((await stack.up()).changes)).toEqual(["same"]);
    } finally {
      await stack.dispose();
    }
  });

  it("changing the shard count moves people between shards and releases nothing", async () => {
    const collectionId = "reshard";
    const people = Object.fromEntries(Array.from({ length: 12 }, (_, n) => [`r${n}`, 1]));
    const { stack, declared } = await rosterStack("reshard", collectionId, people);
    try {
      stack.writeProgram(roster(collectionId, declared, ', mode: "bulk", shards: 2'));
      await stack.up();
      const before = await collectionFaces(local, collectionId);
      stack.writeProgram(roster(collectionId, declared, ', mode: "bulk", shards: 3'));
      await callsSince(local);
      await stack.up();
      const calls = await callsSince(local);
      for (const op of ["DeleteUser", "DeleteFaces", "DisassociateFaces", "IndexFaces"])
        expect(calls[op] ?? 0).toBe(0);
      expect(await collectionFaces(local, collectionId)).toEqual(before);
      expect(await stack.resources(shardType)).toHaveLength(3);
      expect((await expectRosterMatchesService(stack, local, collectionId)).size).toBe(12);
      await stack.destroy();
      expect(await usersOf(local, collectionId)).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  it("a deleted shard whose DeleteFaces fails keeps its record; the next run retires its moved people's dropped photos' faces and keeps those taken", async () => {
    const collectionId = "shard-gone-fails";
    const people = Object.fromEntries(Array.from({ length: 12 }, (_, n) => [`f${n}`, 1]));
    const { stack, declared } = await rosterStack(collectionId, collectionId, people);
    const bulk = (shards: number): string => `, mode: "bulk", shards: ${shards}, exclusive: true`;
    try {
      stack.writeProgram(roster(collectionId, declared, bulk(3)));
      await stack.up();
      const faceOf = async (): Promise<Map<string, string>> =>
        new Map((await collectionFaces(local, collectionId)).map((f) => [f.label!, f.faceId]));
      const before = await faceOf();
      expect(before.size).toBe(12);

      // The third shard goes. Half its people get a new photo; the other half keep theirs,
      // written again with other bytes (the same pixels, so a search finds its face: another digest).
      const moving = [...(await recordedPeople(stack))]
        .filter(([, person]) => person.shard.endsWith("-shard-2"))
        .map(([userId]) => userId);
      expect(moving.length).toBeGreaterThanOrEqual(2);
      const replaced = moving.slice(0, moving.length / 2);
      const rewritten = moving.slice(moving.length / 2);
      const team = { ...declared };
      for (const userId of replaced) {
        stack.writeFile(`photos/${userId}-2.png`, generatePortrait(userId, 2));
        team[userId] = [`photos/${userId}-2.png`];
      }
      for (const userId of rewritten)
        stack.writeFile(`photos/${userId}-1.png`, resaved(generatePortrait(userId, 1)));
      stack.writeProgram(roster(collectionId, team, bulk(2)));
      await stack.setConfig({ "aws:maxRetries": "0" });
      await local.emulator.control.setFaults({
        rules: [{ operations: ["DeleteFaces"], kind: "server-error", rate: 1 }],
      });
      try {
        await stack.up({ expectFailure: true });
      } finally {
        await local.emulator.control.setFaults({ rules: [] });
      }
      // Nothing is lost and nothing is unrecorded: each face of the collection is some resource's.
      const shards = await stack.resources(shardType);
      const recorded = new Set(
        shards.flatMap((shard) =>
          Object.values(decodeRoster(shard.outputs?.["roster"] as StoredRoster)).flatMap((person) => [
            ...Object.keys(person.faces),
            ...Object.values(person.photos).map((photo) => photo.faceId),
            ...(person.leftover ?? []),
          ]),
        ),
      );
      const retired = (await stack.resources(retiredTypeOf(shardType))).flatMap(
        (r) => (r.outputs?.["faces"] as string[] | undefined) ?? [],
      );
      for (const face of await collectionFaces(local, collectionId))
        expect(recorded.has(face.faceId) || retired.includes(face.faceId), `face ${face.faceId}`).toBe(true);

      // The next run deletes the old shard: the replaced photos' faces go, the rewritten ones' stay.
      await stack.up();
      const after = await faceOf();
      expect(after.size).toBe(12);
      for (const userId of Object.keys(declared))
        expect(after.get(userId) === before.get(userId), userId).toBe(!replaced.includes(userId));
      expect(await stack.resources(shardType)).toHaveLength(2);
      await expectRosterMatchesService(stack, local, collectionId, { exclusive: true });
      expect(Object.keys((await stack.up()).changes)).toEqual(["same"]);
    } finally {
      await stack.dispose();
    }
  });

  it("a user made outside the stack fails that person alone, naming adopt; adopted, it is kept on destroy", async () => {
    const collectionId = "outside";
    const { stack, declared } = await rosterStack("outside", collectionId, { own: 1, stranger: 1 });
    await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "stranger" }));
    try {
      stack.writeProgram(roster(collectionId, declared, ', mode: "bulk", shards: 1'));
      const failed = await stack.up({ expectFailure: true });
      const text = failed.stdout + failed.stderr;
      expect(text).toContain("stranger: the user already exists");
      expect(text).toContain("adopt: true");
      const recorded = await expectRosterMatchesService(stack, local, collectionId);
      expect([...recorded.keys()]).toEqual(["own"]);
      expect(await facesOfUser(local, collectionId, "stranger")).toEqual([]);

      stack.writeProgram(roster(collectionId, declared, ', mode: "bulk", shards: 1, adopt: true'));
      await stack.up();
      expect((await recordedPeople(stack)).get("stranger")!.origin).toBe("adopted");
      expect(await facesOfUser(local, collectionId, "stranger")).toHaveLength(1);
      await stack.destroy();
      expect(await usersOf(local, collectionId)).toEqual(["stranger"]);
    } finally {
      await stack.dispose();
    }
  });

  it("a collection that does not exist fails the run before any change, naming how to declare it", async () => {
    const stack = await TestStack.on(local, "no-collection", `${header()}\n`);
    try {
      stack.writeFile("photos/a.png", generatePortrait("a", 1));
      stack.writeProgram(roster("nowhere", { a: ["photos/a.png"] }, ', mode: "bulk", shards: 1'));
      await callsSince(local);
      const failed = await stack.up({ expectFailure: true });
      expect(failed.stdout + failed.stderr).toContain(
        "collection 'nowhere' does not exist, so no person of the roster can be created in it: declare it",
      );
      expect(await callsSince(local)).toEqual({ ListUsers: 1 });
      expect(await stack.resources(shardType)).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  it("people listed from an S3 prefix, one folder per person", async () => {
    const collectionId = "from-s3";
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    for (const person of ["sam", "tia"]) {
      mkdirSync(join(buckets, "photos", "staff", person), { recursive: true });
      for (const n of [1, 2])
        writeFileSync(join(buckets, "photos", "staff", person, `${n}.png`), generatePortrait(person, n));
    }
    const stack = await TestStack.on(
      { config: { ...local.config, "aws:endpoints[0].s3": local.emulator.endpoint }, env: local.env },
      "from-s3",
      `${header()}new FaceRoster("staff", { collectionId: "${collectionId}", s3Prefix: "s3://photos/staff/", mode: "bulk", shards: 2 });\n`,
    );
    try {
      await callsSince(local);
      await stack.up();
      expect(await callsSince(local)).toMatchObject({
        ListObjectsV2: 1,
        CreateUser: 2,
        IndexFaces: 4,
        AssociateFaces: 2,
      });
      const people = await expectRosterMatchesService(stack, local, collectionId);
      expect(Object.keys(people.get("sam")!.photos)).toEqual([
        "s3://photos/staff/sam/1.png",
        "s3://photos/staff/sam/2.png",
      ]);
      // A photo replaced in S3 is a new photo: its ETag changed.
      writeFileSync(join(buckets, "photos", "staff", "sam", "2.png"), generatePortrait("sam", 3));
      await callsSince(local);
      await stack.up();
      expect(await callsSince(local)).toMatchObject({
        IndexFaces: 1,
        DisassociateFaces: 1,
        DeleteFaces: 1,
        AssociateFaces: 1,
      });
      await expectRosterMatchesService(stack, local, collectionId);
      await stack.destroy();
    } finally {
      await stack.dispose();
    }
  });

  it("a killed run leaves nothing the next run does not take: no photo is indexed twice", async () => {
    const collectionId = "killed";
    const people = Object.fromEntries(Array.from({ length: 30 }, (_, n) => [`k${n}`, 3]));
    const { stack, declared } = await rosterStack("killed", collectionId, people);
    try {
      stack.writeProgram(roster(collectionId, declared, ', mode: "bulk", shards: 2'));
      await local.emulator.control.setFaults({
        rules: [{ operations: ["IndexFaces"], kind: "latency", rate: 1, latencyMs: 3000 }],
      });
      await callsSince(local);
      const running = stack.startUp();
      const deadline = Date.now() + 120_000;
      while ((await collectionFaces(local, collectionId)).length < 10) {
        if (Date.now() > deadline) throw new Error("the run never indexed a face");
        await sleep(50);
      }
      process.kill(-running.child.pid!, "SIGKILL");
      await running.done;
      expect(await waitForProcessesToEnd(stack.dir, 10_000)).toEqual([]);
      await local.emulator.control.setFaults({ rules: [] });
      expect((await stack.pulumi(["cancel", "--yes", "--non-interactive"])).code).toBe(0);
      const killed = await callsSince(local);
      // The run was killed part-way: some photos are indexed, with no state to say so.
      expect((await collectionFaces(local, collectionId)).length).toBeLessThan(90);
      expect(await stack.resources(shardType)).toEqual([]);

      await stack.up();
      const healed = await callsSince(local);
      // Every photo indexed once across both runs; what the killed run made is taken, not made again.
      expect((killed["IndexFaces"] ?? 0) + (healed["IndexFaces"] ?? 0)).toBe(90);
      const faces = await collectionFaces(local, collectionId);
      expect(faces).toHaveLength(90);
      const recorded = await expectRosterMatchesService(stack, local, collectionId);
      expect(recorded.size).toBe(30);
      for (const [userId, person] of recorded) {
        expect(person.origin, userId).toBe("created");
        expect(Object.keys(person.faces), userId).toHaveLength(3);
      }
      await stack.destroy();
      expect(await usersOf(local, collectionId)).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  // Promises of the implementation both hosts share, proved under each.
  for (const host of hosts) {
    describe(`under ${host.name}`, () => {
      const suffix = host === dynamicHost ? "" : "-plugin";
      const hostRoster = (collectionId: string, people: Record<string, string[]>, options = ""): string =>
        roster(collectionId, people, options, host);

      it("a bulk roster switched back to per-resource mode takes its faces over: no photo indexed twice, no face left", async () => {
        const collectionId = `unbulk${suffix}`;
        const { stack, declared } = await rosterStack(
          collectionId,
          collectionId,
          { u0: 2, u1: 2, u2: 1 },
          host,
        );
        try {
          stack.writeProgram(hostRoster(collectionId, declared));
          await stack.up();
          stack.writeProgram(hostRoster(collectionId, declared, ', mode: "bulk", shards: 2'));
          await stack.up();
          const before = await collectionFaces(local, collectionId);
          expect(before).toHaveLength(5);

          stack.writeProgram(hostRoster(collectionId, declared));
          await callsSince(local);
          await stack.up();
          const calls = await callsSince(local);
          expect(calls["IndexFaces"] ?? 0).toBe(0);
          expect(calls["DeleteFaces"] ?? 0).toBe(0);
          // The same faces, each held by the user it was, each recorded by its IndexedFace.
          expect(await collectionFaces(local, collectionId)).toEqual(before);
          const recorded = (await stack.resources(host.type("IndexedFace"))).map((r) => r.id);
          expect(recorded.sort()).toEqual(before.map((f) => f.faceId).sort());
          expect(await stack.resources(host.type("FaceRosterShard"))).toEqual([]);
          await expectStateMatchesService(stack, local, { type: host.type("UserFaceAssociation") });
          expect(Object.keys((await stack.up()).changes)).toEqual(["same"]);
        } finally {
          await stack.dispose();
        }
      });

      it("a person moved to another shard or roster with a photo replaced: the new shard retires the old photo's face", async () => {
        const collectionId = `move-photo${suffix}`;
        const people = Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`v${n}`, 2]));
        const { stack, declared } = await rosterStack(collectionId, collectionId, people, host);
        const bulk = (shards: number): string => `, mode: "bulk", shards: ${shards}`;
        const rosters = (
          team: Record<string, string[]>,
          shards: number,
          other?: Record<string, string[]>,
        ): string =>
          hostRoster(collectionId, team, bulk(shards)) +
          (other
            ? `new FaceRoster("other", { collectionId: "${collectionId}", people: ${JSON.stringify(other)}${bulk(1)} });\n`
            : "");
        const replaced = (userId: string): string[] => {
          const path = `photos/${userId}-3.png`;
          stack.writeFile(path, generatePortrait(userId, 3));
          return [declared[userId]![0]!, path];
        };
        try {
          stack.writeProgram(rosters(declared, 2));
          await stack.up();
          expect(await collectionFaces(local, collectionId)).toHaveLength(16);

          // Re-sharded (2 → 3) while every person's second photo is replaced.
          const resharded = Object.fromEntries(
            Object.keys(declared).map((userId) => [userId, replaced(userId)]),
          );
          stack.writeProgram(rosters(resharded, 3));
          await stack.up();
          expect(await collectionFaces(local, collectionId)).toHaveLength(16);
          expect(
            (
              await expectRosterMatchesService(stack, local, collectionId, {
                type: host.type("FaceRosterShard"),
              })
            ).size,
          ).toBe(8);

          // v0 moves to another roster, its second photo back to the first one.
          const { v0, ...rest } = resharded;
          stack.writeProgram(rosters(rest, 3, { v0: declared["v0"]! }));
          await stack.up();
          expect(await collectionFaces(local, collectionId)).toHaveLength(16);
          const recorded = await expectRosterMatchesService(stack, local, collectionId, {
            type: host.type("FaceRosterShard"),
          });
          expect(recorded.size).toBe(8);
          expect(Object.keys(recorded.get("v0")!.faces)).toHaveLength(2);
          expect(v0).toHaveLength(2);
          expect(Object.keys((await stack.up()).changes)).toEqual(["same"]);
        } finally {
          await stack.dispose();
        }
      });

      it("a shard deleted while its people's photos are replaced (fewer shards, a renamed roster, per-resource mode) leaves no old photo's face", async () => {
        const collectionId = `shards-gone${suffix}`;
        const people = Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`g${n}`, 2]));
        const { stack, declared } = await rosterStack(collectionId, collectionId, people, host);
        const program = (name: string, team: Record<string, string[]>, options: string): string =>
          `${header(host)}new FaceRoster("${name}", { collectionId: "${collectionId}", people: ${JSON.stringify(team)}${options} });\n`;
        let photo = 2;
        /** The team with the second photo of each of `who` replaced by a new one. */
        const replacing = (
          team: Record<string, string[]>,
          who: readonly string[],
        ): Record<string, string[]> => {
          photo++;
          return Object.fromEntries(
            Object.entries(team).map(([userId, photos]) => {
              if (!who.includes(userId)) return [userId, photos];
              const path = `photos/${userId}-${photo}.png`;
              stack.writeFile(path, generatePortrait(userId, photo));
              return [userId, [photos[0]!, path]];
            }),
          );
        };
        /** Every face of the collection is a declared photo's, held by its person, and recorded. */
        const expectOnlyDeclaredFaces = async (recorded: readonly string[]): Promise<void> => {
          const faces = await collectionFaces(local, collectionId);
          expect(faces).toHaveLength(16);
          expect(faces.every((f) => f.userId === f.label)).toBe(true);
          expect(faces.map((f) => f.faceId).sort()).toEqual([...recorded].sort());
        };
        const shardType = host.type("FaceRosterShard");
        const recordedByShards = async (): Promise<string[]> =>
          [
            ...(await expectRosterMatchesService(stack, local, collectionId, { type: shardType })).values(),
          ].flatMap((person) => Object.keys(person.faces));
        try {
          stack.writeProgram(program("team", declared, ', mode: "bulk", shards: 3'));
          await stack.up();
          expect(await collectionFaces(local, collectionId)).toHaveLength(16);

          // Three shards become two: the third is deleted, with no diff to hand its people over.
          let team = replacing(declared, Object.keys(declared));
          stack.writeProgram(program("team", team, ', mode: "bulk", shards: 2'));
          await stack.up();
          expect(await stack.resources(shardType)).toHaveLength(2);
          await expectOnlyDeclaredFaces(await recordedByShards());

          // The roster renamed: every shard of the old name is deleted.
          team = replacing(team, ["g0", "g5"]);
          stack.writeProgram(program("crew", team, ', mode: "bulk", shards: 2'));
          await stack.up();
          await expectOnlyDeclaredFaces(await recordedByShards());

          // Per-resource mode: the shards are deleted and IndexedFaces take the faces.
          team = replacing(team, ["g1", "g6"]);
          stack.writeProgram(program("crew", team, ""));
          await stack.up();
          expect(await stack.resources(shardType)).toEqual([]);
          const indexed = (await stack.resources(host.type("IndexedFace"))).map((r) => r.id!);
          await expectOnlyDeclaredFaces(indexed);
          await expectStateMatchesService(stack, local, { type: host.type("UserFaceAssociation") });
          expect(Object.keys((await stack.up()).changes)).toEqual(["same"]);
        } finally {
          await stack.dispose();
        }
      });

      it("a person removed and declared again, whose association then fails, has their user made by the next run", async () => {
        const collectionId = `again${suffix}`;
        const { stack, declared } = await rosterStack(
          collectionId,
          collectionId,
          { a0: 1, a1: 1, a2: 1, a3: 1 },
          host,
        );
        const bulk = ', mode: "bulk", shards: 2';
        const { a0, ...others } = declared;
        try {
          stack.writeProgram(hostRoster(collectionId, declared, bulk));
          await stack.up();
          stack.writeProgram(hostRoster(collectionId, others, bulk));
          await stack.up();
          expect(await usersOf(local, collectionId)).toEqual(["a1", "a2", "a3"]);

          // Declared again: the stack's CreateUser token is answered from the deleted user's record, and
          // the association that would find the user missing fails another way.
          stack.writeProgram(hostRoster(collectionId, declared, bulk));
          await local.emulator.control.setFaults({
            rules: [{ operations: ["AssociateFaces"], kind: "server-error", rate: 1 }],
          });
          try {
            await stack.up({ expectFailure: true });
          } finally {
            await local.emulator.control.setFaults({ rules: [] });
          }
          expect(a0).toHaveLength(1);
          const repaired = await stack.up();
          expect(repaired.stdout + repaired.stderr).not.toContain("does not exist");
          expect(await usersOf(local, collectionId)).toEqual(["a0", "a1", "a2", "a3"]);
          expect(await facesOfUser(local, collectionId, "a0")).toHaveLength(1);
          await expectRosterMatchesService(stack, local, collectionId, {
            type: host.type("FaceRosterShard"),
          });
          expect((await stack.up()).changes).toEqual({ same: expect.any(Number) as number });
        } finally {
          await stack.dispose();
        }
      });
    });
  }
});
