import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import type { IndexedFaceState } from "../../provider/face/model.js";
import { diffIndexedFace } from "../../provider/face/plan.js";
import { faceCountProblem } from "../../provider/face/report.js";
import { ImageHeaderReader, type ImageHeader } from "../../provider/face/image.js";
import { checkIndexedFace, type FileDigest } from "../../provider/face/validate.js";
import { isRetryable } from "../../provider/face/indexing.js";
import { unknownValue } from "../../provider/unknown.js";

const photo =
  (sha256: string, bytes: number, header: ImageHeader = { format: "PNG", width: 160, height: 200 }) =>
  (path: string): FileDigest => ({ sha256, bytes, resolvedPath: `/stack/${path}`, header });
const files: Record<string, (path: string) => FileDigest> = {
  "a.png": photo("aaa", 1000),
  "a-copy.png": photo("aaa", 1000),
  "b.png": photo("bbb", 1000),
  "huge.png": photo("ccc", 6 * 1024 * 1024),
  "notes.png": photo("ddd", 20, { problem: "not-an-image" }),
  "anim.gif": photo("eee", 100, { problem: "other-format", type: "gif" }),
  "tiny.png": photo("fff", 100, { format: "PNG", width: 40, height: 40 }),
  "cut.png": photo("ggg", 100, { problem: "cut-short", format: "PNG" }),
  "cut.jpg": photo("hhh", 100, { problem: "unreadable-header", format: "JPEG" }),
};
const digest = async (path: string): Promise<FileDigest> =>
  files[path]?.(path) ?? { problem: "missing", resolvedPath: `/stack/${path}` };

const state = (over: Partial<IndexedFaceState> = {}): IndexedFaceState => ({
  collectionId: "c",
  image: { path: "a.png" },
  imageSha256: "aaa",
  faceId: "f",
  boundingBox: { width: 1, height: 1, left: 0, top: 0 },
  confidence: 99,
  imageId: "i",
  ...over,
});

describe("checkIndexedFace", () => {
  it("records a local photo's SHA-256", async () => {
    const { inputs, failures } = await checkIndexedFace(
      { collectionId: "c", image: { path: "a.png" } },
      digest,
    );
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ collectionId: "c", image: { path: "a.png" }, imageSha256: "aaa" });
  });

  // A nested field's failure is the resource's (no property): its reason names the field.
  const reasons = async (news: Record<string, unknown>): Promise<string[]> =>
    (await checkIndexedFace({ collectionId: "c", ...news }, digest)).failures.map(
      (f) => `${f.property || "(resource)"}: ${f.reason}`,
    );

  it("names the field and the fix for each bad input", async () => {
    expect((await reasons({ image: { path: "gone.png" } }))[0]).toMatch(
      /^\(resource\): image\.path .*no file at \/stack\/gone\.png/,
    );
    expect((await reasons({ image: { path: "huge.png" } }))[0]).toMatch(
      /^\(resource\): image\.path .*\(\/stack\/huge\.png\) is 6\.0 MB.*image\.s3/,
    );
    expect((await reasons({ image: { path: "a.png", s3: {} } }))[0]).toMatch(
      /^image: .*exactly one of path and s3/,
    );
    expect((await reasons({ image: { s3: { bucket: "", key: "k" } } }))[0]).toMatch(
      /^\(resource\): image\.s3\.bucket /,
    );
    expect((await reasons({ image: { path: "a.png" }, qualityFilter: "BEST" }))[0]).toMatch(
      /^qualityFilter: .*NONE, AUTO/,
    );
    expect((await reasons({ image: { path: "a.png" }, externalImageId: "a b" }))[0]).toMatch(
      /^externalImageId: /,
    );
  });

  it("refuses at preview a local file Rekognition would not decode, naming the file and the fix", async () => {
    expect(await reasons({ image: { path: "notes.png" } })).toEqual([
      "(resource): image.path 'notes.png' (/stack/notes.png) is not an image: its first bytes are neither " +
        "JPEG's nor PNG's, whatever its name says. Rekognition takes JPEG or PNG: point image.path at the " +
        "photo, or convert it",
    ]);
    expect(await reasons({ image: { path: "anim.gif" } })).toEqual([
      "(resource): image.path 'anim.gif' (/stack/anim.gif) is a GIF image, but Rekognition takes only JPEG " +
        "or PNG: convert it (for instance to PNG)",
    ]);
    expect(await reasons({ image: { path: "tiny.png" } })).toEqual([
      "(resource): image.path 'tiny.png' (/stack/tiny.png) is 40×40 pixels, but Rekognition needs at least " +
        "80×80: use a larger photo of the face",
    ]);
    expect((await reasons({ image: { path: "cut.png" } }))[0]).toMatch(
      /^\(resource\): image\.path 'cut\.png' \(\/stack\/cut\.png\) is a PNG cut short: .*copy or export the photo again$/,
    );
    expect((await reasons({ image: { path: "cut.jpg" } }))[0]).toMatch(
      /^\(resource\): image\.path .*\(\/stack\/cut\.jpg\) starts like a JPEG but its header cannot be read/,
    );
  });

  it("rejects an input it does not take, naming the closest one", async () => {
    expect(await reasons({ imagePath: "a.png", image: { path: "a.png" } })).toEqual([
      "imagePath: 'imagePath' is not an input: did you mean 'image'? " +
        "(the inputs: collectionId, image, externalImageId, qualityFilter): rename or remove it",
    ]);
    expect(await reasons({ image: { path: "a.png", pth: "b.png" } })).toEqual([
      "(resource): 'image.pth' is not a field of image: did you mean 'image.path'? (image: path, s3): " +
        "rename or remove it",
    ]);
    expect(await reasons({ image: { s3: { bucket: "b", key: "k", versionId: "1" } } })).toEqual([
      "(resource): 'image.s3.versionId' is not a field of image.s3: did you mean " +
        "'image.s3.version'? (image.s3: bucket, key, version): rename or remove it",
    ]);
  });

  it("lets unknown values through at preview", async () => {
    const { inputs, failures } = await checkIndexedFace(
      { collectionId: unknownValue, image: { path: unknownValue } },
      digest,
    );
    expect(failures).toEqual([]);
    expect(inputs.imageSha256).toBe(unknownValue);
  });
});

