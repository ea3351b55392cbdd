import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  DeleteFacesCommand,
  DescribeCollectionCommand,
  IndexFacesCommand,
  ListFacesCommand,
  paginateListFaces,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { generatePortrait, type RunningEmulator } from "../../emulator/index.js";
import { photo, sdkError, startWithClient } from "./helpers.js";
import { scratchDir } from "../harness/scratch.js";

let emu: RunningEmulator;
let client: RekognitionClient;
const bucketDir = scratchDir("rekognition-bucket-");

beforeAll(async () => {
  writeFileSync(join(bucketDir, "erin.png"), photo("erin", 1));
  ({ emu, client } = await startWithClient({ s3Buckets: { photos: bucketDir } }));
  await client.send(new CreateCollectionCommand({ CollectionId: "faces" }));
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

const index = (bytes: Uint8Array, extra: Record<string, unknown> = {}) =>
  client.send(new IndexFacesCommand({ CollectionId: "faces", Image: { Bytes: bytes }, ...extra }));

describe("IndexFaces", () => {
  test("indexes the one face of a portrait with its box, image id and external id", async () => {
    const out = await index(photo("alice", 1), { ExternalImageId: "alice:1" });
    expect(out.FaceModelVersion).toBe("7.0");
    expect(out.UnindexedFaces).toEqual([]);
    expect(out.FaceRecords).toHaveLength(1);
    const { Face, FaceDetail } = out.FaceRecords![0]!;
    expect(Face!.FaceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Face!.ImageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Face!.ExternalImageId).toBe("alice:1");
    expect(Face!.Confidence).toBeGreaterThan(99);
    const box = Face!.BoundingBox!;
    for (const k of ["Width", "Height", "Left", "Top"] as const) {
      expect(box[k]).toBeGreaterThan(0);
      expect(box[k]).toBeLessThan(1);
    }
    expect(FaceDetail!.BoundingBox).toEqual(box);
  });

  test("the same image gets the same ImageId and a new FaceId", async () => {
    const a = await index(photo("bob", 1));
    const b = await index(photo("bob", 1));
    expect(a.FaceRecords![0]!.Face!.ImageId).toBe(b.FaceRecords![0]!.Face!.ImageId);
    expect(a.FaceRecords![0]!.Face!.FaceId).not.toBe(b.FaceRecords![0]!.Face!.FaceId);
  });

  test("JPEG works as well as PNG", async () => {
    const out = await index(generatePortrait("carol", 1, { format: "jpeg" }));
    expect(out.FaceRecords).toHaveLength(1);
  });

  test("a photo with no face indexes nothing", async () => {
    const out = await index(photo("nobody", 1, 0));
    expect(out.FaceRecords).toEqual([]);
    expect(out.UnindexedFaces).toEqual([]);
  });

  test("a photo with two faces indexes both, or the largest within MaxFaces", async () => {
    const both = await index(photo("pair", 1, 2));
    expect(both.FaceRecords).toHaveLength(2);
    const one = await index(photo("pair", 2, 2), { MaxFaces: 1 });
    expect(one.FaceRecords).toHaveLength(1);
    expect(one.UnindexedFaces).toHaveLength(1);
    expect(one.UnindexedFaces![0]!.Reasons).toEqual(["EXCEEDS_MAX_FACES"]);
  });

  test("reads Image.S3Object from the folder mapped to the bucket", async () => {
    const out = await client.send(
      new IndexFacesCommand({
        CollectionId: "faces",
        Image: { S3Object: { Bucket: "photos", Name: "erin.png" } },
      }),
    );
    expect(out.FaceRecords).toHaveLength(1);
  });

  test.each([
    ["photos", "missing.png"],
    ["no-such-bucket", "erin.png"],
    ["photos", "../escape.png"],
  ])("a missing S3 object (%s/%s) is InvalidS3ObjectException", async (Bucket, Name) => {
    const err = await sdkError(() =>
      client.send(new IndexFacesCommand({ CollectionId: "faces", Image: { S3Object: { Bucket, Name } } })),
    );
    expect(err.name).toBe("InvalidS3ObjectException");
  });

  test("bytes that are neither JPEG nor PNG are InvalidImageFormatException", async () => {
    expect((await sdkError(() => index(Buffer.from("GIF89a not really an image")))).name).toBe(
      "InvalidImageFormatException",
    );
    // A PNG signature followed by garbage.
    const broken = Buffer.concat([photo("x", 1).subarray(0, 40), Buffer.alloc(100, 7)]);
    expect((await sdkError(() => index(broken))).name).toBe("InvalidImageFormatException");
  });

  test("more than 5 MB of image bytes is ImageTooLargeException", async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
    expect((await sdkError(() => index(big))).name).toBe("ImageTooLargeException");
  });

  test("an image under 80 pixels a side is InvalidParameterException naming its dimensions", async () => {
    const tiny = new PNG({ width: 60, height: 75 });
    const err = await sdkError(() => index(PNG.sync.write(tiny)));
    expect(err.name).toBe("InvalidParameterException");
    expect(err.message).toContain("60 x 75");
  });

  test("emulators in one process share the face model's workers; stopping one leaves the others working", async () => {
    const other = await startWithClient();
    await other.client.send(new CreateCollectionCommand({ CollectionId: "other" }));
    await other.client.send(
      new IndexFacesCommand({ CollectionId: "other", Image: { Bytes: photo("o", 1) } }),
    );
    other.client.destroy();
    await other.emu.stop();
    expect((await index(photo("after", 1))).FaceRecords).toHaveLength(1);
  });

  test("a missing collection is ResourceNotFoundException", async () => {
    const err = await sdkError(() =>
      client.send(new IndexFacesCommand({ CollectionId: "nope", Image: { Bytes: photo("a", 1) } })),
    );
    expect(err.name).toBe("ResourceNotFoundException");
  });

  test.each([
    [{ ExternalImageId: "has space" }, "ExternalImageId"],
    [{ ExternalImageId: "x".repeat(256) }, "ExternalImageId"],
    [{ MaxFaces: 0 }, "MaxFaces"],
    [{ QualityFilter: "SUPERB" }, "QualityFilter"],
  ])("invalid %j names %s", async (extra, field) => {
    const err = await sdkError(() => index(photo("v", 1), extra));
    expect(err.name).toBe("InvalidParameterException");
    expect(err.message).toContain(field);
  });
});

describe("ListFaces and DeleteFaces", () => {
  let ids: string[] = [];

  beforeAll(async () => {
    await client.send(new CreateCollectionCommand({ CollectionId: "listing" }));
    for (let i = 1; i <= 12; i++) {
      const out = await client.send(
        new IndexFacesCommand({
          CollectionId: "listing",
          Image: { Bytes: photo(`p${i % 3}`, i) },
          ExternalImageId: `img-${i}`,
        }),
      );
      ids.push(out.FaceRecords![0]!.Face!.FaceId!);
    }
    ids = ids.sort();
    await client.send(new CreateUserCommand({ CollectionId: "listing", UserId: "owner" }));
    await client.send(
      new AssociateFacesCommand({ CollectionId: "listing", UserId: "owner", FaceIds: ids.slice(0, 1) }),
    );
  });

  test("the paginator returns every face exactly once, in pages of MaxResults", async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    for await (const page of paginateListFaces({ client, pageSize: 5 }, { CollectionId: "listing" })) {
      sizes.push(page.Faces!.length);
      seen.push(...page.Faces!.map((f) => f.FaceId!));
      expect(page.FaceModelVersion).toBe("7.0");
    }
    expect(sizes).toEqual([5, 5, 2]);
    expect(seen).toEqual(ids);
  });

  test("faces carry UserId when associated, and the UserId filter lists only that user's faces", async () => {
    const out = await client.send(new ListFacesCommand({ CollectionId: "listing", UserId: "owner" }));
    expect(out.Faces!.map((f) => f.FaceId)).toEqual(ids.slice(0, 1));
    expect(out.Faces![0]!.UserId).toBe("owner");
    expect(out.Faces![0]!.IndexFacesModelVersion).toBe("7.0");
    const all = await client.send(new ListFacesCommand({ CollectionId: "listing" }));
    expect(all.Faces!.filter((f) => f.UserId).length).toBe(1);
  });

  test("the FaceIds filter lists only those faces, skipping unknown ones", async () => {
    const unknown = "00000000-0000-0000-0000-000000000000";
    const out = await client.send(
      new ListFacesCommand({ CollectionId: "listing", FaceIds: [ids[3]!, ids[1]!, unknown] }),
    );
    expect(out.Faces!.map((f) => f.FaceId)).toEqual([ids[1], ids[3]]);
  });

  test("filtering by a user that does not exist is ResourceNotFoundException", async () => {
    const err = await sdkError(() =>
      client.send(new ListFacesCommand({ CollectionId: "listing", UserId: "ghost" })),
    );
    expect(err.name).toBe("ResourceNotFoundException");
  });

  test("a forged NextToken is InvalidPaginationTokenException", async () => {
    const err = await sdkError(() =>
      client.send(new ListFacesCommand({ CollectionId: "listing", NextToken: "garbage" })),
    );
    expect(err.name).toBe("InvalidPaginationTokenException");
  });

  test("MaxResults above 4096 names the field", async () => {
    const err = await sdkError(() =>
      client.send(new ListFacesCommand({ CollectionId: "listing", MaxResults: 4097 })),
    );
    expect(err.name).toBe("InvalidParameterException");
    expect(err.message).toContain("MaxResults");
  });

  test("DeleteFaces deletes free faces, refuses a user's faces and reports unknown ones", async () => {
    const unknown = "99999999-9999-4999-8999-999999999999";
    const out = await client.send(
      new DeleteFacesCommand({ CollectionId: "listing", FaceIds: [ids[0]!, ids[11]!, unknown] }),
    );
    expect(out.DeletedFaces).toEqual([ids[11]]);
    expect(out.UnsuccessfulFaceDeletions).toEqual(
      expect.arrayContaining([
        { FaceId: ids[0], UserId: "owner", Reasons: ["ASSOCIATED_TO_AN_EXISTING_USER"] },
        { FaceId: unknown, Reasons: ["FACE_NOT_FOUND"] },
      ]),
    );
    expect(out.UnsuccessfulFaceDeletions).toHaveLength(2);
    const described = await client.send(new DescribeCollectionCommand({ CollectionId: "listing" }));
    expect(described.FaceCount).toBe(11);
  });

  test("DeleteFaces validates the list: empty, too long, malformed ids", async () => {
    const empty = await sdkError(() =>
      client.send(new DeleteFacesCommand({ CollectionId: "listing", FaceIds: [] })),
    );
    expect(empty.name).toBe("InvalidParameterException");
    expect(empty.message).toContain("FaceIds");
    const many = Array.from({ length: 4097 }, () => ids[1]!);
    const tooMany = await sdkError(() =>
      client.send(new DeleteFacesCommand({ CollectionId: "listing", FaceIds: many })),
    );
    expect(tooMany.message).toContain("FaceIds");
    const bad = await sdkError(() =>
      client.send(new DeleteFacesCommand({ CollectionId: "listing", FaceIds: ["NOT-A-UUID"] })),
    );
    expect(bad.name).toBe("InvalidParameterException");
    expect(bad.message).toContain("FaceIds");
  });
});
