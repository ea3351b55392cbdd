// Explicit providers of the plugin: two endpoints (as two accounts or
// regions would be) in one stack, in YAML and in TypeScript.
import { CreateCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginYamlProject } from "../harness/programs.js";
import { startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { pluginNodeProject, TestStack } from "../harness/stack.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

describe("explicit providers of the plugin", () => {
  let east: LocalRekognition;
  let west: LocalRekognition;

  beforeAll(async () => {
    ensureYamlHost();
    [east, west] = await Promise.all([startLocalRekognition(), startLocalRekognition()]);
    for (const local of [east, west])
      await local.client.send(new CreateCollectionCommand({ CollectionId: "staff" }));
  });
  afterAll(async () => {
    await east?.stop();
    await west?.stop();
  });

  const providerProperties = (local: LocalRekognition) => ({
    region: local.emulator.region,
    endpoints: [{ rekognition: local.emulator.endpoint }],
  });

  it("sends each YAML resource to the provider it names", async () => {
    const stack = await TestStack.create({
      name: "plugin-providers-yaml",
      yaml: pluginYamlProject("plugin-providers-yaml", {
        east: { type: "pulumi:providers:rekognition-faces", properties: providerProperties(east) },
        west: { type: "pulumi:providers:rekognition-faces", properties: providerProperties(west) },
        ann: {
          type: "rekognition-faces:index:User",
          properties: { collectionId: "staff", userId: "ann" },
          options: { provider: "${east}" },
        },
        bo: {
          type: "rekognition-faces:index:User",
          properties: { collectionId: "staff", userId: "bo" },
          options: { provider: "${west}" },
        },
      }),
      env: east.env,
    });
    try {
      await stack.up();
      expect(await usersOf(east, "staff")).toEqual(["ann"]);
      expect(await usersOf(west, "staff")).toEqual(["bo"]);
      await stack.destroy();
      expect([...(await usersOf(east, "staff")), ...(await usersOf(west, "staff"))]).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  it("does the same for TypeScript's Provider class", async () => {
    const stack = await TestStack.create({
      name: "plugin-providers-ts",
      yaml: pluginNodeProject("plugin-providers-ts"),
      program: `import * as rk from "pulumi-rekognition-faces/plugin";
const east = new rk.Provider("east", ${JSON.stringify(providerProperties(east))});
const west = new rk.Provider("west", ${JSON.stringify(providerProperties(west))});
new rk.User("cy", { collectionId: "staff", userId: "cy" }, { provider: east });
new rk.User("di", { collectionId: "staff", userId: "di" }, { provider: west });
`,
      env: east.env,
    });
    try {
      await stack.up();
      expect(await usersOf(east, "staff")).toEqual(["cy"]);
      expect(await usersOf(west, "staff")).toEqual(["di"]);
    } finally {
      await stack.dispose();
    }
  });
});
