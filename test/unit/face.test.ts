import { describe, expect, it } from "vitest";
import type { IndexedFaceState } from "../../provider/face/model.js";
import { diffIndexedFace } from "../../provider/face/plan.js";
import { faceCountProblem } from "../../provider/face/report.js";
import { checkIndexedFace, type FileDigest } from "../../provider/face/validate.js";
import { unknownValue } from "../../provider/unknown.js";

const files: Record<string, FileDigest> = {
  "a.png": { sha256: "aaa", bytes: 1000 },
  "a-copy.png": { sha256: "aaa", bytes: 1000 },
  "b.png": { sha256: "bbb", bytes: 1000 },
  "huge.png": { sha256: "ccc", bytes: 6 * 1024 * 1024 },
};
const digest = (path: string): FileDigest =>
  files[path] ?? { problem: "missing", resolvedPath: `/stack/${path}` };

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
  it("records a local photo's SHA-256", () => {
    const { inputs, failures } = checkIndexedFace({ collectionId: "c", image: { path: "a.png" } }, digest);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ collectionId: "c", image: { path: "a.png" }, imageSha256: "aaa" });
  });

  it("names the field and the fix for each bad input", () => {
    const reasons = (news: Record<string, unknown>): string[] =>
      checkIndexedFace({ collectionId: "c", ...news }, digest).failures.map(
        (f) => `${f.property}: ${f.reason}`,
      );
    expect(reasons({ image: { path: "gone.png" } })[0]).toMatch(
      /^image\.path: .*no file at \/stack\/gone\.png/,
    );
    expect(reasons({ image: { path: "huge.png" } })[0]).toMatch(/^image\.path: .*6\.0 MB.*image\.s3/);
    expect(reasons({ image: { path: "a.png", s3: {} } })[0]).toMatch(/^image: .*exactly one of path and s3/);
    expect(reasons({ image: { s3: { bucket: "", key: "k" } } })[0]).toMatch(/^image\.s3\.bucket: /);
    expect(reasons({ image: { path: "a.png" }, qualityFilter: "BEST" })[0]).toMatch(
      /^qualityFilter: .*NONE, AUTO/,
    );
    expect(reasons({ image: { path: "a.png" }, externalImageId: "a b" })[0]).toMatch(/^externalImageId: /);
  });

  it("lets unknown values through at preview", () => {
    const { inputs, failures } = checkIndexedFace(
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
