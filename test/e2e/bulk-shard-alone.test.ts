// A FaceRosterShard declared on its own (no RetiredFaces deletes what it hands
// over) that stops handing over: the same scenario under the dynamic provider
// host (a TypeScript program) and the provider plugin (a YAML program).
import { CreateCollectionCommand, ListFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { pluginYamlProject } from "../harness/programs.js";
import { callsSince, startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack, type OperationResult } from "../harness/stack.js";
import { expectRosterMatchesService, shardType as dynamicShardType } from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const collectionId = "alone";
const people = { ada: ["photos/ada.png"], bob: ["photos/bob.png"] };

interface Host {
  readonly name: string;
  readonly shardType: string;
  start(local: LocalRekognition): Promise<TestStack>;
  declare(stack: TestStack, handOver: boolean): void;
}

const dynamicHost: Host = {
  name: "the dynamic provider host",
  shardType: dynamicShardType,
  start: (local) => TestStack.on(local, "shard-alone", dynamicProgram(true)),
  declare: (stack, handOver) => stack.writeProgram(dynamicProgram(handOver)),
};

const pluginHost: Host = {
  name: "the provider plugin, in YAML",
  shardType: "rekognition-faces:index:FaceRosterShard",
  start: (local) => {
    ensureYamlHost();
    return TestStack.create({
      name: "yaml-shard-alone",
      yaml: yamlProject(true),
      config: local.pluginConfig,
      env: local.env,
    });
  },
  declare: (stack, handOver) => stack.writeYaml(yamlProject(handOver)),
};

function dynamicProgram(handOver: boolean): string {
  return [
    'import { FaceRosterShard } from "pulumi-rekognition-faces";',
    `const shard = new FaceRosterShard("team", { collectionId: "${collectionId}", shard: "1/1", handOver: ${handOver},`,
    `  people: ${JSON.stringify(people)} });`,
    "export const handedOver = shard.handedOver;",
    "",
  ].join("\n");
}

function yamlProject(handOver: boolean): string {
  return pluginYamlProject(
    "yaml-shard-alone",
    {
      team: {
        type: pluginHost.shardType,
        properties: { collectionId, shard: "1/1", handOver, people },
      },
    },
    { handedOver: "${team.handedOver}" },
  );
}

describe.each([dynamicHost, pluginHost])(
  "a FaceRosterShard on its own that stops handing over, under $name",
  (host) => {
    let local: LocalRekognition;
    let stack: TestStack;

    const facesInCollection = async (): Promise<string[]> => {
      const page = await local.client.send(
        new ListFacesCommand({ CollectionId: collectionId, MaxResults: 4096 }),
      );
      return (page.Faces ?? []).map((f) => f.FaceId!).sort();
    };
    const listed = async (): Promise<string[]> => {
      const [shard] = await stack.resources(host.shardType);
      return (shard!.outputs ?? {})["handedOver"] as string[];
    };
    const matchesService = () =>
      expectRosterMatchesService(stack, local, collectionId, { type: host.shardType });
    /** The error that names the shard: once, with no stack trace, under either host. */
    const shardError = (refused: OperationResult): string => {
      const said = refused.errors.filter((e) => e.includes("roster shard"));
      expect(said).toHaveLength(1);
      const printed = refused.stdout + refused.stderr;
      expect(printed).not.toMatch(/\n\s+at \S+ \(/);
      // Not printed again on the stack by the host (as `Error: <message>: <stack>`).
      expect(printed).not.toContain("Error: roster shard");
      return said[0]!;
    };
    const refusingDeleteFaces = () =>
      local.emulator.control.setFaults({
        rules: [{ operations: ["DeleteFaces"], kind: "access-denied", rate: 1 }],
      });

    beforeAll(async () => {
      local = await startLocalRekognition();
      await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
      stack = await host.start(local);
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
      await matchesService();

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
      await matchesService();

      // It stops handing over, with no person to change: a preview shows the update, the run deletes the face.
      host.declare(stack, false);
      const preview = await stack.preview({ diff: true });
      expect(preview.stdout).toMatch(/~ handOver: true => false/);
      expect(preview.changes).toMatchObject({ update: 1 });
      await refusingDeleteFaces();
      try {
        const said = shardError(await stack.up({ expectFailure: true }));
        expect(said).toContain(
          `roster shard 1/1 of collection '${collectionId}': 1 face(s) it had handed over could not be deleted`,
        );
        expect(said).toContain(`- ${old[0]}: DeleteFaces failed`);
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
      await matchesService();
      await callsSince(local);
      const again = await stack.up();
      expect(Object.keys(again.changes)).toEqual(["same"]);
      expect(await callsSince(local)).toEqual({});
    });

    it("a destroy that cannot delete reports its people and what it listed together, and the next one finishes", async () => {
      // Listed again: back to handing over, and ada's photo changes once more.
      host.declare(stack, true);
      stack.writeFile("photos/ada.png", generatePortrait("ada", 3));
      await stack.up();
      const old = await listed();
      expect(old).toHaveLength(1);
      await matchesService();
      await refusingDeleteFaces();
      try {
        // The people whose faces could not go, and the listed face: one error names both.
        const said = shardError(await stack.destroy({ expectFailure: true }));
        expect(said).toContain(
          `roster shard 1/1 of collection '${collectionId}': 2 of 2 changed people are not as declared`,
        );
        expect(said).toContain("1 face(s) it had handed over could not be deleted");
        expect(said).toContain(`- ${old[0]}: DeleteFaces failed`);
        expect(said).toContain("`pulumi destroy` tries again");
        expect(await stack.resources(host.shardType)).toHaveLength(1);
        expect(await listed()).toEqual(old);
        expect(await facesInCollection()).toContain(old[0]);
        // The state kept the shard as it was; a refresh makes it say what the service holds.
        expect((await stack.refresh()).ok).toBe(true);
        await matchesService();
      } finally {
        await local.emulator.control.setFaults({ rules: [] });
      }
      await stack.destroy();
      expect(await stack.resources(host.shardType)).toEqual([]);
      expect(await facesInCollection()).toEqual([]);
      expect(await usersOf(local, collectionId)).toEqual([]);
    });
  },
);
