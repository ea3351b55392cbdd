// The implementation behind IndexedFace, loaded by name in the dynamic
// provider host (see ../shim.ts). Validation and planning are pure (../face/).
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DeleteFacesCommand,
  IndexFacesCommand,
  SearchFacesByImageCommand,
  ListFacesCommand,
  type FaceRecord,
  type Image,
} from "@aws-sdk/client-rekognition";
import {
  client,
  clientWithoutRetries,
  configureFromStack,
  configuredAttempts,
  failClosed,
} from "../aws/configured.js";
import { isNotFound, messageOf, wasRefused } from "../aws/errors.js";
import {
  facesRequested,
  isS3Image,
  type BoundingBox,
  type ImageSource,
  type IndexedFaceInputs,
  type IndexedFaceState,
} from "../face/model.js";
import { ImageHeaderReader } from "../face/image.js";
import { diffIndexedFace } from "../face/plan.js";
import { faceCountProblem, faceStillAssociatedMessage, leftoverFacesMessage } from "../face/report.js";
import { checkIndexedFace, type FileDigest } from "../face/validate.js";
import type { ProviderImplementation } from "../shim.js";
import { tracked } from "../activity.js";
import { claimIndexedFace, isIndexedFaceClaimed, isIndexedFaceTakenOver } from "../claims.js";

type Props = Record<string, unknown>;

// Relative paths start from the stack's folder, the provider host's working directory.
// One streaming read hashes the photo and reads its header: a roster of
// thousands of photos never holds more than one file's header in memory.
async function digestFile(path: string): Promise<FileDigest> {
  const resolvedPath = resolve(path);
  try {
    if (!(await stat(resolvedPath)).isFile()) return { problem: "not-a-file", resolvedPath };
  } catch {
    return { problem: "missing", resolvedPath };
  }
  const hash = createHash("sha256");
  const header = new ImageHeaderReader();
  let bytes = 0;
  for await (const chunk of createReadStream(resolvedPath)) {
    const data = chunk as Buffer;
    hash.update(data);
    header.update(data);
    bytes += data.length;
  }
  return { sha256: hash.digest("hex"), bytes, resolvedPath, header: header.finish() };
}

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

/** The IndexFaces image, and the SHA-256 of the bytes actually sent. */
function imageToSend(image: ImageSource): { image: Image; sha256?: string } {
  if (isS3Image(image)) {
    const { bucket, key, version } = image.s3;
    return { image: { S3Object: { Bucket: bucket, Name: key, ...(version && { Version: version }) } } };
  }
  const bytes = readFileSync(resolve(image.path));
  return { image: { Bytes: bytes }, sha256: sha256(bytes) };
}

type IndexedFaceFacts = Pick<IndexedFaceState, "faceId" | "boundingBox" | "confidence" | "imageId">;

function stateOf(
  declared: IndexedFaceInputs,
  sha: string | undefined,
  face: IndexedFaceFacts,
): IndexedFaceState {
  return { ...declared, ...(sha && { imageSha256: sha }), ...face };
}

/** How close two bounding boxes of one image's face are, as ratios of the image. */
const sameBoxTolerance = 0.002;

/**
 * Faces indexed from this very photo that nothing holds: the same face in the
 * same place of the image (similarity ≥ 99, the same bounding box), the same
 * external image ID, associated with no user, and held by no IndexedFace of
 * this deployment. IndexFaces takes no request token, so this is how a lost
 * answer is found again. Any error means "none found": indexing goes on.
 */
async function leftBehind(declared: IndexedFaceInputs, image: Image): Promise<IndexedFaceFacts[]> {
  let out;
  try {
    out = await client().send(
      new SearchFacesByImageCommand({
        CollectionId: declared.collectionId,
        Image: image,
        MaxFaces: 10,
        FaceMatchThreshold: 99,
        QualityFilter: "NONE",
      }),
    );
  } catch {
    return [];
  }
  const searched = boundingBoxOf(out.SearchedFaceBoundingBox);
  return (out.FaceMatches ?? []).flatMap((match) => {
    const face = match.Face;
    if (!face?.FaceId || face.UserId) return [];
    if ((face.ExternalImageId ?? "") !== (declared.externalImageId ?? "")) return [];
    if (isIndexedFaceClaimed(declared.collectionId, face.FaceId)) return [];
    const box = boundingBoxOf(face.BoundingBox);
    const sameBox = (["width", "height", "left", "top"] as const).every(
      (k) => Math.abs(box[k] - searched[k]) <= sameBoxTolerance,
    );
    if (!sameBox) return [];
    return [
      {
        faceId: face.FaceId,
        boundingBox: box,
        confidence: face.Confidence ?? 0,
        imageId: face.ImageId ?? "",
      },
    ];
  });
}

/**
 * IndexFaces, indexed once. IndexFaces takes no request token, so the SDK's
 * blind retries could index the photo twice; this retries itself instead: a
 * refused call (4xx: throttling) was not applied and is sent again after a
 * back-off; after a call that may have been applied (no answer, a 5xx), the
 * face it may have left is looked for first and taken if found.
 */