describe("diffIndexedFace", () => {
  it("identifies a local photo by content, not path", () => {
    expect(
      diffIndexedFace(state(), { collectionId: "c", image: { path: "a-copy.png" }, imageSha256: "aaa" }),
    ).toEqual({
      changes: false,
      replaces: [],
    });
    expect(
      diffIndexedFace(state(), { collectionId: "c", image: { path: "a.png" }, imageSha256: "bbb" }).replaces,
    ).toEqual(["image"]);
  });

  it("replaces on another S3 object, collection, label or unknown input", () => {
    const s3 = state({ image: { s3: { bucket: "b", key: "k" } } });
    delete (s3 as { imageSha256?: string }).imageSha256;
    expect(diffIndexedFace(s3, { collectionId: "c", image: { s3: { bucket: "b", key: "k" } } }).changes).toBe(
      false,
    );
    expect(
      diffIndexedFace(s3, { collectionId: "c", image: { s3: { bucket: "b", key: "k", version: "2" } } })
        .replaces,
    ).toEqual(["image"]);
    expect(
      diffIndexedFace(state(), {
        collectionId: unknownValue,
        image: { path: "a.png" },
        imageSha256: "aaa",
        externalImageId: "x",
      }).replaces,
    ).toEqual(["collectionId", "externalImageId"]);
  });
});

describe("faceCountProblem", () => {
  it("accepts exactly one face and names the photo otherwise", () => {
    expect(faceCountProblem({ path: "a.png" }, 1, [])).toBeUndefined();
    expect(faceCountProblem({ path: "a.png" }, 0, ["LOW_SHARPNESS", "LOW_SHARPNESS"])).toMatch(
      /^a\.png: Rekognition found no face to index \(faces left out: LOW_SHARPNESS\)/,
    );
    expect(faceCountProblem({ s3: { bucket: "b", key: "k.jpg" } }, 2, [])).toMatch(
      /^s3:\/\/b\/k\.jpg: .*2 or more faces/,
    );
  });
});

