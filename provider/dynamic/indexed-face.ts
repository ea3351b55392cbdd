// The implementation behind IndexedFace, loaded by name in the dynamic
// provider host (see ../shim.ts). Validation and planning are pure (../face/).
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  DeleteFacesCommand,
  IndexFacesCommand,
  ListFacesCommand,
  type FaceRecord,
  type Image,
} from "@aws-sdk/client-rekognition";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { isNotFound, messageOf } from "../aws/errors.js";
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

const implementation: ProviderImplementation = tracked({
  async configure(req) {
    configureFromStack(req.config);
  },

  async check(_olds: Props, news: Props) {
    const { inputs, failures } = await checkIndexedFace(news, digestFile);
    return { inputs: { ...inputs }, failures };
  },

  async diff(_id, olds: Props, news: Props) {
    return diffIndexedFace(olds as unknown as IndexedFaceState, news as unknown as IndexedFaceInputs);
  },

  async create(inputs: Props) {
    const declared = inputs as unknown as IndexedFaceInputs;
    const sent = imageToSend(declared.image);
    const out = await client().send(
      new IndexFacesCommand({
        CollectionId: declared.collectionId,
        Image: sent.image,
        MaxFaces: facesRequested,
        ...(declared.externalImageId && { ExternalImageId: declared.externalImageId }),
        ...(declared.qualityFilter && { QualityFilter: declared.qualityFilter }),
      }),
    );
    const records = out.FaceRecords ?? [];
    const unindexed = (out.UnindexedFaces ?? []).flatMap((f) => f.Reasons ?? []);
    const problem = faceCountProblem(declared.image, records.length, unindexed);
    if (problem) {
      await deleteIndexed(declared.collectionId, records, problem);
      throw new Error(problem);
    }
    const face = records[0]!.Face!;
    const state: IndexedFaceState = {
      ...declared,
      ...(sent.sha256 && { imageSha256: sent.sha256 }),
      faceId: face.FaceId!,
      boundingBox: boundingBoxOf(face.BoundingBox),
      confidence: face.Confidence ?? 0,
      imageId: face.ImageId ?? "",
    };
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
