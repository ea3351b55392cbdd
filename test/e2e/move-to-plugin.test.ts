// A TypeScript stack moved from the dynamic resources to the provider
// plugin's, as the README says: export, rekognition-faces-to-plugin, import,
// then the program's import and Pulumi.yaml's `plugins:`. No Rekognition
// call, and then nothing to change.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { DescribeCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { repoRoot } from "../harness/pulumi.js";
import {
  callsSince,
  facesOfUser,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { pluginNodeProject, TestStack } from "../harness/stack.js";
import { expectRosterMatchesService, expectStateMatchesService } from "../harness/truth.js";

const collectionId = "moving";

function program(from: string, annPhotos: number): string {
  const ann = Array.from({ length: annPhotos }, (_, i) => `"photos/ann-${i + 1}.png"`).join(", ");
  return `import * as rk from "${from}";
const collection = new rk.Collection("moving", { collectionId: "${collectionId}" });
const team = new rk.FaceRoster("team", {
  collectionId: collection.collectionId,
  people: { ann: [${ann}], bo: ["photos/bo-1.png", "photos/bo-2.png"] },
});
const crowd = new rk.FaceRoster("crowd", {
  collectionId: collection.collectionId,
  mode: "bulk",
  shards: 2,
  people: { cy: ["photos/cy-1.png"], di: ["photos/di-1.png", "photos/di-2.png"], ed: ["photos/ed-1.png"] },
});
export const team_users = team.users;
export const crowd_summary = crowd.summary;
`;
}

describe("moving a stack from the dynamic resources to the plugin", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition();
    stack = await TestStack.on(local, "move-to-plugin", program("pulumi-rekognition-faces", 2));
    for (const person of ["ann", "bo", "cy", "di", "ed"])
      for (let n = 1; n <= 3; n++) stack.writeFile(`photos/${person}-${n}.png`, generatePortrait(person, n));
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("moves the state with no Rekognition call, and the plugin then finds nothing to change", async () => {
    await stack.up();
    const before = await stack.outputs();
    const [identity] = await stack.resources("pulumi-nodejs:dynamic/rekognition:StackIdentity");
    await expectStateMatchesService(stack, local);

    await callsSince(local);
    const cli = join(repoRoot, "dist", "provider", "to-plugin", "cli.js");
    expect((await stack.pulumi(["stack", "export", "--file", "before.json"])).code).toBe(0);
    const moved = await promisify(execFile)(
      process.execPath,
      [cli, "--in", "before.json", "--out", "after.json"],
      {
        cwd: stack.dir,
      },
    );
    expect(moved.stderr).toMatch(/the stack's identity [0-9a-f-]{36} goes with them/);
    for (const count of [
      "1 Collection",
      "2 User,",
      "4 IndexedFace",
      "2 UserFaceAssociation",
      "2 FaceRoster,",
      "2 FaceRosterShard",
      "1 RetiredFaces",
    ])
      expect(moved.stderr).toContain(count);
    const imported = await stack.pulumi(["stack", "import", "--file", "after.json", "--non-interactive"]);
    expect(imported.code, imported.stderr).toBe(0);

    stack.linkPackage();
    stack.writeYaml(pluginNodeProject("move-to-plugin"));
    stack.writeProgram(program("pulumi-rekognition-faces/plugin", 2));
    await stack.setConfig(local.pluginConfig);
    const first = await stack.up();
    expect(first.changes).toEqual({ same: 15 });
    expect(await callsSince(local)).toEqual({});
    const preview = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(preview.code, preview.stdout).toBe(0);
    expect(await stack.outputs()).toEqual(before);
    expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:User")).toEqual([]);
    expect(await stack.resources("rekognition-faces:index:User")).toHaveLength(2);
    const [provider] = await stack.resources("pulumi:providers:rekognition-faces");
    expect(provider?.inputs?.["stackIdentity"]).toBe(identity?.outputs?.["stackId"]);
    expect(await stack.resources("pulumi:providers:pulumi-nodejs")).toEqual([]);
  });

  it("then changes the roster through the plugin, under the stack's own identity", async () => {
    stack.writeProgram(program("pulumi-rekognition-faces/plugin", 3));
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toMatchObject({ IndexFaces: 1, AssociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "ann")).toHaveLength(3);
    await expectStateMatchesService(stack, local, { type: "rekognition-faces:index:UserFaceAssociation" });
    await expectRosterMatchesService(stack, local, collectionId, {
      type: "rekognition-faces:index:FaceRosterShard",
    });
    expect(await usersOf(local, collectionId)).toEqual(["ann", "bo", "cy", "di", "ed"]);
  });

  it("destroys everything it made", async () => {
    await stack.destroy();
    await expect(
      local.client.send(new DescribeCollectionCommand({ CollectionId: collectionId })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });
});
