import { randomUUID } from "node:crypto";
import { FACE_MODEL_VERSION } from "../model/index.js";
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

export const QUALITY_FILTERS = ["NONE", "AUTO", "LOW", "MEDIUM", "HIGH"] as const;
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

export function indexFaces(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const externalImageId = optionalString(input, "ExternalImageId", {
    min: 1,
    max: 255,
    pattern: PATTERNS.externalImageId,
  });
  const maxFaces = optionalNumber(input, "MaxFaces", { min: 1, max: 4096, integer: true }) ?? 4096;
  optionalEnum(input, "QualityFilter", QUALITY_FILTERS);
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
  const c = requireCollection(ctx, id);
  const analysis = analyzeSource(ctx, source);
  const now = ctx.now();
  const indexed: FaceRecord[] = analysis.faces.slice(0, maxFaces).map((face) => ({
    faceId: randomUUID(),
    imageId: analysis.imageId,
    ...(externalImageId !== undefined ? { externalImageId } : {}),
    boundingBox: face.boundingBox,
    confidence: face.confidence,
    vector: face.vector,
    indexedAt: now,
  }));
  if (indexed.length > 0)
    ctx.store.commit({ mutations: [{ type: "addFaces", collectionId: c.id, faces: indexed }] });
  return {
    FaceRecords: indexed.map((f) => ({
      Face: {
        FaceId: f.faceId,
        BoundingBox: f.boundingBox,
        ImageId: f.imageId,
        ...(f.externalImageId !== undefined ? { ExternalImageId: f.externalImageId } : {}),
        Confidence: f.confidence,
      },
      FaceDetail: { BoundingBox: f.boundingBox, Confidence: f.confidence },
    })),
    FaceModelVersion: FACE_MODEL_VERSION,
    // Faces past MaxFaces are the smaller ones: the model lists faces largest first.
    UnindexedFaces: analysis.faces.slice(maxFaces).map((face) => ({
      Reasons: ["EXCEEDS_MAX_FACES"],
      FaceDetail: { BoundingBox: face.boundingBox, Confidence: face.confidence },
    })),
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
  return { DeletedFaces: deleted, UnsuccessfulFaceDeletions: unsuccessful };
}
