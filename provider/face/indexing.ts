// The effects of indexing a photo, shared by IndexedFace and the bulk roster:
// reading and hashing a local photo, IndexFaces indexed once, and finding the
// face a photo left behind when an answer was lost.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Face, FaceRecord, Image } from "@aws-sdk/client-rekognition";
import { isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import { client, clientWithoutRetries, configuredAttempts } from "../aws/configured.js";
import { messageOf, wasRefused } from "../aws/errors.js";
import * as rekognition from "../aws/rekognition.js";
import { ImageHeaderReader } from "./image.js";
import {
  facesRequested,
  isS3Image,
  type BoundingBox,
  type ImageSource,
  type QualityFilter,
} from "./model.js";
import { leftoverFacesMessage } from "./report.js";
import type { FileDigest } from "./validate.js";

/** Bytes a photo is read by, at a time. */
const chunkBytes = 64 * 1024;
/**
 * Chunks no read is using. Reused, so that hashing a roster's thousands of
 * photos allocates no memory outside the heap: buffers freed one a photo are
 * what let the process grow.
 */
const spareChunks: Buffer[] = [];

/**
 * Reads a local photo once, a chunk at a time: its SHA-256, size and header.
 * Relative paths start from the stack's folder, the provider host's working
 * directory, and a roster of thousands of photos never holds more than one
 * chunk of each file being read in memory.
 */
export async function digestFile(path: string): Promise<FileDigest> {
  const resolvedPath = resolve(path);
  try {
    if (!(await stat(resolvedPath)).isFile()) return { problem: "not-a-file", resolvedPath };
  } catch {
    return { problem: "missing", resolvedPath };
  }
  const hash = createHash("sha256");
  const header = new ImageHeaderReader();
  let bytes = 0;
  const chunk = spareChunks.pop() ?? Buffer.allocUnsafeSlow(chunkBytes);
  const file = await open(resolvedPath, "r");
  try {
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      hash.update(data);
      header.update(data);
      bytes += bytesRead;
    }
  } finally {
    spareChunks.push(chunk);
    await file.close();
  }
  return { sha256: hash.digest("hex"), bytes, resolvedPath, header: header.finish() };
}

/**
 * A local file's size and modification time, `<size>:<mtimeMs>`; undefined
 * when it is not a file. Synchronous: a stat takes microseconds, a fifth of
 * the thread pool's round trip, and a roster stats every photo on every run.
 */
