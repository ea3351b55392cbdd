// examples/yaml-roster, run as it is: a bulk FaceRoster from a CSV manifest,
// declared in YAML and constructed by the provider plugin.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteUserCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/pulumi.js";
import { callsSince, startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import {
  declaredLinesOf,
  expectRosterMatchesService,
  personLineForms,
  recordedPeople,
  retiredTypeOf,
  settledShards,
} from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const example = join(repoRoot, "examples", "yaml-roster");
const shardType = "rekognition-faces:index:FaceRosterShard";
const collectionId = "yaml-roster";

describe("examples/yaml-roster: a bulk roster from a CSV manifest, in YAML", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  const manifest = readFileSync(join(example, "people.csv"), "utf8");

  beforeAll(async () => {
    ensureYamlHost();
    local = await startLocalRekognition();
    stack = await TestStack.create({
      name: "yaml-roster",
      yaml: readFileSync(join(example, "Pulumi.yaml"), "utf8"),
      config: local.pluginConfig,
      env: local.env,
    });
    stack.writeFile("people.csv", manifest);
    // The photos, as the example's README makes them.
    const cli = join(repoRoot, "dist", "emulator", "cli.js");
    const args = ["photos", "--out", "photos", "--people", "alice,bob,carol,dave,erin", "--count", "2"];
    const made = spawnSync(process.execPath, [cli, ...args], { cwd: stack.dir, encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("deploys every person of the manifest, and the shards record what the service holds", async () => {
    const created = await stack.up({ withPreview: true });
    // The run's last progress line, as the dynamic provider shows it.
    expect(created.stdout).toMatch(/roster: 5\/5 people, calls: .*CreateUser 5.*, throttled: 0/);
    const outputs = await stack.outputs();
    expect(outputs).toMatchObject({ people: 5, faces: 9, notActive: 0 });
    expect(await usersOf(local, collectionId)).toEqual(["alice", "bob", "carol", "dave", "erin"]);
    const people = await expectRosterMatchesService(stack, local, collectionId, { type: shardType });
    expect(people.size).toBe(5);
    // The component and its shards, all the plugin's.
    expect(await stack.resources("rekognition-faces:index:FaceRoster")).toHaveLength(1);
    const shards = await stack.resources(shardType);
    expect(shards).toHaveLength(4);
    // Under the plugin too, the stored inputs hold a line a person in one text, and the declaration's digest.
    const lines = declaredLinesOf(shards);
    expect([...lines.keys()].sort()).toEqual([...people.keys()].sort());
    for (const line of lines.values()) expect(line).toMatch(/^[12] photos? · [0-9a-f]{12}$/);
    // Everyone is a user the roster made, ACTIVE, with their photos' faces: recorded as words.
    expect(new Set([...personLineForms(shards).values()].flat())).toEqual(new Set(["words"]));
    // Each shard is settled on its declaration: the next diff reads nobody's record.
    expect(await settledShards(stack, shardType)).toHaveLength(4);
  });

  it("makes no call when nothing changed", async () => {
    await callsSince(local);
    const result = await stack.up();
    // The stack, the provider's identity, the collection, the roster, its 4 shards and its RetiredFaces.
    expect(result.changes).toEqual({ same: 8 });
    expect(await callsSince(local)).toEqual({});
  });

  it("a refresh reads a user deleted outside, in a process that never checked the roster; the next up repairs it", async () => {
    await local.client.send(new DeleteUserCommand({ CollectionId: collectionId, UserId: "bob" }));
    await callsSince(local);
    const refreshed = await stack.refresh();
    expect(refreshed.ok).toBe(true);
    // The plugin names who drifted, as the dynamic provider does.
    expect(refreshed.stdout).toMatch(/the service differs from the state for 1 person: bob \(user deleted\)/);
    // Reads only: one scan of each kind for the shards, and the collection's own read.
    expect(await callsSince(local)).toEqual({
      ListUsers: 1,
      ListFaces: 1,
      DescribeCollection: 1,
      ListTagsForResource: 1,
    });
    const recorded = await expectRosterMatchesService(stack, local, collectionId, { type: shardType });
    expect(recorded.get("bob")!.userStatus).toBe("MISSING");
    // The drift unsettles bob's shard alone.
    expect(await settledShards(stack, shardType)).toHaveLength(3);
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toMatchObject({ CreateUser: 1, AssociateFaces: 1 });
    const repaired = await expectRosterMatchesService(stack, local, collectionId, { type: shardType });
    expect(repaired.get("bob")!.userStatus).toBe("ACTIVE");
    expect(await settledShards(stack, shardType)).toHaveLength(4);
    expect(await usersOf(local, collectionId)).toEqual(["alice", "bob", "carol", "dave", "erin"]);
  });

  it("removes a person whose rows are deleted, and only them", async () => {
    stack.writeFile(
      "people.csv",
      manifest
        .split("\n")
        .filter((row) => !row.startsWith("erin,"))
        .join("\n"),
    );
    const erinsFaces = Object.values((await recordedPeople(stack, shardType)).get("erin")!.photos)
      .map((photo) => photo.faceId)
      .sort();
    await callsSince(local);
    const removed = await stack.up();
    const calls = await callsSince(local);
    // Her faces go after every shard, from the roster's RetiredFaces, and the run's last line counts it.
    expect(calls).toMatchObject({ DeleteUser: 1, DeleteFaces: 1 });
    expect(removed.stdout).toMatch(/roster: 1\/1 people, calls: .*DeleteFaces 1/);
    const [retired] = await stack.resources(retiredTypeOf(shardType));
    expect(retired!.outputs).toMatchObject({ faces: erinsFaces, remaining: [] });
    expect(calls["CreateUser"]).toBeUndefined();
    expect(calls["IndexFaces"]).toBeUndefined();
    expect(await usersOf(local, collectionId)).toEqual(["alice", "bob", "carol", "dave"]);
    expect(await stack.outputs()).toMatchObject({ people: 4, faces: 7 });
    await expectRosterMatchesService(stack, local, collectionId, { type: shardType });
  });

  it("destroys the roster with the collection: one DeleteCollection, no user or face deleted one by one", async () => {
    await callsSince(local);
    await stack.destroy();
    expect(await callsSince(local)).toEqual({ DeleteCollection: 1 });
    expect(await stack.resources()).toEqual([]);
    await expect(usersOf(local, collectionId)).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
