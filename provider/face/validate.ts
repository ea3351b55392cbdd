import { InputChecker, type Checked } from "../check.js";
import { describe, externalImageIdRule } from "../identifiers.js";
import { isUnknown, unknownValue } from "../unknown.js";
import type { ImageHeader } from "./image.js";
import { photoHeaderProblem } from "./report.js";
import {
  maxInlineImageBytes,
  qualityFilters,
  type ImageSource,
  type IndexedFaceInputs,
  type QualityFilter,
} from "./model.js";

/** What reading a local photo found: its hash, size and header, or why there is none. */
export type FileDigest =
  | {
      readonly sha256: string;
      readonly bytes: number;
      readonly resolvedPath: string;
      readonly header: ImageHeader;
    }
  | { readonly problem: "missing" | "not-a-file"; readonly resolvedPath: string };

export type CheckedIndexedFace = Checked<IndexedFaceInputs>;

/**
 * Validates and normalizes an IndexedFace's inputs, recording a local photo's
 * SHA-256 and checking its header (`digest` reads the file; everything else
 * here is pure).
 */
export async function checkIndexedFace(
  news: Record<string, unknown>,
  digest: (path: string) => Promise<FileDigest>,
): Promise<CheckedIndexedFace> {
  const check = new InputChecker(news);
  check.onlyKeys(["collectionId", "image", "externalImageId", "qualityFilter"]);
  const collectionId = check.collectionId("use the ID of the collection to index the face into");
  const image = checkImage(check, news["image"]);
  let imageSha256: string | undefined;
  if (image && !isUnknown(image) && "path" in image && !isUnknown(image.path)) {
    imageSha256 = checkLocalPhoto(check, image.path, await digest(image.path));
  } else if (image && (isUnknown(image) || ("path" in image && isUnknown(image.path)))) {
    imageSha256 = unknownValue;
  }
  const externalImageId =
    news["externalImageId"] == null
      ? undefined
      : check.identifier(
          "externalImageId",
          externalImageIdRule,
          "it labels the face in search results, for instance the person's user ID",
        );
  const qualityFilter = checkQualityFilter(check, news["qualityFilter"]);
  const inputs: IndexedFaceInputs = {
    collectionId: collectionId ?? "",
    image: image ?? { path: "" },
    ...(imageSha256 !== undefined && { imageSha256 }),
    ...(externalImageId !== undefined && { externalImageId }),
    ...(qualityFilter !== undefined && { qualityFilter }),
    ...(news["secretImage"] === true && { secretImage: true as const }),
  };
  return { inputs, failures: check.failures };
}

const imageShapes = "image must be { path: 'photos/alice-1.png' } or { s3: { bucket, key, version? } }";

function checkImage(check: InputChecker, value: unknown): ImageSource | undefined {
  if (isUnknown(value)) return value as ImageSource;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    check.fail("image", `${imageShapes}, got ${describe(value)}`);
    return undefined;
  }
  const given = value as Record<string, unknown>;
  check.onlyKeys(["path", "s3"], given, "image");
  if ("path" in given === "s3" in given) {
    check.fail("image", `${imageShapes}: give exactly one of path and s3`);
    return undefined;
  }
  if ("path" in given) {
    const path = given["path"];
    if (isUnknown(path)) return { path: path as string };
    if (typeof path !== "string" || path === "") {
      check.fail("image.path", `image.path must be the path of a JPEG or PNG file, got ${describe(path)}`);
      return undefined;
    }
    return { path };
  }
  const s3 = given["s3"];
  if (isUnknown(s3)) return { s3: s3 as { bucket: string; key: string } };
  if (!s3 || typeof s3 !== "object" || Array.isArray(s3)) {
    check.fail("image.s3", `image.s3 must be { bucket, key, version? }, got ${describe(s3)}`);
    return undefined;
  }
  check.onlyKeys(["bucket", "key", "version"], s3, "image.s3");
  const { bucket, key, version } = s3 as Record<string, unknown>;
  let valid = true;
  for (const [name, part] of [
    ["bucket", bucket],
    ["key", key],
  ] as const) {
    if (!isUnknown(part) && (typeof part !== "string" || part === "")) {
      check.fail(`image.s3.${name}`, `image.s3.${name} must be a non-empty string, got ${describe(part)}`);
      valid = false;
    }
  }
  if (version != null && !isUnknown(version) && (typeof version !== "string" || version === "")) {
    check.fail("image.s3.version", `image.s3.version must be an S3 version ID, got ${describe(version)}`);
    valid = false;
  }
  if (!valid) return undefined;
  return {
    s3: {
      bucket: bucket as string,
      key: key as string,
      ...(version != null && { version: version as string }),
    },
  };
}

function checkLocalPhoto(check: InputChecker, path: string, found: FileDigest): string | undefined {
  if ("problem" in found) {
    const what = found.problem === "missing" ? "there is no file" : "that is not a file";
    check.fail(
      "image.path",
      `image.path '${path}': ${what} at ${found.resolvedPath} (relative paths start from the stack's folder): ` +
        "fix the path, or add the photo",
    );
    return undefined;
  }
  if (found.bytes > maxInlineImageBytes) {
    check.fail(
      "image.path",
      `image.path '${path}' (${found.resolvedPath}) is ${(found.bytes / 1024 / 1024).toFixed(1)} MB, ` +
        "over the 5 MB Rekognition takes as bytes: " +
        "shrink the photo, or upload it to S3 and use image.s3 (up to 15 MB)",
    );
  }
  const problem = photoHeaderProblem(path, found.resolvedPath, found.header);
  if (problem) check.fail("image.path", problem);
  return found.sha256;
}

function checkQualityFilter(check: InputChecker, value: unknown): QualityFilter | undefined {
  if (value == null) return undefined;
  if (isUnknown(value)) return value as QualityFilter;
  if (typeof value !== "string" || !(qualityFilters as readonly string[]).includes(value)) {
    check.fail(
      "qualityFilter",
      `qualityFilter must be one of ${qualityFilters.join(", ")}, got ${describe(value)}`,
    );
    return undefined;
  }
  return value as QualityFilter;
}
