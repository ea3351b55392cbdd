import { CreateCollectionCommand, ListFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { callsSince, startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectRosterMatchesService, shardType } from "../harness/truth.js";

const collectionId = "alone";

/** A shard declared on its own, handing over or not; no RetiredFaces deletes what it hands over. */
function shardProgram(handOver: boolean): string {
  return [
    'import { FaceRosterShard } from "pulumi-rekognition-faces";',
    `const shard = new FaceRosterShard("team", { collectionId: "${collectionId}", shard: "1/1", handOver: ${handOver},`,
    '  people: { ada: ["photos/ada.png"], bob: ["photos/bob.png"] } });',
    "export const handedOver = shard.handedOver;",
    "",
  ].join("\n");
}

describe("a FaceRosterShard on its own that stops handing over", () => {
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
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    stack = await TestStack.on(local, "shard-alone", shardProgram(true));
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

    // Handing over with nobody to take it: ada's old face stays, listed.
    stack.writeFile("photos/ada.png", generatePortrait("ada", 2));
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).not.toHaveProperty("DeleteFaces");
    const old = await listed();
    expect(old).toHaveLength(1);
    expect(first).toContain(old[0]);
    expect(await facesInCollection()).toContain(old[0]);
    await expectRosterMatchesService(stack, local, collectionId);

    // It stops handing over, with no person to change: a preview shows the update, the run deletes the face.
    stack.writeProgram(shardProgram(false));
    const preview = await stack.preview({ diff: true });
    expect(preview.stdout).toMatch(/~ handOver: true => false/);
    await local.emulator.control.setFaults({
      rules: [{ operations: ["DeleteFaces"], kind: "access-denied", rate: 1 }],
    });
    try {
      const refused = await stack.up({ expectFailure: true });
      expect(refused.stdout + refused.stderr).toContain(
        "roster shard 1/1 of collection 'alone': 1 face(s) it had handed over could not be deleted",
      );
      expect(refused.stdout + refused.stderr).toContain(`- ${old[0]}: DeleteFaces failed`);
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
    await expectRosterMatchesService(stack, local, collectionId);
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toEqual({});
  });

  it("a destroy that cannot delete reports its people and what it listed together, and the next one finishes", async () => {
    // Listed again: back to handing over, and ada's photo changes once more.
    stack.writeProgram(shardProgram(true));
    stack.writeFile("photos/ada.png", generatePortrait("ada", 3));
    await stack.up();
    const old = await listed();
    expect(old).toHaveLength(1);
    await local.emulator.control.setFaults({
      rules: [{ operations: ["DeleteFaces"], kind: "access-denied", rate: 1 }],
    });
    try {
      const refused = await stack.destroy({ expectFailure: true });
      const said = refused.stdout + refused.stderr;
      // The people whose faces could not go, and the listed face: one error names both.
      expect(said).toMatch(
        /roster shard 1\/1 of collection 'alone': 2 of 2 changed people are not as declared/,
      );
      expect(said).toContain("1 face(s) it had handed over could not be deleted");
      expect(said).toContain("`pulumi destroy` tries again");
      expect(await stack.resources(shardType)).toHaveLength(1);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
    }
    await stack.destroy();
    expect(await facesInCollection()).toEqual([]);
  });
});