describe("ImageHeaderReader", () => {
  // Fed as digestFile feeds it: each chunk in the one buffer, overwritten by the next.
  const read = (bytes: Buffer, chunkSize = 64 * 1024): ImageHeader => {
    const reader = new ImageHeaderReader();
    const chunk = Buffer.alloc(chunkSize);
    for (let at = 0; at < bytes.length; at += chunkSize) {
      const length = bytes.copy(chunk, 0, at, at + chunkSize);
      reader.update(chunk.subarray(0, length));
      chunk.fill(0xff);
    }
    return reader.finish();
  };
  const png = generatePortrait("alice", 1);
  const jpeg = generatePortrait("alice", 1, { format: "jpeg" });
  // A minimal 1×1 GIF89a.
  const gif = Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
  // A metadata segment (APP1, APP2) of `length` bytes, its two length bytes included.
  const app = (marker: number, length = 0xffff): Buffer =>
    Buffer.concat([Buffer.from([0xff, marker, length >> 8, length & 0xff]), Buffer.alloc(length - 2)]);
  // Two of 65,535 bytes put the JPEG's frame size past the first chunk.
  const jpegWithMetadata = Buffer.concat([jpeg.subarray(0, 2), app(0xe1), app(0xe2), jpeg.subarray(2)]);
  // One of 10,000 bytes puts it past the first 4 KiB, still within the first chunk.
  const jpegWithSomeMetadata = Buffer.concat([jpeg.subarray(0, 2), app(0xe1, 10_000), jpeg.subarray(2)]);

  it("reads a JPEG's or PNG's size from its header, whatever the chunking", () => {
    expect(read(png)).toEqual({ format: "PNG", width: 160, height: 200 });
    expect(read(png, 1)).toEqual({ format: "PNG", width: 160, height: 200 });
    expect(read(jpeg)).toEqual({ format: "JPEG", width: 160, height: 200 });
    expect(read(jpegWithMetadata)).toEqual({ format: "JPEG", width: 160, height: 200 });
    expect(read(jpegWithSomeMetadata)).toEqual({ format: "JPEG", width: 160, height: 200 });
    const tiny = new PNG({ width: 40, height: 40 });
    expect(read(PNG.sync.write(tiny))).toEqual({ format: "PNG", width: 40, height: 40 });
  });

  it("tells text, other formats, a PNG cut short and a cut header apart", () => {
    expect(read(Buffer.from("Meeting notes: bring photos\n"))).toEqual({ problem: "not-an-image" });
    expect(read(Buffer.alloc(0))).toEqual({ problem: "not-an-image" });
    expect(read(gif)).toEqual({ problem: "other-format", type: "gif" });
    expect(read(png.subarray(0, png.length - 1))).toEqual({ problem: "cut-short", format: "PNG" });
    expect(read(png.subarray(0, png.length - 1), 7)).toEqual({ problem: "cut-short", format: "PNG" });
    expect(read(png.subarray(0, 20))).toEqual({ problem: "unreadable-header", format: "PNG" });
    expect(read(jpegWithMetadata.subarray(0, 100_000))).toEqual({
      problem: "unreadable-header",
      format: "JPEG",
    });
  });

  it("accepts bytes after a PNG's IEND chunk, as decoders do", () => {
    expect(read(Buffer.concat([png, Buffer.from("trailer")]))).toEqual({
      format: "PNG",
      width: 160,
      height: 200,
    });
  });
});

describe("which failed IndexFaces is sent again", () => {
  const failure = (name: string, extra: Record<string, unknown> = {}): Error =>
    Object.assign(new Error(name), { name, ...extra });

  it("throttling, a 5xx, a timeout and a dropped connection", () => {
    expect(isRetryable(failure("ThrottlingException", { $metadata: { httpStatusCode: 400 } }))).toBe(true);
    expect(isRetryable(failure("ProvisionedThroughputExceededException"))).toBe(true);
    expect(isRetryable(failure("InternalServerError", { $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isRetryable(failure("TimeoutError"))).toBe(true);
    expect(isRetryable(failure("Error", { code: "ECONNRESET" }))).toBe(true);
  });

  it("not a set-up error or a refusal: it fails at once", () => {
    expect(isRetryable(failure("CredentialsProviderError"))).toBe(false);
    expect(isRetryable(new Error("Region is missing"))).toBe(false);
    expect(isRetryable(failure("AccessDeniedException", { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isRetryable(failure("InvalidParameterException", { $metadata: { httpStatusCode: 400 } }))).toBe(
      false,
    );
    expect(isRetryable("not an error")).toBe(false);
  });
});
