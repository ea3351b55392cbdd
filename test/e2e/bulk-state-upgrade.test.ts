import { CreateCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { callsSince, startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { buildRelease, useRelease } from "../harness/release.js";
import { TestStack, type StateResource } from "../harness/stack.js";
import { expectRosterMatchesService, personLineForms, shardType } from "../harness/truth.js";

const collectionId = "upgraded";
const people = 200;
const photosEach = 3;
const id = (n: number): string => `p${String(n).padStart(3, "0")}`;
// The last release whose shards record each person as a nested map, in state and inputs.
const release = "61902d22d744068e312ada66ff7950b1fe3a8ff9";
// The last release whose shards' inputs record each person as a nested map (its state is compact).
const nestedInputsRelease = "1c33c0e5485c5ca284e1780108ac171e3ade8f4f";
// The last release whose shards' inputs record each declared person in full, one string each.
const fullInputsRelease = "0170277005a9e4dcd5a469776f8aebbeca74bb07";
// The last release whose shards' state records each person as a JSON string of a map (its inputs are lines).
const mapStateRelease = "8b1613f43382193bac0352aba001ba6398016ad1";
// The last release whose shards' inputs hold a map of lines and whose state has no summary (its state is text).
const linesMapRelease = "ddff7c1c1f3ab63c5ebab4006fb1b16898cdd2e1";

const program = [
  'import { FaceRoster } from "pulumi-rekognition-faces";',
  `const roster = new FaceRoster("staff", { collectionId: "${collectionId}", manifest: "people.csv", mode: "bulk", shards: 4 });`,
  "export const summary = roster.summary;",
  "",
].join("\n");

/**
 * How each shard's inputs hold the people: "text" is one text, a line a
 * person, and the declaration's digest; "lines" is a map of such lines;
 * "compact" is the full declaration, one string each; the nested maps of
 * earlier releases kept the file stamps apart.
 */
function inputForms(shards: readonly StateResource[]): string[] {
  return shards.map((r) => {
    const stored = r.inputs?.["people"];
    const digested = /^[0-9a-f]{64}$/.test(String(r.inputs?.["declaration"]));
    if (typeof stored === "string")
      return digested &&
        stored.split("\n").every((line) => /^p\d{3} · \d+ photos? · [0-9a-f]{12}$/.test(line))
        ? "text"
        : "other";
    const people = Object.values(stored ?? {});
    if (r.inputs?.["fileStamps"] !== undefined)
      return `${[...new Set(people.map((p) => typeof p))].join("+")}, stamps apart`;
    const lines = people.every((p) => typeof p === "string" && /^\d+ photos? · [0-9a-f]{12}$/.test(p));
    if (lines && digested) return "lines";
    return people.every((p) => typeof p === "string") ? "compact" : "other";
  });
}

/** Registers a suite's stack of the roster and its endpoint, and builds `commit` to deploy it first. */
function onRelease(
  commit: string,
  name: string,
): { readonly local: LocalRekognition; readonly stack: TestStack; readonly releaseDir: string } {
  const suite = {} as { local: LocalRekognition; stack: TestStack; releaseDir: string };
  beforeAll(async () => {
    suite.releaseDir = buildRelease(commit);
    suite.local = await startLocalRekognition();
    suite.stack = await rosterStack(suite.local, name);
  }, 300_000);
  afterAll(async () => {
    await suite.stack?.dispose();
    await suite.local?.stop();
  });
  return suite;
}

/** The shards' bytes in the checkpoint per person: the recorded truth alone, and inputs and state together. */
function bytesPerPerson(shards: readonly StateResource[]): { roster: number; resource: number } {
  const roster = shards.reduce((n, r) => n + JSON.stringify(r.outputs?.["roster"]).length, 0);
  const resource = shards.reduce((n, r) => n + JSON.stringify(r).length, 0);
  return { roster: Math.round(roster / people), resource: Math.round(resource / people) };
}

/** A stack of `people` people with `photosEach` photos each, in a manifest, and their collection. */
async function rosterStack(local: LocalRekognition, name: string): Promise<TestStack> {
  await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
  const stack = await TestStack.on(local, name, program);
  const rows = ["userId,photo"];
  for (let n = 0; n < people; n++)
    for (let p = 1; p <= photosEach; p++) {
      const path = `photos/${id(n)}-${p}.png`;
      stack.writeFile(path, generatePortrait(id(n), p));
      rows.push(`${id(n)},${path}`);
    }
  stack.writeFile("people.csv", rows.join("\n") + "\n");
  return stack;
}

/** The preview of the first `up` after upgrading: each shard an update of its `roster` alone, no person changing. */
async function expectRewriteOnly(stack: TestStack): Promise<void> {
  const preview = await stack.preview({ diff: true });
  const shardSteps = preview.events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter((m) => m?.type === shardType);
  expect(shardSteps.map((m) => m!.op)).toEqual(["update", "update", "update", "update"]);
  expect(shardSteps.map((m) => Object.keys(m!.detailedDiff ?? {}))).toEqual(Array(4).fill(["roster"]));
  expect(preview.stdout).not.toMatch(/people|fileStamps/);
}

/** A refresh that must find nothing to change (`--expect-no-changes` fails it otherwise). */
async function refreshFindsNoDrift(stack: TestStack): Promise<void> {
  const refreshed = await stack.pulumi([
    "refresh",
    "--yes",
    "--skip-preview",
    "--expect-no-changes",
    "--non-interactive",
  ]);
  expect(refreshed.code, refreshed.stdout).toBe(0);
}

/** Whether every shard's state holds its people as one text, and its part of the roster's summary. */
const rosterTexts = (shards: readonly StateResource[]): boolean =>
  shards.every((r) => typeof r.outputs?.["roster"] === "string" && r.outputs?.["summary"] !== undefined);

/**
 * Deploys the suite's release, upgrades, and checks that the first `up`
 * rewrites the shards (inputs as one text, the state as text with its
 * summary) with no call and no person changing, to fewer bytes (`shrinksTo`
 * of what they were; unset: not compared), then that nothing changes. With
 * `refreshFirst`, a refresh before any `up` finds no drift either.
 */
async function upgradesWithoutCalls(
  suite: { readonly local: LocalRekognition; readonly stack: TestStack; readonly releaseDir: string },
  formBefore: string,
  options: { readonly refreshFirst?: boolean; readonly shrinksTo?: number } = {},
): Promise<void> {
  const { local, stack, releaseDir } = suite;
  const upgrade = useRelease(stack, releaseDir);
  expect((await stack.up()).ok).toBe(true);
  const old = await stack.resources(shardType);
  expect(inputForms(old)).toEqual(Array(4).fill(formBefore));
  expect(rosterTexts(old)).toBe(false);
  const summaryBefore = (await stack.outputs())["summary"];
  const before = bytesPerPerson(old);

  upgrade();
  await callsSince(local);
  if (options.refreshFirst) {
    // The refresh's diff has only the earlier release's inputs: each record is taken as declared.
    await refreshFindsNoDrift(stack);
    expect(await callsSince(local)).toEqual({ ListUsers: 1, ListFaces: 1 });
  }
  await expectRewriteOnly(stack);
  const up = await stack.up();
  // The roster's RetiredFaces is new: created, with nothing to delete.
  expect(up.changes).toEqual({ same: 3, update: 4, create: 1 });
  expect(await callsSince(local)).toEqual({});

  const upgraded = await stack.resources(shardType);
  expect(inputForms(upgraded)).toEqual(Array(4).fill("text"));
  expect(rosterTexts(upgraded)).toBe(true);
  // The summary the shards now record is the one the program read from every person before.
  expect((await stack.outputs())["summary"]).toEqual(summaryBefore);
  const after = bytesPerPerson(upgraded);
  console.log(
    `checkpoint bytes per person (${photosEach} photos), inputs ${formBefore} -> text, state as text: ` +
      `shard resource (inputs and state) ${before.resource} -> ${after.resource}`,
  );
  if (options.shrinksTo !== undefined)
    expect(after.resource).toBeLessThan(before.resource * options.shrinksTo);
  expect((await expectRosterMatchesService(stack, local, collectionId)).size).toBe(people);
  await callsSince(local);
  const noChanges = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
  expect(noChanges.code, noChanges.stdout).toBe(0);
  expect(await callsSince(local)).toEqual({});
}

describe("a bulk roster deployed by the release before the compact state", () => {
  const suite = onRelease(release, "state-upgrade");

  it("migrates on the first up with no Rekognition call, to fewer bytes, and stays the truth", async () => {
    const { local, stack, releaseDir } = suite;
    const upgrade = useRelease(stack, releaseDir);
    expect((await stack.up()).ok).toBe(true);
    const nested = await stack.resources(shardType);
    expect(nested).toHaveLength(4);
    // The release records each person as a nested map.
    expect(
      nested.every((r) => Object.values(r.outputs?.["roster"] as object).every((p) => typeof p === "object")),
    ).toBe(true);
    const before = bytesPerPerson(nested);
    const exportedBefore = (await stack.exportStateText()).length;

    upgrade();
    await callsSince(local);
    await expectRewriteOnly(stack);
    const upgraded = await stack.up();
    expect(upgraded.changes).toMatchObject({ update: 4 });
    expect(await callsSince(local)).toEqual({});

    const compact = await stack.resources(shardType);
    expect(rosterTexts(compact)).toBe(true);
    expect(inputForms(compact)).toEqual(Array(4).fill("text"));
    const after = bytesPerPerson(compact);
    const exportedAfter = (await stack.exportStateText()).length;
    console.log(
      `checkpoint bytes per person (${photosEach} photos): roster ${before.roster} -> ${after.roster}, ` +
        `shard resource (inputs and state) ${before.resource} -> ${after.resource}, ` +
        `pulumi stack export ${Math.round(exportedBefore / people)} -> ${Math.round(exportedAfter / people)}`,
    );
    expect(exportedAfter).toBeLessThan(exportedBefore);
    expect(after.roster).toBeLessThan(before.roster * 0.75);
    expect(after.resource).toBeLessThan(before.resource);

    const recorded = await expectRosterMatchesService(stack, local, collectionId);
    expect(recorded.size).toBe(people);
    for (const person of recorded.values()) {
      expect(Object.keys(person.photos)).toHaveLength(photosEach);
      expect(Object.keys(person.faces).sort()).toEqual(
        Object.values(person.photos)
          .map((p) => p.faceId)
          .sort(),
      );
    }
    // (The checks above listed the service's users and faces themselves.)
    await callsSince(local);
    const noChanges = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(noChanges.code, noChanges.stdout).toBe(0);
    expect(await callsSince(local)).toEqual({});
  }, 900_000);

  it("a refresh reads the text back unchanged, and destroy deletes every user", async () => {
    const { local, stack } = suite;
    const before = await stack.resources(shardType);
    expect((await stack.refresh()).ok).toBe(true);
    expect((await stack.resources(shardType)).map((r) => r.outputs?.["roster"])).toEqual(
      before.map((r) => r.outputs?.["roster"]),
    );
    expect((await stack.destroy()).ok).toBe(true);
    expect(await usersOf(local, collectionId)).toEqual([]);
  }, 600_000);
});

describe("a bulk roster deployed by the release before compact inputs", () => {
  const suite = onRelease(nestedInputsRelease, "inputs-upgrade");

  it("the first up stores the people as lines of one text and the state as text, with no Rekognition call", async () => {
    await upgradesWithoutCalls(suite, "object, stamps apart");
  }, 900_000);

  it("a changed photo after the upgrade changes that person alone", async () => {
    const { local, stack } = suite;
    stack.writeFile(`photos/${id(7)}-2.png`, generatePortrait(id(7), 9));
    await callsSince(local);
    const preview = await stack.preview({ diff: true });
    const changed = preview.events
      .map((e) => e.resourcePreEvent?.metadata)
      .filter((m) => m?.type === shardType && m.op === "update");
    expect(changed.map((m) => Object.keys(m!.detailedDiff ?? {}))).toEqual([["people"]]);
    // Pulumi shows the lines that change: that person's, and nobody else's but as context.
    const line = (sign: string) => new RegExp(`${sign} ${id(7)} · 3 photos · [0-9a-f]{12}\n`);
    expect(preview.stdout).toMatch(line("-"));
    expect(preview.stdout).toMatch(line("\\+"));
    expect(preview.stdout.match(/^\s*[-+] p\d{3} /gm)).toHaveLength(2);
    const up = await stack.up();
    // The shard, and the roster's RetiredFaces, which deletes the replaced photo's face.
    expect(up.changes).toMatchObject({ update: 2 });
    expect(await callsSince(local)).toMatchObject({ IndexFaces: 1, DisassociateFaces: 1, DeleteFaces: 1 });
    const recorded = await expectRosterMatchesService(stack, local, collectionId);
    expect(recorded.size).toBe(people);
    expect((await stack.destroy()).ok).toBe(true);
    expect(await usersOf(local, collectionId)).toEqual([]);
  }, 600_000);
});

describe.each([
  {
    before: "a line a person",
    commit: fullInputsRelease,
    name: "lines-upgrade",
    form: "compact",
    shrinksTo: 0.8,
  },
  // The state as text saves a few bytes a person, which its list of faces handed over (empty) takes back.
  {
    before: "the state as text",
    commit: mapStateRelease,
    name: "text-upgrade",
    form: "lines",
    shrinksTo: 1.02,
  },
  // The lines become one text and the state gains its summary: about as many bytes as before.
  { before: "the summary in the state", commit: linesMapRelease, name: "summary-upgrade", form: "lines" },
])("a bulk roster deployed by the release before $before", ({ commit, name, form, shrinksTo }) => {
  const suite = onRelease(commit, name);

  it("a refresh before any up finds no drift, and the first up rewrites the shards with no call", async () => {
    const { local, stack } = suite;
    await upgradesWithoutCalls(suite, form, { refreshFirst: true, shrinksTo });
    // After the upgrade a refresh compares each record (now text) with its line: still no drift.
    await refreshFindsNoDrift(stack);
    expect((await stack.destroy()).ok).toBe(true);
    expect(await usersOf(local, collectionId)).toEqual([]);
  }, 900_000);
});

describe("a bulk roster deployed by the release before the short form of a person", () => {
  // The last release that recorded every person as JSON (`p001: ["created","ACTIVE",[...],[0,1,2]]`).
  const suite = onRelease("e67d85e1bcbb34a04347b012fd4b489c900ad3fd", "short-form-upgrade");
  // Each shard's recorded truth, by URN (the checkpoint lists the shards in the order they were last written).
  const rosters = (shards: readonly StateResource[]): Record<string, string> =>
    Object.fromEntries(shards.map((r) => [r.urn, String(r.outputs?.["roster"])]));

  it("keeps every line through a refresh and a no-op, and rewrites a shard's lines when it changes", async () => {
    const { local, stack, releaseDir } = suite;
    const upgrade = useRelease(stack, releaseDir);
    expect((await stack.up()).ok).toBe(true);
    const deployed = await stack.resources(shardType);
    const before = rosters(deployed);
    expect([...personLineForms(deployed).values()]).toEqual(Array(4).fill(["json"]));
    expect((await expectRosterMatchesService(stack, local, collectionId)).size).toBe(people);

    upgrade();
    await callsSince(local);
    // No line changes, so the refresh shows none and the shards stay settled.
    await refreshFindsNoDrift(stack);
    expect(await callsSince(local)).toEqual({ ListUsers: 1, ListFaces: 1 });
    expect(rosters(await stack.resources(shardType))).toEqual(before);
    await expectRosterMatchesService(stack, local, collectionId);
    await callsSince(local);
    const noChanges = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(noChanges.code, noChanges.stdout).toBe(0);
    const noop = await stack.up();
    expect(Object.keys(noop.changes)).toEqual(["same"]);
    expect(await callsSince(local)).toEqual({});
    expect(rosters(await stack.resources(shardType))).toEqual(before);

    stack.writeFile(`photos/${id(7)}-2.png`, generatePortrait(id(7), 9));
    const up = await stack.up();
    // The shard of p007, and the roster's RetiredFaces, which deletes the replaced photo's face.
    expect(up.changes).toMatchObject({ update: 2 });
    const changedShards = await stack.resources(shardType);
    const after = rosters(changedShards);
    const changed = Object.keys(after).filter((urn) => after[urn] !== before[urn]);
    expect(changed).toHaveLength(1);
    const shard = changed[0]!;
    expect(after[shard]).toMatch(new RegExp(`^${id(7)}: `, "m"));
    expect(personLineForms(changedShards).get(shard)).toEqual(["words"]);
    const perPerson = (roster: string): number => Math.round(roster.length / roster.split("\n").length);
    console.log(
      `recorded truth of the changed shard, bytes per person (${photosEach} photos): ` +
        `JSON ${perPerson(before[shard]!)} -> short ${perPerson(after[shard]!)}`,
    );
    expect(after[shard]!.length).toBeLessThan(before[shard]!.length * 0.9);

    const recorded = await expectRosterMatchesService(stack, local, collectionId);
    expect(recorded.size).toBe(people);
    expect(Object.keys(recorded.get(id(7))!.faces)).toHaveLength(photosEach);
    expect((await stack.destroy()).ok).toBe(true);
    expect(await usersOf(local, collectionId)).toEqual([]);
  }, 900_000);
});