async function indexOnce(
  declared: IndexedFaceInputs,
  image: Image,
): Promise<{ records: FaceRecord[]; unindexed: string[] } | { taken: IndexedFaceFacts }> {
  const attempts = configuredAttempts();
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await clientWithoutRetries().send(
        new IndexFacesCommand({
          CollectionId: declared.collectionId,
          Image: image,
          MaxFaces: facesRequested,
          ...(declared.externalImageId && { ExternalImageId: declared.externalImageId }),
          ...(declared.qualityFilter && { QualityFilter: declared.qualityFilter }),
        }),
      );
      return {
        records: out.FaceRecords ?? [],
        unindexed: (out.UnindexedFaces ?? []).flatMap((f) => f.Reasons ?? []),
      };
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      if (!wasRefused(err)) {
        const [taken] = await leftBehind(declared, image);
        if (taken) return { taken };
      }
      await sleep(Math.min(20_000, 100 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/** Throttling, a 5xx, a timeout or a dropped connection: worth another attempt. */
function isRetryable(err: unknown): boolean {
  const e = err as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string };
  const status = e.$metadata?.httpStatusCode;
  if (e.$retryable || (typeof status === "number" && status >= 500)) return true;
  if (/Throttl|ProvisionedThroughputExceeded|TooManyRequests/.test(e.name ?? "")) return true;
  // No answer at all: a network error, not a service's.
  return status === undefined && !(err instanceof Error && /Validation|Invalid/.test(e.name ?? ""));
}

const implementation: ProviderImplementation = tracked({
  async configure(req) {
    configureFromStack(req.config);
  },

  async check(_olds: Props, news: Props) {
    const { inputs, failures } = await checkIndexedFace(news, digestFile);
    return { inputs: { ...inputs }, failures };
  },

  async diff(id, olds: Props, news: Props) {
    claimIndexedFace((olds as unknown as IndexedFaceState).collectionId, id);
    return diffIndexedFace(olds as unknown as IndexedFaceState, news as unknown as IndexedFaceInputs);
  },

  async create(inputs: Props) {
    const declared = inputs as unknown as IndexedFaceInputs;
    const sent = imageToSend(declared.image);
    // A face this photo left behind when an earlier create's answer was lost
    // (a killed `pulumi up`): take it instead of indexing a second one.
    const [found] = await leftBehind(declared, sent.image);
    if (found) {
      claimIndexedFace(declared.collectionId, found.faceId, "create");
      return { id: found.faceId, outs: stateOf(declared, sent.sha256, found) };
    }
    const indexed = await indexOnce(declared, sent.image);
    if ("taken" in indexed) {
      claimIndexedFace(declared.collectionId, indexed.taken.faceId, "create");
      return { id: indexed.taken.faceId, outs: stateOf(declared, sent.sha256, indexed.taken) };
    }
    const records = indexed.records;
    const unindexed = indexed.unindexed;
    const problem = faceCountProblem(declared.image, records.length, unindexed);
    if (problem) {
      await deleteIndexed(declared.collectionId, records, problem);
      throw new Error(problem);
    }
    const face = records[0]!.Face!;
    claimIndexedFace(declared.collectionId, face.FaceId!, "create");
    const state = stateOf(declared, sent.sha256, {
      faceId: face.FaceId!,
      boundingBox: boundingBoxOf(face.BoundingBox),
      confidence: face.Confidence ?? 0,
      imageId: face.ImageId ?? "",
    });
    return { id: state.faceId, outs: state };
  },

  async read(id, props: Props) {
    const recorded = props as unknown as IndexedFaceState;
    let found;
    try {
      const out = await client().send(
        new ListFacesCommand({ CollectionId: recorded.collectionId, FaceIds: [recorded.faceId] }),
      );
      found = out.Faces?.find((f) => f.FaceId === recorded.faceId);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    // The face, or its collection, is gone: refresh drops it.
    if (!found) return { id: "", props: {} };
    return { id, props: { ...props } };
  },

  async update(_id, _olds: Props, news: Props) {
    // diff replaces on every real change; nothing is left to update in place.
    return { outs: news };
  },

  async delete(_id, props: Props) {
    const recorded = props as unknown as IndexedFaceState;
    // A create of this deployment took this face over (this resource renamed,
    // or moved into a component): it stays.
    if (isIndexedFaceTakenOver(recorded.collectionId, recorded.faceId)) return;
    let out;
    try {
      out = await client().send(
        new DeleteFacesCommand({ CollectionId: recorded.collectionId, FaceIds: [recorded.faceId] }),
      );
    } catch (err) {
      // The collection is gone, and the face with it.
      if (isNotFound(err)) return;
      throw err;
    }
    const failed = out.UnsuccessfulFaceDeletions?.find((f) => f.FaceId === recorded.faceId);
    if (!failed || (failed.Reasons ?? []).every((r) => r === "FACE_NOT_FOUND")) return;
    if (failed.Reasons?.includes("ASSOCIATED_TO_AN_EXISTING_USER")) {
      throw new Error(faceStillAssociatedMessage(recorded.faceId, recorded.image, failed.UserId));
    }
    throw new Error(`face ${recorded.faceId} could not be deleted: ${(failed.Reasons ?? []).join(", ")}`);
  },
});

// A configuration it cannot use fails every call, not only the first.
export const provider = failClosed(implementation);

function boundingBoxOf(
  box: { Width?: number; Height?: number; Left?: number; Top?: number } | undefined,
): BoundingBox {
  return { width: box?.Width ?? 0, height: box?.Height ?? 0, left: box?.Left ?? 0, top: box?.Top ?? 0 };
}

/** Removes what a rejected photo indexed, so that nothing is left behind. */
async function deleteIndexed(
  collectionId: string,
  records: readonly FaceRecord[],
  problem: string,
): Promise<void> {
  const faceIds = records.flatMap((r) => (r.Face?.FaceId ? [r.Face.FaceId] : []));
  if (faceIds.length === 0) return;
  try {
    await client().send(new DeleteFacesCommand({ CollectionId: collectionId, FaceIds: faceIds }));
  } catch (err) {
    throw new Error(leftoverFacesMessage(problem, faceIds, messageOf(err)), { cause: err });
  }
}
