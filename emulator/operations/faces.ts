import { randomUUID } from "node:crypto";
import { FACE_MODEL_VERSION, type DetectedFace } from "../model/index.js";
import { filteredReasons, QUALITY_FILTERS, type QualityFilter } from "../model/quality-filter.js";
import type { FaceRecord } from "../store/types.js";
import { requireCollection, requireUser, type OperationContext } from "./context.js";
import { analyzeSource, imageSource } from "./images.js";
import { page } from "./pagination.js";
import {
  collectionId,
  faceIdRule,
  invalid,
  nextToken,
  optionalEnum,
  optionalNumber,
  optionalString,
  optionalUserId,
  PATTERNS,
  stringList,
  type Input,
} from "./validate.js";

export { QUALITY_FILTERS } from "../model/quality-filter.js";
const ATTRIBUTES = [
  "DEFAULT",
  "ALL",
  "AGE_RANGE",
  "BEARD",
  "EMOTIONS",
  "EYE_DIRECTION",
  "EYEGLASSES",
  "EYES_OPEN",
  "GENDER",
  "MOUTH_OPEN",
  "MUSTACHE",
  "FACE_OCCLUDED",
  "SMILE",
  "SUNGLASSES",
] as const;

/** A face as ListFaces and the search operations show it. */
export function faceView(f: FaceRecord) {
  return {
    FaceId: f.faceId,
    BoundingBox: f.boundingBox,
    ImageId: f.imageId,
    ...(f.externalImageId !== undefined ? { ExternalImageId: f.externalImageId } : {}),
    Confidence: f.confidence,
    IndexFacesModelVersion: FACE_MODEL_VERSION,
    ...(f.userId !== undefined ? { UserId: f.userId } : {}),
  };
}

/** The FaceDetail of a face: what the model measured (landmarks, pose and quality only from the real model). */
export function faceDetail(face: DetectedFace) {
  return {
    BoundingBox: face.boundingBox,
    Confidence: face.confidence,
    ...(face.landmarks ? { Landmarks: face.landmarks } : {}),
    ...(face.pose ? { Pose: face.pose } : {}),
    ...(face.quality ? { Quality: face.quality } : {}),
  };
}

export async function indexFaces(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const externalImageId = optionalString(input, "ExternalImageId", {
    min: 1,
    max: 255,
    pattern: PATTERNS.externalImageId,
  });
  const maxFaces = optionalNumber(input, "MaxFaces", { min: 1, max: 4096, integer: true }) ?? 4096;
  // IndexFaces filters at AUTO unless told otherwise.
  const filter: QualityFilter = optionalEnum(input, "QualityFilter", QUALITY_FILTERS) ?? "AUTO";
  const attributes = stringList(input, "DetectionAttributes", {
    required: false,
    min: 0,
    max: ATTRIBUTES.length,
    item: {},
  });
  for (const a of attributes ?? []) {
    if (!(ATTRIBUTES as readonly string[]).includes(a)) {
      throw invalid("DetectionAttributes", a, `satisfy enum value set: [${ATTRIBUTES.join(", ")}]`);
    }
  }
  const source = imageSource(input);
  requireCollection(ctx, id);
  const analysis = await analyzeSource(ctx, source);
  // The collection is looked up again: it may have been deleted while the image was analysed.
  const c = requireCollection(ctx, id);
  const now = ctx.now();
  const unindexed: { Reasons: string[]; FaceDetail: ReturnType<typeof faceDetail> }[] = [];
  const kept: DetectedFace[] = [];
  // Faces come largest first, so those past MaxFaces are the smaller ones.
  for (const face of analysis.faces) {
    const reasons = filteredReasons(face, filter, analysis);
    if (reasons.length === 0 && kept.length < maxFaces) kept.push(face);
    else
      unindexed.push({
        Reasons: reasons.length ? reasons : ["EXCEEDS_MAX_FACES"],
        FaceDetail: faceDetail(face),
      });
  }
  const indexed = kept.map((face) => ({
    record: {
      faceId: randomUUID(),
      imageId: analysis.imageId,
      ...(externalImageId !== undefined ? { externalImageId } : {}),
      boundingBox: face.boundingBox,
      confidence: face.confidence,
      vector: face.vector,
      indexedAt: now,
    } satisfies FaceRecord,
    face,
  }));
  if (indexed.length > 0)
    ctx.store.commit({
      mutations: [{ type: "addFaces", collectionId: c.id, faces: indexed.map((f) => f.record) }],
    });
  return {
    FaceRecords: indexed.map(({ record: f, face }) => ({
      Face: {
        FaceId: f.faceId,
        BoundingBox: f.boundingBox,
        ImageId: f.imageId,
        ...(f.externalImageId !== undefined ? { ExternalImageId: f.externalImageId } : {}),
        Confidence: f.confidence,
      },
      FaceDetail: faceDetail(face),
    })),
    FaceModelVersion: FACE_MODEL_VERSION,
    UnindexedFaces: unindexed,
  };
}

export function listFaces(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const token = nextToken(input);
  const max = optionalNumber(input, "MaxResults", { min: 0, max: 4096, integer: true }) || 1000;
  const userId = optionalUserId(input);
  const faceIds = stringList(input, "FaceIds", { required: false, min: 1, max: 4096, item: faceIdRule });
  const c = requireCollection(ctx, id);
  let keys: readonly string[] = c.faceOrder;
  if (userId !== undefined) keys = [...requireUser(c, userId).faceIds].sort();
  if (faceIds) {
    const wanted = new Set(faceIds);
    keys = userId !== undefined ? keys.filter((k) => wanted.has(k)) : [...wanted].sort();
  }
  const result = page("faces", keys, token, max, (k) => {
    const f = c.faces.get(k);
    return f ? faceView(f) : undefined;
  });
  return {
    Faces: result.items,
    ...(result.nextToken ? { NextToken: result.nextToken } : {}),
    FaceModelVersion: FACE_MODEL_VERSION,
  };
}

export function deleteFaces(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const faceIds = stringList(input, "FaceIds", { required: true, min: 1, max: 4096, item: faceIdRule })!;
  const c = requireCollection(ctx, id);
  const deleted: string[] = [];
  const unsuccessful: { FaceId: string; UserId?: string; Reasons: string[] }[] = [];
  for (const faceId of new Set(faceIds)) {
    const face = c.faces.get(faceId);
    if (!face) unsuccessful.push({ FaceId: faceId, Reasons: ["FACE_NOT_FOUND"] });
    else if (face.userId !== undefined) {
      unsuccessful.push({ FaceId: faceId, UserId: face.userId, Reasons: ["ASSOCIATED_TO_AN_EXISTING_USER"] });
    } else deleted.push(faceId);
  }
  if (deleted.length > 0)
    ctx.store.commit({ mutations: [{ type: "deleteFaces", collectionId: c.id, faceIds: deleted }] });
  // The model's FaceIdList holds at least one id: with none deleted, the member is left out.
  return {
    ...(deleted.length > 0 ? { DeletedFaces: deleted } : {}),
    UnsuccessfulFaceDeletions: unsuccessful,
  };
}
