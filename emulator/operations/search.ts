import { centroid, FACE_MODEL_VERSION, similarity } from "../model/index.js";
import { ServiceError } from "../protocol/errors.js";
import type { CollectionRecord, UserRecord } from "../store/types.js";
import { requireCollection, requireUser, userStatus, type OperationContext } from "./context.js";
import { faceView, QUALITY_FILTERS } from "./faces.js";
import { analyzeSource, imageSource } from "./images.js";
import { vectorsOf } from "./users.js";
import {
  collectionId,
  faceIdRule,
  invalid,
  optionalEnum,
  optionalNumber,
  optionalString,
  optionalUserId,
  requiredString,
  type Input,
} from "./validate.js";

/** Keeps the best `limit` scored items; search results are small, so insertion is cheap. */
class TopK<T> {
  readonly items: { score: number; item: T }[] = [];
  constructor(private readonly limit: number) {}
  offer(score: number, item: T): void {
    if (this.items.length === this.limit && score <= this.items[this.items.length - 1]!.score) return;
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.score < score) i--;
    this.items.splice(i, 0, { score, item });
    if (this.items.length > this.limit) this.items.pop();
  }
}

function userVector(c: CollectionRecord, u: UserRecord): Float32Array | undefined {
  if (u.faceIds.size === 0) return undefined;
  return (u.centroid ??= centroid(vectorsOf(c, u.faceIds)));
}

// Faces: a linear scan over the collection's packed unit vectors, one dot product each.
function matchFaces(
  c: CollectionRecord,
  query: Float32Array,
  threshold: number,
  limit: number,
  exclude?: string,
) {
  const top = new TopK<string>(limit);
  c.vectors.scan(query, threshold / 100, (faceId, dot) => {
    if (faceId !== exclude) top.offer(Math.min(100, dot * 100), faceId);
  });
  return top.items.map(({ score, item }) => ({ Similarity: score, Face: faceView(c.faces.get(item)!) }));
}

function matchUsers(
  ctx: OperationContext,
  c: CollectionRecord,
  query: Float32Array,
  threshold: number,
  limit: number,
  exclude?: string,
) {
  const top = new TopK<UserRecord>(limit);
  for (const u of c.users.values()) {
    if (u.userId === exclude) continue;
    const v = userVector(c, u);
    if (!v) continue;
    const s = similarity(query, v);
    if (s >= threshold) top.offer(s, u);
  }
  return top.items.map(({ score, item }) => ({
    Similarity: score,
    User: { UserId: item.userId, UserStatus: userStatus(ctx, item) },
  }));
}

const faceThreshold = (input: Input) =>
  optionalNumber(input, "FaceMatchThreshold", { min: 0, max: 100 }) ?? 80;
const userThreshold = (input: Input) =>
  optionalNumber(input, "UserMatchThreshold", { min: 0, max: 100 }) ?? 80;
const maxFaces = (input: Input) =>
  optionalNumber(input, "MaxFaces", { min: 1, max: 4096, integer: true }) ?? 4096;
const maxUsers = (input: Input) =>
  optionalNumber(input, "MaxUsers", { min: 1, max: 500, integer: true }) ?? 500;

function requireFace(c: CollectionRecord, faceId: string) {
  const face = c.faces.get(faceId);
  if (!face)
    throw new ServiceError(
      "InvalidParameterException",
      `FaceId ${faceId} was not found in collection ${c.id}`,
    );
  return face;
}

export function searchFaces(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const faceId = requiredString(input, "FaceId", faceIdRule);
  const threshold = faceThreshold(input);
  const limit = maxFaces(input);
  const c = requireCollection(ctx, id);
  const face = requireFace(c, faceId);
  return {
    SearchedFaceId: faceId,
    FaceMatches: matchFaces(c, face.vector, threshold, limit, faceId),
    FaceModelVersion: FACE_MODEL_VERSION,
  };
}

export function searchFacesByImage(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const threshold = faceThreshold(input);
  const limit = maxFaces(input);
  optionalEnum(input, "QualityFilter", QUALITY_FILTERS);
  const source = imageSource(input);
  const c = requireCollection(ctx, id);
  const largest = analyzeSource(ctx, source).faces[0];
  if (!largest)
    throw new ServiceError(
      "InvalidParameterException",
      "There are no faces in the image. Should be at least 1.",
    );
  return {
    SearchedFaceBoundingBox: largest.boundingBox,
    SearchedFaceConfidence: largest.confidence,
    FaceMatches: matchFaces(c, largest.vector, threshold, limit),
    FaceModelVersion: FACE_MODEL_VERSION,
  };
}

export function searchUsers(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const userId = optionalUserId(input);
  const faceId = optionalString(input, "FaceId", faceIdRule);
  const threshold = userThreshold(input);
  const limit = maxUsers(input);
  if ((userId === undefined) === (faceId === undefined)) {
    throw invalid("UserId", userId ?? null, "be set, or FaceId be set, but not both");
  }
  const c = requireCollection(ctx, id);
  if (faceId !== undefined) {
    const face = requireFace(c, faceId);
    return {
      UserMatches: matchUsers(ctx, c, face.vector, threshold, limit),
      FaceModelVersion: FACE_MODEL_VERSION,
      SearchedFace: { FaceId: faceId },
    };
  }
  const user = requireUser(c, userId!);
  const v = userVector(c, user);
  return {
    UserMatches: v ? matchUsers(ctx, c, v, threshold, limit, user.userId) : [],
    FaceModelVersion: FACE_MODEL_VERSION,
    SearchedUser: { UserId: user.userId },
  };
}

export function searchUsersByImage(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const threshold = userThreshold(input);
  const limit = maxUsers(input);
  optionalEnum(input, "QualityFilter", QUALITY_FILTERS);
  const source = imageSource(input);
  const c = requireCollection(ctx, id);
  const [largest, ...others] = analyzeSource(ctx, source).faces;
  // No face: an empty match list and no SearchedFace, as the reference describes.
  if (!largest) return { UserMatches: [], FaceModelVersion: FACE_MODEL_VERSION, UnsearchedFaces: [] };
  return {
    UserMatches: matchUsers(ctx, c, largest.vector, threshold, limit),
    FaceModelVersion: FACE_MODEL_VERSION,
    SearchedFace: { FaceDetail: { BoundingBox: largest.boundingBox, Confidence: largest.confidence } },
    UnsearchedFaces: others.map((f) => ({
      FaceDetails: { BoundingBox: f.boundingBox, Confidence: f.confidence },
      Reasons: ["FACE_NOT_LARGEST"],
    })),
  };
}
