import { centroid, FACE_MODEL_VERSION, type DetectedFace, type ImageAnalysis } from "../model/index.js";
import { filteredReasons, type QualityFilter } from "../model/quality-filter.js";
import { ServiceError } from "../protocol/errors.js";
import type { CollectionRecord, UserRecord } from "../store/types.js";
import { requireCollection, requireUser, userStatus, type OperationContext } from "./context.js";
import { faceDetail, faceView, QUALITY_FILTERS } from "./faces.js";
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

// Faces: a linear scan over the collection's packed unit vectors, one dot product each;
// the model's calibration maps the threshold to a cosine and each cosine to a similarity.
function matchFaces(
  ctx: OperationContext,
  c: CollectionRecord,
  query: Float32Array,
  threshold: number,
  limit: number,
  exclude?: string,
) {
  const top = new TopK<string>(limit);
  c.vectors.scan(query, ctx.faceModel.cosineFor(threshold), (faceId, dot) => {
    if (faceId === exclude) return;
    const score = ctx.faceModel.similarityOfCosine(dot);
    if (score >= threshold) top.offer(score, faceId);
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
    const s = ctx.faceModel.similarity(query, v);
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
    FaceMatches: matchFaces(ctx, c, face.vector, threshold, limit, faceId),
    FaceModelVersion: FACE_MODEL_VERSION,
  };
}

/**
 * The face a search by image uses: the largest that passes the quality filter
 * (NONE unless asked). The others, with why they were not searched.
 */
function searchedFace(analysis: ImageAnalysis, filter: QualityFilter) {
  let searched: DetectedFace | undefined;
  const unsearched: { FaceDetails: ReturnType<typeof faceDetail>; Reasons: string[] }[] = [];
  for (const face of analysis.faces) {
    const reasons = filteredReasons(face, filter, analysis);
    if (reasons.length === 0 && !searched) searched = face;
    else
      unsearched.push({
        FaceDetails: faceDetail(face),
        Reasons: reasons.length ? reasons : ["FACE_NOT_LARGEST"],
      });
  }
  return { searched, unsearched };
}

const qualityFilter = (input: Input): QualityFilter =>
  optionalEnum(input, "QualityFilter", QUALITY_FILTERS) ?? "NONE";

export async function searchFacesByImage(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const threshold = faceThreshold(input);
  const limit = maxFaces(input);
  const filter = qualityFilter(input);
  const source = imageSource(input);
  requireCollection(ctx, id);
  const { searched } = searchedFace(await analyzeSource(ctx, source), filter);
  const c = requireCollection(ctx, id);
  if (!searched)
    throw new ServiceError(
      "InvalidParameterException",
      "There are no faces in the image. Should be at least 1.",
    );
  return {
    SearchedFaceBoundingBox: searched.boundingBox,
    SearchedFaceConfidence: searched.confidence,
    FaceMatches: matchFaces(ctx, c, searched.vector, threshold, limit),
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

export async function searchUsersByImage(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const threshold = userThreshold(input);
  const limit = maxUsers(input);
  const filter = qualityFilter(input);
  const source = imageSource(input);
  requireCollection(ctx, id);
  const { searched, unsearched } = searchedFace(await analyzeSource(ctx, source), filter);
  const c = requireCollection(ctx, id);
  // No face: an empty match list and no SearchedFace, as the reference describes.
  if (!searched)
    return { UserMatches: [], FaceModelVersion: FACE_MODEL_VERSION, UnsearchedFaces: unsearched };
  return {
    UserMatches: matchUsers(ctx, c, searched.vector, threshold, limit),
    FaceModelVersion: FACE_MODEL_VERSION,
    SearchedFace: { FaceDetail: faceDetail(searched) },
    UnsearchedFaces: unsearched,
  };
}
