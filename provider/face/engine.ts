// What an IndexedFace does, for any host (../engine.ts); ../dynamic/indexed-face.ts
// serves it to the dynamic provider host. Validation and planning are pure
// (./validate.ts, ./plan.ts); indexing itself is shared with the bulk roster
// (./indexing.ts).
import { normalize, resolve } from "node:path";
import type { Image } from "@aws-sdk/client-rekognition";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { isNotFound } from "../aws/errors.js";
import * as rekognition from "../aws/rekognition.js";
import type { IndexedFaceInputs, IndexedFaceState } from "./model.js";
import { deleteIndexed, digestFile, factsOf, imageToSend, indexOnce, leftBehind } from "./indexing.js";
import { diffIndexedFace } from "./plan.js";
import { faceCountProblem, faceStillAssociatedMessage } from "./report.js";
import { checkIndexedFace } from "./validate.js";
import type { Props, ResourceEngine } from "../engine.js";
import { tracked } from "../runtime/activity.js";
import {
  claimIndexedFace,
  countLabelled,
  isFaceHeld,
  isIndexedFaceTakenOver,
  isUserSecret,
} from "../runtime/claims.js";
import { redact } from "../sealing.js";
import { isUnknown } from "../unknown.js";

type IndexedFaceFacts = Pick<IndexedFaceState, "faceId" | "boundingBox" | "confidence" | "imageId">;

function stateOf(
  declared: IndexedFaceInputs,
  sha: string | undefined,
  face: IndexedFaceFacts,
): IndexedFaceState {
  return { ...declared, ...(sha && { imageSha256: sha }), ...face };
}

/**
 * Faces this photo left that nothing of this deployment holds: associated
 * with no user, or with the user its label names (a roster's person, whose
 * bulk shard indexed it: the face stays theirs, not indexed twice).
 */
function leftUnheld(declared: IndexedFaceInputs, image: Image): Promise<IndexedFaceFacts[]> {
  const label = declared.externalImageId;
  return leftBehind(
    declared,
    image,
    (face) =>
      (!face.UserId || (label !== undefined && face.UserId === label)) &&
      !isFaceHeld(declared.collectionId, face.FaceId),
  );
}

/** Indexes the photo, or takes the face an earlier create left behind. */
async function createFace(declared: IndexedFaceInputs): Promise<{ id: string; outs: IndexedFaceState }> {
  const sent = imageToSend(declared.image);
  // A face this photo left behind when an earlier create's answer was lost
  // (a killed `pulumi up`): take it instead of indexing a second one.
  const [found] = await leftUnheld(declared, sent.image);
  if (found) {
    claimIndexedFace(declared.collectionId, found.faceId, "create");
    return { id: found.faceId, outs: stateOf(declared, sent.sha256, found) };
  }
  const indexed = await indexOnce(declared, sent.image, () => leftUnheld(declared, sent.image));
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
  const face = factsOf(records[0]!.Face!);
  claimIndexedFace(declared.collectionId, face.faceId, "create");
  const state = stateOf(declared, sent.sha256, face);
  return { id: state.faceId, outs: state };
}

/** A message with the photo's path (or S3 location) hidden, when the program marked the image secret. */
function hideImage(message: string, inputs: Pick<IndexedFaceInputs, "image" | "secretImage">): string {
  if (!inputs.secretImage || isUnknown(inputs.image)) return message;
  const image = inputs.image;
  // A local path also shows resolved (from the stack's folder) and normalized in messages.
  const words =
    "path" in image
      ? [resolve(image.path), image.path, normalize(image.path)]
      : [image.s3.key, image.s3.bucket, image.s3.version ?? ""];
  return redact(
    message,
    words.filter((word) => typeof word === "string" && word !== "" && !isUnknown(word)),
  );
}

const implementation: ResourceEngine = tracked({
  async configure(config) {
    configureFromStack(config);
  },

  async check(_olds: Props, news: Props) {
    const { inputs, failures } = await checkIndexedFace(news, digestFile);
    // A deleted bulk shard leaves this user's faces alone until this IndexedFace has claimed its own.
    if (!isUnknown(inputs.collectionId) && inputs.externalImageId && !isUnknown(inputs.externalImageId))
      countLabelled(inputs.collectionId, inputs.externalImageId, "declared");
    const shown = failures.map((f) => ({ ...f, reason: hideImage(f.reason, inputs) }));
    return { inputs: { ...inputs }, failures: shown };
  },

  async diff(id, olds: Props, news: Props) {
    const recorded = olds as unknown as IndexedFaceState;
    claimIndexedFace(recorded.collectionId, id);
    if (recorded.externalImageId) countLabelled(recorded.collectionId, recorded.externalImageId, "claimed");
    return diffIndexedFace(olds as unknown as IndexedFaceState, news as unknown as IndexedFaceInputs);
  },

  async create(inputs: Props) {
    const declared = inputs as unknown as IndexedFaceInputs;
    try {
      const made = await createFace(declared);
      if (declared.externalImageId) countLabelled(declared.collectionId, declared.externalImageId, "claimed");
      return made;
    } catch (err) {
      if (err instanceof Error && declared.secretImage) err.message = hideImage(err.message, declared);
      throw err;
    }
  },
  async read(id, props: Props) {
    const recorded = props as unknown as IndexedFaceState;
    let found;
    try {
      const out = await rekognition.listFaces(client(), {
        CollectionId: recorded.collectionId,
        FaceIds: [recorded.faceId],
      });
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
      out = await rekognition.deleteFaces(client(), {
        CollectionId: recorded.collectionId,
        FaceIds: [recorded.faceId],
      });
    } catch (err) {
      // The collection is gone, and the face with it.
      if (isNotFound(err)) return;
      throw err;
    }
    const failed = out.UnsuccessfulFaceDeletions?.find((f) => f.FaceId === recorded.faceId);
    if (!failed || (failed.Reasons ?? []).every((r) => r === "FACE_NOT_FOUND")) return;
    if (failed.Reasons?.includes("ASSOCIATED_TO_AN_EXISTING_USER")) {
      const holder =
        failed.UserId && isUserSecret(recorded.collectionId, failed.UserId) ? "[secret]" : failed.UserId;
      throw new Error(
        hideImage(faceStillAssociatedMessage(recorded.faceId, recorded.image, holder), recorded),
      );
    }
    throw new Error(`face ${recorded.faceId} could not be deleted: ${(failed.Reasons ?? []).join(", ")}`);
  },
});

// A configuration it cannot use fails every call, not only the first.
export const engine: ResourceEngine = failClosed(implementation);
