import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DisassociateFacesCommand,
  ListFacesCommand,
} from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import {
  callsSince,
  facesOfUser,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import {
  declaredLinesOf,
  expectRosterMatchesService,
  nameOf,
  personLineForms,
  recordedPeople,
  retiredTypeOf,
  settledShards,
  shardType,
} from "../harness/truth.js";

const collectionId = "org";
const people = 200;
const id = (n: number): string => `p${String(n).padStart(3, "0")}`;

/** A bulk roster from a CSV manifest: no loop in the program. */
function bulkProgram(extra = ""): string {
  return [
    'import { FaceRoster } from "pulumi-rekognition-faces";',
    `const roster = new FaceRoster("org", { collectionId: "${collectionId}", manifest: "people.csv", mode: "bulk", shards: 4${extra} });`,
    'export const first = roster.users.apply((users) => users["p000"]);',
    "export const people = roster.users.apply((users) => Object.keys(users).length);",
    "export const summary = roster.summary;",
    "",
  ].join("\n");
}

describe("FaceRoster in bulk mode: 200 people in 4 shards", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  const roster = new Map<string, string[]>();

  const writeManifest = (): void => {
    const rows = ["userId,photo"];
    for (const [userId, photos] of roster) for (const photo of photos) rows.push(`${userId},${photo}`);
    stack.writeFile("people.csv", rows.join("\n") + "\n");
  };
  const photo = (userId: string, n: number, of = userId): string => {
    const path = `photos/${userId}-${n}.png`;
    stack.writeFile(path, generatePortrait(of, n));
    return path;
  };

  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    stack = await TestStack.on(local, "bulk", bulkProgram());
    for (let n = 0; n < people; n++) {
      const userId = id(n);
      roster.set(userId, n % 2 === 0 ? [photo(userId, 1), photo(userId, 2)] : [photo(userId, 1)]);
    }
    writeManifest();
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("creates every person with the fewest calls, and the state is the service's truth", async () => {
    const created = await stack.up();
    // The run reports its progress through the engine's diagnostics, ending with every person done.
    expect(created.stdout).toMatch(/roster: 200\/200 people, calls: .*IndexFaces 300.*, throttled: 0/);
    const calls = await callsSince(local);
    expect(calls["CreateUser"]).toBe(people);
    expect(calls["IndexFaces"]).toBe(300);
    expect(calls["AssociateFaces"]).toBe(people);
    expect(calls["SearchFacesByImage"] ?? 0).toBe(0);
    expect(await stack.resources(shardType)).toHaveLength(4);
    const recorded = await expectRosterMatchesService(stack, local, collectionId);
    expect([...recorded.keys()].sort()).toEqual([...roster.keys()].sort());
    expect(await usersOf(local, collectionId)).toHaveLength(people);
    const outputs = await stack.outputs();
    expect(outputs["people"]).toBe(people);
    const first = outputs["first"] as { faceIds: string[]; userStatus: string };
    expect(first.faceIds).toHaveLength(2);
    expect(first.userStatus).toBe("ACTIVE");
    // The roster's own outputs are a summary: the people are not printed, nor stored a second time.
    expect(outputs["summary"]).toEqual({ people, faces: 300, notActive: 0, notActivePeople: [] });
    const component = await stack.resource("org");
    expect(Object.keys(component.outputs ?? {})).toEqual(["summary"]);
    expect(created.stdout).not.toMatch(/p1\d\d/);
    // The stored inputs show a line a person in one text; the photos' stamps are in the stack's memo, not its state.
    const lines = declaredLinesOf(await stack.resources(shardType));
    expect(lines.size).toBe(people);
    for (const line of lines.values()) expect(line).toMatch(/^[12] photos? · [0-9a-f]{12}$/);
    // Everyone is a user the roster made, ACTIVE, with their photos' faces: recorded as words.
    const forms = personLineForms(await stack.resources(shardType));
    expect(new Set([...forms.values()].flat())).toEqual(new Set(["words"]));
    expect(readdirSync(join(stack.dir, ".cache"))).toHaveLength(4);
    expect(await settledShards(stack)).toHaveLength(4);
  });

  it("a no-op up makes no call", async () => {
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toEqual({});
  });

  it("a 1 % change touches those people only, and the preview names them", async () => {
    roster.get(id(10))!.push(photo(id(10), 3));
    roster.delete(id(11));
    roster.set("newcomer", [photo("newcomer", 1)]);
    writeManifest();
    const preview = await stack.preview({ diff: true });
    // Pulumi shows the lines that change, each shard's with two lines of context around them.
    expect(preview.stdout).toMatch(/\+ newcomer · 1 photo · [0-9a-f]{12}\n/);
    expect(preview.stdout).toMatch(new RegExp(`- ${id(10)} · 2 photos · [0-9a-f]{12}\n`));
    expect(preview.stdout).toMatch(new RegExp(`\\+ ${id(10)} · 3 photos · [0-9a-f]{12}\n`));
    expect(preview.stdout).toMatch(new RegExp(`- ${id(11)} · \\d photos? · [0-9a-f]{12}\n`));
    expect(preview.stdout.match(/^\s*[-+] \S+ · /gm)).toHaveLength(4);
    // What the shards will hand over is not known before they run: the roster's RetiredFaces may delete.
    expect(preview.stdout).toMatch(/~ pulumi-nodejs:dynamic\/rekognition:RetiredFaces: \(update\)/);
    await callsSince(local);
    await stack.up();
    const calls = await callsSince(local);
    expect(calls).toMatchObject({
      CreateUser: 1,
      IndexFaces: 2,
      AssociateFaces: 2,
      DeleteUser: 1,
      DeleteFaces: 1,
    });
    expect(calls["DisassociateFaces"] ?? 0).toBe(0);
    await expectRosterMatchesService(stack, local, collectionId);
    expect(await usersOf(local, collectionId)).not.toContain(id(11));
    expect(await facesOfUser(local, collectionId, id(10))).toHaveLength(3);
  });

  it("a run in which some people fail applies everyone else, records the truth and names each failure", async () => {
    await callsSince(local);
    // p020 gains a photo of someone else: LOW_MATCH_CONFIDENCE. p021 gains one; p022 is new.
    roster.get(id(20))!.push(photo(`${id(20)}-impostor`, 1, "somebody-else"));
    roster.get(id(21))!.push(photo(id(21), 2));
    roster.set("another", [photo("another", 1)]);
    writeManifest();
    const failed = await stack.up({ expectFailure: true });
    const text = failed.stdout + failed.stderr;
    expect(text).toContain(`${id(20)}: could not be associated with this user`);
    expect(text).toContain("LOW_MATCH_CONFIDENCE");
    expect(text).toContain("the next `pulumi up` retries only these people");
    const recorded = await expectRosterMatchesService(stack, local, collectionId);
    expect(Object.keys(recorded.get(id(21))!.faces)).toHaveLength(2);
    expect(recorded.has("another")).toBe(true);
    // The impostor's photo is indexed (it exists) but not associated: the state says both.
    const p020 = recorded.get(id(20))!;
    expect(Object.keys(p020.photos)).toHaveLength(3);
    expect(Object.keys(p020.faces)).toHaveLength(2);

    // The repair: the wrong photo goes; only p020 is touched.
    roster.set(id(20), roster.get(id(20))!.slice(0, 2));
    writeManifest();
    await callsSince(local);
    await stack.up();
    const calls = await callsSince(local);
    expect(calls).toEqual({ DeleteFaces: 1 });
    await expectRosterMatchesService(stack, local, collectionId);
  });

  it("what the shards retire goes in one DeleteFaces after them all, even one shard at a time", async () => {
    // A new photo of one person in each shard: each shard retires the old photo's face.
    const where = await recordedPeople(stack);
    const chosen = [...new Set([...where.values()].map((p) => p.shard))].map(
      (shard) =>
        [...where].find(
          ([userId, p]) => p.shard === shard && userId >= "p100" && roster.get(userId)?.length === 1,
        )![0],
    );
    expect(chosen).toHaveLength(4);
    const oldFaces = chosen.map((userId) => Object.values(where.get(userId)!.photos)[0]!.faceId).sort();
    for (const userId of chosen) stack.writeFile(`photos/${userId}-1.png`, generatePortrait(userId, 7));
    await callsSince(local);
    // --parallel 1: no two shards run at once, so no batch of the shards' own could join them.
    const changed = await stack.up({ parallel: 1 });
    const calls = await callsSince(local);
    expect(calls).toMatchObject({ IndexFaces: 4, DeleteFaces: 1 });
    // The run's one last line counts that deletion too.
    expect(changed.stdout).toMatch(/roster: 4\/4 people, calls: .*DeleteFaces 1/);
    const shards = await stack.resources(shardType);
    const handedOver = shards.flatMap((r) => ((r.outputs ?? {})["handedOver"] as string[] | undefined) ?? []);
    expect(handedOver.sort()).toEqual(oldFaces);
    const [retired] = await stack.resources(retiredTypeOf(shardType));
    expect(retired!.outputs).toMatchObject({ faces: oldFaces, remaining: [] });
    await expectRosterMatchesService(stack, local, collectionId);
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toEqual({});
    // What the shards handed over is known to a preview: their RetiredFaces has nothing left to do.
    const still = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(still.code, still.stdout).toBe(0);

    // A deletion refused: the faces stay, recorded as remaining, and the next run deletes them alone.
    const before = await recordedPeople(stack);
    const refusedFaces = chosen.map((userId) => Object.values(before.get(userId)!.photos)[0]!.faceId).sort();
    for (const userId of chosen) stack.writeFile(`photos/${userId}-1.png`, generatePortrait(userId, 8));
    await local.emulator.control.setFaults({
      rules: [{ operations: ["DeleteFaces"], kind: "access-denied", rate: 1 }],
    });
    try {
      const refused = await stack.up({ expectFailure: true });
      expect(refused.stdout + refused.stderr).toContain(
        "4 of the 4 faces the roster's shards retired could not be deleted",
      );
      const [left] = await stack.resources(retiredTypeOf(shardType));
      expect(left!.outputs).toMatchObject({ faces: refusedFaces, remaining: refusedFaces });
      // The shards scanned the collection: the faces deleted before are no longer listed.
      const listed = (await stack.resources(shardType)).flatMap(
        (r) => ((r.outputs ?? {})["handedOver"] as string[] | undefined) ?? [],
      );
      expect(listed.sort()).toEqual(refusedFaces);
      await expectRosterMatchesService(stack, local, collectionId);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
    }
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toEqual({ DeleteFaces: 1 });
    const [repaired] = await stack.resources(retiredTypeOf(shardType));
    expect(repaired!.outputs).toMatchObject({ faces: refusedFaces, remaining: [] });
    await expectRosterMatchesService(stack, local, collectionId);
  });

  it("a retired face a user took before its deletion is left to that user; the destroy deletes it once let go", async () => {
    const where = await recordedPeople(stack);
    const userId = [...where.keys()].find((id) => id >= "p150" && roster.get(id)?.length === 1)!;
    const old = Object.values(where.get(userId)!.photos)[0]!.faceId;
    stack.writeFile(`photos/${userId}-1.png`, generatePortrait(userId, 9));
    await local.emulator.control.setFaults({
      rules: [{ operations: ["DeleteFaces"], kind: "access-denied", rate: 1 }],
    });
    try {
      await stack.up({ expectFailure: true });
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
    }
    // Outside the stack, someone makes a user of that face before the next run.
    await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "outsider" }));
    await local.client.send(
      new AssociateFacesCommand({ CollectionId: collectionId, UserId: "outsider", FaceIds: [old] }),
    );
    await callsSince(local);
    await stack.up();
    // One attempt, refused by the service (the face is held): no error, and not tried again.
    expect(await callsSince(local)).toEqual({ DeleteFaces: 1 });
    const [retired] = await stack.resources(retiredTypeOf(shardType));
    expect(retired!.outputs).toMatchObject({ remaining: [], released: [old] });
    expect(await facesOfUser(local, collectionId, "outsider")).toEqual([old]);
    await expectRosterMatchesService(stack, local, collectionId);
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toEqual({});
    // The outsider lets it go: the shard still lists it, so the roster's destroy deletes it (the last test).
    await local.client.send(new DeleteUserCommand({ CollectionId: collectionId, UserId: "outsider" }));
  });

  it("a permission missing for new people fails them alone, counted by reason; a refresh that cannot read keeps the state", async () => {
    const newcomers = ["late-1", "late-2", "late-3"];
    for (const userId of newcomers) roster.set(userId, [photo(userId, 1)]);
    writeManifest();
    await local.emulator.control.setFaults({
      rules: [{ operations: ["CreateUser"], kind: "access-denied", rate: 1 }],
    });
    try {
      const failed = await stack.up({ expectFailure: true });
      const text = failed.stdout + failed.stderr;
      expect(text).toContain("AccessDeniedException");
      expect(text).toContain("(grant the credentials rekognition:CreateUser)");
      const recorded = await expectRosterMatchesService(stack, local, collectionId);
      for (const userId of newcomers) expect(recorded.has(userId)).toBe(false);
      expect(recorded.size).toBe(roster.size - newcomers.length);
      // A shard whose run left work is not settled: the next diff reads its records and finds the work.
      expect((await settledShards(stack)).length).toBeLessThan(4);

      await local.emulator.control.setFaults({
        rules: [{ operations: ["ListUsers"], kind: "access-denied", rate: 1 }],
      });
      const outputs = async () => (await stack.resources(shardType)).map((r) => r.outputs);
      const before = await outputs();
      await stack.refresh({ expectFailure: true });
      expect(await outputs()).toEqual(before);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
    }
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toMatchObject({ CreateUser: 3, IndexFaces: 3, AssociateFaces: 3 });
    expect((await expectRosterMatchesService(stack, local, collectionId)).size).toBe(roster.size);
    expect(await settledShards(stack)).toHaveLength(4);
  });

  it("refresh reads drift with collection-wide scans, and the next up repairs it", async () => {
    const lost = (await facesOfUser(local, collectionId, id(30)))[0]!;
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: id(30), FaceIds: [lost] }),
    );
    await local.client.send(new DeleteUserCommand({ CollectionId: collectionId, UserId: id(31) }));
    await callsSince(local);
    const refreshed = await stack.refresh();
    const reads = await callsSince(local);
    // One ListUsers page and one ListFaces page for 200 people: nothing per person.
    expect(reads).toEqual({ ListUsers: 1, ListFaces: 1 });
    // The refresh names who drifted and how: a line a shard that drifted, naming no one else
    // (the display shows each diagnostic twice: as it comes, and under "Diagnostics").
    expect(refreshed.stdout).toContain(`${id(30)} (1 face disassociated)`);
    expect(refreshed.stdout).toContain(`${id(31)} (user deleted)`);
    const lines = new Set(
      refreshed.stdout
        .split("\n")
        .filter((line) => line.includes("the service differs"))
        .map((line) => line.slice(line.indexOf("roster shard"))),
    );
    expect(new Set([...lines].join("\n").match(/\bp\d{3}(?= \()/g))).toEqual(new Set([id(30), id(31)]));
    const recorded = await expectRosterMatchesService(stack, local, collectionId);
    expect(Object.keys(recorded.get(id(30))!.faces)).not.toContain(lost);
    expect(recorded.get(id(31))!.userStatus).toBe("MISSING");
    // Drift unsettles the shards it touched, and only those.
    const where = await recordedPeople(stack);
    const drifted = new Set([where.get(id(30))!.shard, where.get(id(31))!.shard]);
    expect(lines.size).toBe(drifted.size);
    const shards = (await stack.resources(shardType)).map(nameOf).sort();
    expect(await settledShards(stack)).toEqual(shards.filter((shard) => !drifted.has(shard)));

    await callsSince(local);
    await stack.up();
    const calls = await callsSince(local);
    expect(calls).toMatchObject({ CreateUser: 1, AssociateFaces: 2 });
    expect(calls["IndexFaces"] ?? 0).toBe(0);
    await expectRosterMatchesService(stack, local, collectionId);
    expect(await facesOfUser(local, collectionId, id(30))).toContain(lost);
    expect((await facesOfUser(local, collectionId, id(31))).length).toBeGreaterThan(0);
    expect(await settledShards(stack)).toHaveLength(4);
  });

  it("destroy deletes every user and face it made, through the shards' one DeleteFaces queue", async () => {
    await callsSince(local);
    await stack.destroy();
    // The default --parallel (4 × the CPUs Go uses) runs the 4 shards' deletes at once, into one queue: a batch
    // for all of them when the engine starts them within the queue's quarter second of stillness (not so on a
    // loaded machine), never more than one a shard (each holds fewer than 4,096 faces).
    expect((await callsSince(local))["DeleteFaces"]).toBeLessThanOrEqual(4);
    expect(await usersOf(local, collectionId)).toEqual([]);
    const faces = await local.client.send(
      new ListFacesCommand({ CollectionId: collectionId, MaxResults: 4096 }),
    );
    expect(faces.Faces ?? []).toEqual([]);
    expect((await recordedPeople(stack)).size).toBe(0);
  });
});
