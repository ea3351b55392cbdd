// Bringing a whole collection made outside Pulumi under a YAML stack's
// management in the one documented step: rekognition-faces-import writes the
// file, `pulumi import --file` reads it. No write reaches the service, and the
// program the import generates previews with no change.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IndexFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { parse, stringify } from "yaml";
import { pluginYamlProject } from "../harness/programs.js";
import { repoRoot } from "../harness/pulumi.js";
import {
  associateOutOfBand,
  callsSince,
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService } from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const collectionId = "legacy";
const people = Array.from({ length: 12 }, (_, i) => `person.${String(i).padStart(2, "0")}`);

describe("pulumi import --file of a whole collection, in a YAML stack", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let seeded: Record<string, string[]>;

  beforeAll(async () => {
    ensureYamlHost();
    local = await startLocalRekognition();
    seeded = await seedRoster(local, collectionId, [...people, "no-faces"], 2);
    for (const person of people) await associateOutOfBand(local, collectionId, person, seeded[person]!);
    stack = await TestStack.create({
      name: "yaml-import",
      yaml: pluginYamlProject("yaml-import", {}),
      config: local.pluginConfig,
      env: local.env,
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("imports the collection, every user and every association, with reads only", async () => {
    await callsSince(local);
    const cli = join(repoRoot, "dist", "provider", "import-file", "cli.js");
    // Not spawnSync: rekognition-local answers from this process.
    await promisify(execFile)(process.execPath, [cli, "--collection", collectionId, "--out", "import.json"], {
      cwd: stack.dir,
      env: { ...process.env, ...local.env, AWS_ENDPOINT_URL_REKOGNITION: local.emulator.endpoint },
    });
    const imported = await stack.pulumi([
      "import",
      "--file",
      "import.json",
      "--out",
      "generated.yaml",
      "--yes",
      "--non-interactive",
    ]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);

    const calls = await callsSince(local);
    expect(Object.keys(calls).filter((op) => !/^(List|Describe)/.test(op))).toEqual([]);
    expect(await stack.resources("rekognition-faces:index:Collection")).toHaveLength(1);
    expect(await stack.resources("rekognition-faces:index:User")).toHaveLength(13);
    const associations = await stack.resources("rekognition-faces:index:UserFaceAssociation");
    expect(associations).toHaveLength(12);
    for (const association of associations) {
      const { userId, faceIds } = association.outputs as { userId: string; faceIds: string[] };
      expect(faceIds).toEqual(await facesOfUser(local, collectionId, userId));
    }
    await expectStateMatchesService(stack, local, { type: "rekognition-faces:index:UserFaceAssociation" });
  });

  it("generates a program that previews with no change, and then runs with no call", async () => {
    const generated = parse(readFileSync(join(stack.dir, "generated.yaml"), "utf8")) as {
      resources: Record<string, unknown>;
    };
    const project = parse(readFileSync(join(stack.dir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    stack.writeYaml(stringify({ ...project, resources: generated.resources }));
    const preview = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    await callsSince(local);
    expect((await stack.up()).changes).toEqual({ same: 27 });
    expect(await callsSince(local)).toEqual({});
  });

  it("imports a face indexed outside, takes its declared photo on trust, and replaces it when the photo changes", async () => {
    stack.writeFile("photos/ivy-1.png", generatePortrait("ivy", 1));
    stack.writeFile("photos/ivy-2.png", generatePortrait("ivy", 2));
    const indexed = await local.client.send(
      new IndexFacesCommand({
        CollectionId: collectionId,
        Image: { Bytes: generatePortrait("ivy", 1) },
        ExternalImageId: "ivy",
        MaxFaces: 1,
      }),
    );
    const faceId = indexed.FaceRecords![0]!.Face!.FaceId!;
    await callsSince(local);
    const imported = await stack.pulumi([
      "import",
      "rekognition-faces:index:IndexedFace",
      "ivy-1",
      `${collectionId}/${faceId}`,
      "--yes",
      "--protect=false",
      "--non-interactive",
    ]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(Object.keys(await callsSince(local)).filter((op) => !/^(List|Describe)/.test(op))).toEqual([]);
    expect((await stack.resource("ivy-1")).id).toBe(faceId);

    const declare = (photo: string) => {
      const project = parse(readFileSync(join(stack.dir, "Pulumi.yaml"), "utf8")) as {
        resources: Record<string, unknown>;
      };
      project.resources["ivy-1"] = {
        type: "rekognition-faces:index:IndexedFace",
        properties: { collectionId, image: { path: photo }, externalImageId: "ivy" },
      };
      stack.writeYaml(stringify(project));
    };
    declare("photos/ivy-1.png");
    const preview = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    await stack.up();

    declare("photos/ivy-2.png");
    await callsSince(local);
    const replaced = await stack.up();
    expect(replaced.changes).toMatchObject({ replace: 1 });
    expect(await callsSince(local)).toMatchObject({ IndexFaces: 1, DeleteFaces: 1 });
    expect((await stack.resource("ivy-1")).id).not.toBe(faceId);
  });
});
