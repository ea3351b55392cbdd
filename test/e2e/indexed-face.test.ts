import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateCollectionCommand,
  CreateUserCommand,
  DeleteFacesCommand,
  DisassociateFacesCommand,
  ListFacesCommand,
} from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import {
  associateOutOfBand,
  callsSince,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "faces";

type Image = { path: string } | { s3: { bucket: string; key: string } };

function facesProgram(faces: Record<string, Image>): string {
  const lines = ['import { IndexedFace } from "pulumi-rekognition-faces";', ""];
  for (const [name, image] of Object.entries(faces)) {
    lines.push(
      `const ${name} = new IndexedFace(${JSON.stringify(name)}, ${JSON.stringify({ collectionId, image })});`,
    );
    lines.push(
      `export const ${name}Face = { faceId: ${name}.faceId, confidence: ${name}.confidence, boundingBox: ${name}.boundingBox };`,
    );
  }
  return lines.join("\n") + "\n";
}

describe("IndexedFace: index from a file or S3, replace on new content, delete", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let bucketDir: string;

  const faceIds = async (): Promise<string[]> =>
    ((await local.client.send(new ListFacesCommand({ CollectionId: collectionId }))).Faces ?? [])
      .map((f) => f.FaceId!)
      .sort();
  const faceIdOf = async (name: string): Promise<string> => (await stack.resource(name)).id!;

  beforeAll(async () => {
    bucketDir = mkdtempSync(join(tmpdir(), "indexed-face-bucket-"));
    writeFileSync(join(bucketDir, "bob-1.png"), generatePortrait("bob", 1));
    local = await startLocalRekognition({ s3Buckets: { photos: bucketDir } });
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    stack = await TestStack.create({
      name: "indexed-face",
      program: facesProgram({
        alice: { path: "photos/alice.png" },
        bob: { s3: { bucket: "photos", key: "bob-1.png" } },
      }),
      config: local.config,
      env: local.env,
    });
    stack.writeFile("photos/alice.png", generatePortrait("alice", 1));
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
    rmSync(bucketDir, { recursive: true, force: true });
  });

  it("indexes one face per photo, from a local file and from S3", async () => {
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 3 });
    expect(await callsSince(local)).toEqual({ IndexFaces: 2, SearchFacesByImage: 2 });
    const alice = (await stack.outputs())["aliceFace"] as {
      faceId: string;
      confidence: number;
      boundingBox: object;
    };
    expect(alice.faceId).toBe(await faceIdOf("alice"));
    expect(alice.confidence).toBeGreaterThan(90);
    expect(Object.keys(alice.boundingBox).sort()).toEqual(["height", "left", "top", "width"]);
    expect(await faceIds()).toEqual([await faceIdOf("alice"), await faceIdOf("bob")].sort());
    expect((await stack.resource("alice")).outputs?.["imageSha256"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("makes no call at all when nothing changed, preview included", async () => {
    const result = await stack.up({ withPreview: true });
    expect(result.changes).toEqual({ same: 3 });
    expect(await callsSince(local)).toEqual({});
  });

  it("treats a renamed photo with the same content as no change", async () => {
    renameSync(join(stack.dir, "photos/alice.png"), join(stack.dir, "photos/alice-renamed.png"));
    stack.writeProgram(
      facesProgram({
        alice: { path: "photos/alice-renamed.png" },
        bob: { s3: { bucket: "photos", key: "bob-1.png" } },
      }),
    );
    const result = await stack.up({ withPreview: true });
    expect(result.changes).toEqual({ same: 3 });
    expect(await callsSince(local)).toEqual({});
  });

  it("replaces the face when the photo's content changes", async () => {
    const before = await faceIdOf("alice");
    stack.writeFile("photos/alice-renamed.png", generatePortrait("alice", 2));
    const result = await stack.up();
    expect(result.changes).toMatchObject({ replace: 1 });
    expect(await callsSince(local)).toEqual({ IndexFaces: 1, SearchFacesByImage: 1, DeleteFaces: 1 });
    const after = await faceIdOf("alice");
    expect(after).not.toBe(before);
    expect(await faceIds()).toEqual([after, await faceIdOf("bob")].sort());
  });

  it("fails at preview naming image.path when the file is missing", async () => {
    stack.writeProgram(
      facesProgram({
        alice: { path: "photos/nobody.png" },
        bob: { s3: { bucket: "photos", key: "bob-1.png" } },
      }),
    );
    const preview = await stack.preview({ expectFailure: true });
    expect(preview.errors.join("\n")).toMatch(
      /image\.path 'photos\/nobody\.png': there is no file at .*nobody\.png/,
    );
    expect(await callsSince(local)).toEqual({});
  });

  it("rejects a photo with two faces and leaves nothing indexed", async () => {
    stack.writeFile("photos/group.png", generatePortrait("carol", 1, { faces: 2 }));
    const before = await faceIds();
    await local.emulator.control.resetCounters();
    stack.writeProgram(
      facesProgram({
        alice: { path: "photos/alice-renamed.png" },
        bob: { s3: { bucket: "photos", key: "bob-1.png" } },
        group: { path: "photos/group.png" },
      }),
    );
    const result = await stack.up({ expectFailure: true });
    expect(result.errors.join("\n")).toMatch(
      /photos\/group\.png: Rekognition found 2 or more faces.*crop the photo/,
    );
    expect(await callsSince(local)).toEqual({ IndexFaces: 1, SearchFacesByImage: 1, DeleteFaces: 1 });
    expect(await faceIds()).toEqual(before);
  });

  it("drops a face deleted outside the stack on refresh, and up indexes it again", async () => {
    stack.writeProgram(
      facesProgram({
        alice: { path: "photos/alice-renamed.png" },
        bob: { s3: { bucket: "photos", key: "bob-1.png" } },
      }),
    );
    await local.client.send(
      new DeleteFacesCommand({ CollectionId: collectionId, FaceIds: [await faceIdOf("bob")] }),
    );
    await local.emulator.control.resetCounters();
    await stack.refresh();
    expect(await callsSince(local)).toEqual({ ListFaces: 2 });
    expect((await stack.resources("pulumi-nodejs:dynamic/rekognition:IndexedFace")).length).toBe(1);
    const repaired = await stack.up();
    expect(repaired.changes).toMatchObject({ create: 1 });
    expect(await callsSince(local)).toEqual({ IndexFaces: 1, SearchFacesByImage: 1 });
  });

  it("refuses to delete a face still associated with a user, naming the user", async () => {
    const bob = await faceIdOf("bob");
    await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "bob" }));
    await associateOutOfBand(local, collectionId, "bob", [bob]);
    stack.writeProgram(facesProgram({ alice: { path: "photos/alice-renamed.png" } }));
    const result = await stack.up({ expectFailure: true });
    expect(result.errors.join("\n")).toMatch(
      new RegExp(
        `face ${bob} \\(from s3://photos/bob-1.png\\) cannot be deleted: it is associated with user 'bob'`,
      ),
    );
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: "bob", FaceIds: [bob] }),
    );
  });

  it("deletes the faces on destroy", async () => {
    await local.emulator.control.resetCounters();
    const result = await stack.destroy();
    expect(result.changes).toMatchObject({ delete: 3 });
    expect(await callsSince(local)).toEqual({ DeleteFaces: 2 });
    expect(await faceIds()).toEqual([]);
  });
});
