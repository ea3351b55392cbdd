// The AWS SDKs' standard environment names the endpoint, for both hosts: a
// stack with no endpoint in its configuration reaches rekognition-local
// through AWS_ENDPOINT_URL_REKOGNITION.
import { CreateCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginYamlProject } from "../harness/programs.js";
import { startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

describe("AWS_ENDPOINT_URL_REKOGNITION", () => {
  let local: LocalRekognition;
  const collectionId = "endpoint-env";

  beforeAll(async () => {
    ensureYamlHost();
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
  });
  afterAll(async () => local?.stop());

  const env = () => ({ ...local.env, AWS_ENDPOINT_URL_REKOGNITION: local.emulator.endpoint });

  it("sends the dynamic provider's calls to the endpoint it names", async () => {
    const stack = await TestStack.create({
      name: "endpoint-env-dynamic",
      program: `import * as rk from "pulumi-rekognition-faces";\nnew rk.User("ann", { collectionId: "${collectionId}", userId: "ann" });\n`,
      config: { "aws:region": local.emulator.region },
      env: env(),
    });
    try {
      await stack.up();
      expect(await usersOf(local, collectionId)).toContain("ann");
    } finally {
      await stack.dispose();
    }
  });

  it("sends the plugin's calls to the endpoint it names", async () => {
    const stack = await TestStack.create({
      name: "endpoint-env-plugin",
      yaml: pluginYamlProject("endpoint-env-plugin", {
        bo: { type: "rekognition-faces:index:User", properties: { collectionId, userId: "bo" } },
      }),
      config: { "rekognition-faces:region": local.emulator.region },
      env: env(),
    });
    try {
      await stack.up();
      expect(await usersOf(local, collectionId)).toContain("bo");
    } finally {
      await stack.dispose();
    }
    expect(await usersOf(local, collectionId)).not.toContain("bo");
  });
});
