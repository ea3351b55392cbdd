import { CreateCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { callsSince, startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { buildRelease, useRelease } from "../harness/release.js";
import { TestStack, type StateResource } from "../harness/stack.js";
import { expectRosterMatchesService, shardType } from "../harness/truth.js";

const collectionId = "upgraded";
const people = 200;
const photosEach = 3;
const id = (n: number): string => `p${String(n).padStart(3, "0")}`;
// The last release whose shards record each person as a nested map.
const release = "61902d22d744068e312ada66ff7950b1fe3a8ff9";

const program = [
  'import { FaceRoster } from "pulumi-rekognition-faces";',
  `new FaceRoster("staff", { collectionId: "${collectionId}", manifest: "people.csv", mode: "bulk", shards: 4 });`,
  "",
].join("\n");

/** The shards' bytes in the checkpoint per person: the recorded truth alone, and inputs and state together. */
function bytesPerPerson(shards: readonly StateResource[]): { roster: number; resource: number } {
  const roster = shards.reduce((n, r) => n + JSON.stringify(r.outputs?.["roster"]).length, 0);
  const resource = shards.reduce((n, r) => n + JSON.stringify(r).length, 0);
  return { roster: Math.round(roster / people), resource: Math.round(resource / people) };
}

describe("a bulk roster deployed by the release before the compact state", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let releaseDir: string;

  beforeAll(async () => {
    releaseDir = buildRelease(release);
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    stack = await TestStack.on(local, "state-upgrade", program);
    const rows = ["userId,photo"];
    for (let n = 0; n < people; n++)
      for (let p = 1; p <= photosEach; p++) {
        const path = `photos/${id(n)}-${p}.png`;
        stack.writeFile(path, generatePortrait(id(n), p));
        rows.push(`${id(n)},${path}`);
      }
    stack.writeFile("people.csv", rows.join("\n") + "\n");
  }, 300_000);
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("migrates on the first up with no Rekognition call, to fewer bytes, and stays the truth", async () => {
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
    // The preview shows each shard as an update, and no person changing.
    const preview = await stack.preview({ diff: true });
    const shardSteps = preview.events
      .map((e) => e.resourcePreEvent?.metadata)
      .filter((m) => m?.type === shardType);
    expect(shardSteps.map((m) => m!.op)).toEqual(["update", "update", "update", "update"]);
    expect(shardSteps.map((m) => Object.keys(m!.detailedDiff ?? {}))).toEqual([
      ["roster"],
      ["roster"],
      ["roster"],
      ["roster"],
    ]);
    expect(preview.stdout).not.toMatch(/people|fileStamps/);
    const upgraded = await stack.up();
    expect(upgraded.changes).toMatchObject({ update: 4 });
    expect(await callsSince(local)).toEqual({});

    const compact = await stack.resources(shardType);
    expect(
      compact.every((r) =>
        Object.values(r.outputs?.["roster"] as object).every((p) => typeof p === "string"),
      ),
    ).toBe(true);
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

  it("a refresh reads the compact state back unchanged, and destroy deletes every user", async () => {
    const before = await stack.resources(shardType);
    expect((await stack.refresh()).ok).toBe(true);
    expect((await stack.resources(shardType)).map((r) => r.outputs?.["roster"])).toEqual(
      before.map((r) => r.outputs?.["roster"]),
    );
    expect((await stack.destroy()).ok).toBe(true);
    expect(await usersOf(local, collectionId)).toEqual([]);
  }, 600_000);
});