export async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const stats = statSync(resolve(path), { throwIfNoEntry: false });
    return stats?.isFile() ? `${stats.size}:${stats.mtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

/** The IndexFaces image, and the SHA-256 of the bytes actually sent. */
export function imageToSend(image: ImageSource): { image: Image; sha256?: string } {
  if (isS3Image(image)) {
    const { bucket, key, version } = image.s3;
    return { image: { S3Object: { Bucket: bucket, Name: key, ...(version && { Version: version }) } } };
  }
  const bytes = readFileSync(resolve(image.path));
  return { image: { Bytes: bytes }, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** What the state records of an indexed face. */
export interface IndexedFaceFacts {
  readonly faceId: string;
  readonly boundingBox: BoundingBox;
  readonly confidence: number;
  readonly imageId: string;
}

/** Where a photo is indexed, and how. */
export interface IndexTarget {
  readonly collectionId: string;
  readonly externalImageId?: string;
  readonly qualityFilter?: QualityFilter;
}

/** How close two bounding boxes of one image's face are, as ratios of the image. */
const sameBoxTolerance = 0.002;

/**
 * Faces indexed from this very photo: the same face in the same place of the
 * image (similarity ≥ 99, the same bounding box) and the same external image
 * ID, that `accept` takes (the caller says which users and holders may have
 * it), one a user holds first. IndexFaces takes no request token, so this is
 * how a lost answer is found again. Any error means "none found": indexing
 * goes on.
 */
export async function leftBehind(
  target: IndexTarget,
  image: Image,
  accept: (face: Face & { FaceId: string }) => boolean,
): Promise<IndexedFaceFacts[]> {
  let out;
  try {
    out = await rekognition.searchFacesByImage(client(), {
      CollectionId: target.collectionId,
      Image: image,
      MaxFaces: 10,
      FaceMatchThreshold: 99,
      QualityFilter: "NONE",
    });
  } catch {
    return [];
  }
  const searched = boundingBoxOf(out.SearchedFaceBoundingBox);
  const found = (out.FaceMatches ?? []).flatMap((match) => {
    const face = match.Face;
    if (!face?.FaceId) return [];
    if ((face.ExternalImageId ?? "") !== (target.externalImageId ?? "")) return [];
    if (!accept(face as Face & { FaceId: string })) return [];
    const box = boundingBoxOf(face.BoundingBox);
    const sameBox = (["width", "height", "left", "top"] as const).every(
      (k) => Math.abs(box[k] - searched[k]) <= sameBoxTolerance,
    );
    return sameBox ? [face] : [];
  });
  // The copy a user holds is the one to keep: the others are free.
  return [...found.filter((face) => face.UserId), ...found.filter((face) => !face.UserId)].map(factsOf);
}

export type IndexOutcome =
  { readonly records: FaceRecord[]; readonly unindexed: string[] } | { readonly taken: IndexedFaceFacts };

/**
 * IndexFaces, indexed once. IndexFaces takes no request token, so the SDK's
 * blind retries could index the photo twice; this retries itself instead: a
 * refused call (4xx: throttling) was not applied and is sent again after a
 * back-off; after a call that may have been applied (no answer, a 5xx), the
 * face it may have left (`leftAfter`) is looked for first and taken if found.
 */
export async function indexOnce(
  target: IndexTarget,
  image: Image,
  leftAfter: () => Promise<IndexedFaceFacts[]>,
): Promise<IndexOutcome> {
  const attempts = configuredAttempts();
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await rekognition.indexFaces(clientWithoutRetries(), {
        CollectionId: target.collectionId,
        Image: image,
        MaxFaces: facesRequested,
        ...(target.externalImageId && { ExternalImageId: target.externalImageId }),
        ...(target.qualityFilter && { QualityFilter: target.qualityFilter }),
      });
      return {
        records: out.FaceRecords ?? [],
        unindexed: (out.UnindexedFaces ?? []).flatMap((f) => f.Reasons ?? []),
      };
    } catch (err) {
      if (!isRetryable(err)) throw err;
      // A call that may have been applied: its face, if it left one, is taken (the last attempt's too).
      if (!wasRefused(err)) {
        const [taken] = await leftAfter();
        if (taken) return { taken };
      }
      if (attempt >= attempts) throw err;
      await sleep(Math.min(20_000, 100 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/**
 * Throttling, a 5xx, a timeout or a dropped connection: worth another
 * attempt, as the SDK's own retry strategy classifies errors. A set-up error
 * (no region, no credentials) or a refusal is not: it fails at once.
 */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Parameters<typeof isTransientError>[0];
  return isThrottlingError(e) || isTransientError(e) || isServerError(e);
}

export function factsOf(face: Face): IndexedFaceFacts {
  return {
    faceId: face.FaceId ?? "",
    boundingBox: boundingBoxOf(face.BoundingBox),
    confidence: face.Confidence ?? 0,
    imageId: face.ImageId ?? "",
  };
}

export function boundingBoxOf(
  box: { Width?: number; Height?: number; Left?: number; Top?: number } | undefined,
): BoundingBox {
  return { width: box?.Width ?? 0, height: box?.Height ?? 0, left: box?.Left ?? 0, top: box?.Top ?? 0 };
}

/** Removes what a rejected photo indexed, so that nothing is left behind. */
export async function deleteIndexed(
  collectionId: string,
  records: readonly FaceRecord[],
  problem: string,
): Promise<void> {
  const faceIds = records.flatMap((r) => (r.Face?.FaceId ? [r.Face.FaceId] : []));
  if (faceIds.length === 0) return;
  try {
    await rekognition.deleteFaces(client(), { CollectionId: collectionId, FaceIds: faceIds });
  } catch (err) {
    throw new Error(leftoverFacesMessage(problem, faceIds, messageOf(err)), { cause: err });
  }
}
