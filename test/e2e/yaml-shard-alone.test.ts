// A FaceRosterShard declared on its own in YAML, served by the provider
// plugin, that stops handing over: the plugin twin of bulk-shard-alone.
import { CreateCollectionCommand, ListFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { pluginYamlProject } from "../harness/programs.js";
import { callsSince, startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectRosterMatchesService } from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const shardType = "rekognition-faces:index:FaceRosterShard";
const collectionId = "yaml-alone";

/** A shard declared on its own, handing over or not; no RetiredFaces deletes what it hands over. */
function shardProject(handOver: boolean): string {
  return pluginYamlProject(
    "yaml-shard-alone",
    {
      team: {
        type: shardType,
        properties: {
          collectionId,
          shard: "1/1",
          handOver,
          people: { ada: ["photos/ada.png"], bob: ["photos/bob.png"] },
        },
      },
    },
    { handedOver: "${team.handedOver}" },
  );
}

describe("a FaceRosterShard on its own in YAML that stops handing over", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  const facesInCollection = async (): Promise<string[]> => {
    const page = await local.client.send(
      new ListFacesCommand({ CollectionId: collectionId, MaxResults: 4096 }),
    );
    return (page.Faces ?? []).map((f) => f.FaceId!).sort();
  };
  const listed = async (): Promise<string[]> => {
    const [shard] = await stack.resources(shardType);
    return (shard!.outputs ?? {})["handedOver"] as string[];
  };

  beforeAll(async () => {
    ensureYamlHost();
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    stack = await TestStack.create({
      name: "yaml-shard-alone",
      yaml: shardProject(true),
      config: local.pluginConfig,
      env: local.env,
    });
    stack.writeFile("photos/ada.png", generatePortrait("ada", 1));
    stack.writeFile("photos/bob.png", generatePortrait("bob", 1));
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("deletes what it listed, reports what it could not, and the next up deletes the rest", async () => {
    await stack.up();
    const first = await facesInCollection();
    expect(first).toHaveLength(2);
    expect(await usersOf(local, collectionId)).toEqual(["ada", "bob"]);
    await expectRosterMatchesService(stack, local, collectionId, { type: shardType });

    // Handing over with nobody to take it: ada's old face stays, listed.
    stack.writeFile("photos/ada.png", generatePortrait("ada", 2));
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).not.toHaveProperty("DeleteFaces");
    const old = await listed();
    expect(old).toHaveLength(1);
    expect(first).toContain(old[0]);
    expect(await facesInCollection()).toContain(old[0]);
    expect(await stack.outputs()).toEqual({ handedOver: old });
    await expectRosterMatchesService(stack, local, collectionId, { type: shardType });

    // It stops handing over, with no person to change: a preview shows the update, the run deletes the face.
    stack.writeYaml(shardProject(false));
    const preview = await stack.preview({ diff: true });
    expect(preview.stdout).toMatch(/~ handOver: true => false/);
    expect(preview.changes).toMatchObject({ update: 1 });
    await local.emulator.control.setFaults({
      rules: [{ operations: ["DeleteFaces"], kind: "access-denied", rate: 1 }],
    });
    try {
      const refused = await stack.up({ expectFailure: true });
      // The shard's error names the face, as the plugin answers it: the message alone, no stack trace.
      const [said, ...others] = refused.errors.filter((e) => e.includes("roster shard"));
      expect(others).toEqual([]);
      expect(said).toContain(
        `roster shard 1/1 of collection '${collectionId}': 1 face(s) it had handed over could not be deleted`,
      );
      expect(said).toContain(`- ${old[0]}: DeleteFaces failed`);
      expect(refused.stdout + refused.stderr).not.toMatch(/\n\s+at \S+ \(/);
      // The state still lists it, and it is still there.
      expect(await listed()).toEqual(old);
      expect(await facesInCollection()).toContain(old[0]);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
    }
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toEqual({ DeleteFaces: 1 });
    expect(await listed()).toEqual([]);
    expect(await facesInCollection()).not.toContain(old[0]);
    expect(await stack.outputs()).toEqual({ handedOver: [] });
    await expectRosterMatchesService(stack, local, collectionId, { type: shardType });
    await callsSince(local);
    const again = await stack.up();
    // The stack and the shard, both unchanged.
    expect(again.changes).toEqual({ same: 2 });
    expect(await callsSince(local)).toEqual({});
  });

  it("a destroy that cannot delete reports its people and what it listed together, and the next one finishes", async () => {
    // Listed again: back to handing over, and ada's photo changes once more.
    stack.writeYaml(shardProject(true));
    stack.writeFile("photos/ada.png", generatePortrait("ada", 3));
    await stack.up();
    const old = await listed();
    expect(old).toHaveLength(1);
    await expectRosterMatchesService(stack, local, collectionId, { type: shardType });
    await local.emulator.control.setFaults({
      rules: [{ operations: ["DeleteFaces"], kind: "access-denied", rate: 1 }],
    });
    try {
      const refused = await stack.destroy({ expectFailure: true });
      // The people whose faces could not go, and the listed face: one error names both.
      const [said, ...others] = refused.errors.filter((e) => e.includes("roster shard"));
      expect(others).toEqual([]);
      expect(said).toContain(
        `roster shard 1/1 of collection '${collectionId}': 2 of 2 changed people are not as declared`,
      );
      expect(said).toContain("1 face(s) it had handed over could not be deleted");
      expect(said).toContain(`- ${old[0]}: DeleteFaces failed`);
      expect(said).toContain("`pulumi destroy` tries again");
      expect(refused.stdout + refused.stderr).not.toMatch(/\n\s+at \S+ \(/);
      expect(await stack.resources(shardType)).toHaveLength(1);
      expect(await listed()).toEqual(old);
      expect(await facesInCollection()).toContain(old[0]);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
    }
    await stack.destroy();
    expect(await stack.resources(shardType)).toEqual([]);
    expect(await facesInCollection()).toEqual([]);
    expect(await usersOf(local, collectionId)).toEqual([]);
  });
});
