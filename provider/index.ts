export { UserFaceAssociation, type UserFaceAssociationArgs } from "./resources/user-face-association.js";
export type { FaceFailure } from "./association/model.js";
export { Collection, type CollectionArgs } from "./resources/collection.js";
export { User, type UserArgs } from "./resources/user.js";
export {
  IndexedFace,
  type IndexedFaceArgs,
  type LocalImage,
  type S3Image,
} from "./resources/indexed-face.js";
export type { BoundingBox, QualityFilter } from "./face/model.js";
export type { Origin } from "./adoption/ownership.js";
export { FaceRoster, type FaceRosterArgs, type RosterUser } from "./resources/face-roster.js";
export type { RosterSummary } from "./bulk/summary.js";
export { decodeRoster, type StoredRoster } from "./bulk/encoding.js";
export { FaceRosterShard, type FaceRosterShardArgs, type ShardEntry } from "./resources/face-roster-shard.js";
export { RetiredFaces, type RetiredFacesArgs } from "./resources/retired-faces.js";
export type { PersonRecord, PersonFailure } from "./bulk/model.js";
/** Rekognition's default per-operation quotas, as the provider paces calls by default. */
export { DEFAULT_RATE_LIMITS, FALLBACK_TPS } from "./aws/rate-limits.js";
