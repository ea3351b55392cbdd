// The outputs of each resource class, declared once for the dynamic resources
// (./*.ts) and the plugin's (../sdk/index.ts): the interfaces type both hosts'
// classes (./resource-class.ts), and the lists beside them are the outputs a
// class registers before they are known, checked against the interfaces.
import type * as pulumi from "@pulumi/pulumi";
import type { FaceFailure } from "../association/model.js";
import type { StoredRoster } from "../bulk/encoding.js";
import type { PersonFailure } from "../bulk/model.js";
import type { RosterSummary } from "../bulk/summary.js";
import type { BoundingBox } from "../face/model.js";
import type { CollectionArgs } from "./collection.js";
import type { FaceRosterShardArgs } from "./face-roster-shard.js";
import type { IndexedFaceArgs } from "./indexed-face.js";
import type { RetiredFacesArgs } from "./retired-faces.js";
import type { UserFaceAssociationArgs } from "./user-face-association.js";
import type { UserArgs } from "./user.js";

/** The outputs of `Outputs` that are not also inputs in `Args`: registered as undefined until known. */
type Unresolved<Outputs, Args> = Readonly<Record<Exclude<keyof Outputs, keyof Args>, undefined>>;

/** A Collection's outputs. */
export interface CollectionOutputs {
  readonly collectionId: pulumi.Output<string>;
  readonly tags: pulumi.Output<Record<string, string>>;
  readonly arn: pulumi.Output<string>;
  readonly faceModelVersion: pulumi.Output<string>;
  /** Faces in the collection, as of the last create or `pulumi refresh`. */
  readonly faceCount: pulumi.Output<number>;
  /** Users in the collection, as of the last create or `pulumi refresh`. */
  readonly userCount: pulumi.Output<number>;
  /** "created" by this resource, or "adopted". */
  readonly origin: pulumi.Output<"created" | "adopted">;
}

export const collectionOutputs = {
  arn: undefined,
  faceModelVersion: undefined,
  faceCount: undefined,
  userCount: undefined,
  origin: undefined,
} as const satisfies Unresolved<CollectionOutputs, CollectionArgs>;

/** A User's outputs. */
export interface UserOutputs {
  readonly collectionId: pulumi.Output<string>;
  readonly userId: pulumi.Output<string>;
  /** CREATED until faces are associated; refreshed by `pulumi refresh`. */
  readonly userStatus: pulumi.Output<string>;
  /** "created" by this resource, or "adopted". */
  readonly origin: pulumi.Output<"created" | "adopted">;
}

export const userOutputs = { userStatus: undefined, origin: undefined } as const satisfies Unresolved<
  UserOutputs,
  UserArgs
>;

/** An IndexedFace's outputs. */
export interface IndexedFaceOutputs {
  readonly collectionId: pulumi.Output<string>;
  readonly faceId: pulumi.Output<string>;
  readonly boundingBox: pulumi.Output<BoundingBox>;
  /** How confident Rekognition is that the box holds a face (0–100). */
  readonly confidence: pulumi.Output<number>;
  readonly imageId: pulumi.Output<string>;
  readonly externalImageId: pulumi.Output<string | undefined>;
  /** SHA-256 of a local photo's bytes. */
  readonly imageSha256: pulumi.Output<string | undefined>;
}

/** Optional inputs first, so that an absent one is still registered. */
export const indexedFaceOptionalInputs = { externalImageId: undefined, qualityFilter: undefined } as const;

export const indexedFaceOutputs = {
  faceId: undefined,
  boundingBox: undefined,
  confidence: undefined,
  imageId: undefined,
  imageSha256: undefined,
} as const satisfies Unresolved<IndexedFaceOutputs, IndexedFaceArgs>;

/** A UserFaceAssociation's outputs. */
export interface UserFaceAssociationOutputs {
  readonly collectionId: pulumi.Output<string>;
  readonly userId: pulumi.Output<string>;
  /** The declared faces that are associated with the user, sorted. */
  readonly faceIds: pulumi.Output<string[]>;
  /** The user's status after the last change (ACTIVE once searchable). */
  readonly userStatus: pulumi.Output<string>;
  /** Faces that failed in the last apply, with Rekognition's reasons. */
  readonly failedFaces: pulumi.Output<FaceFailure[]>;
  readonly userMatchThreshold: pulumi.Output<number>;
  readonly exclusive: pulumi.Output<boolean>;
}

export const associationOutputs = {
  userStatus: undefined,
  failedFaces: undefined,
} as const satisfies Unresolved<UserFaceAssociationOutputs, UserFaceAssociationArgs>;

/** A FaceRosterShard's outputs. */
export interface FaceRosterShardOutputs {
  readonly collectionId: pulumi.Output<string>;
  /** The truth, a line a person (earlier releases: a map): `decodeRoster` (../bulk/encoding.ts) reads it. */
  readonly roster: pulumi.Output<StoredRoster>;
  /** The shard's part of its roster's summary (undefined in a state an earlier release wrote, until its next `up`). */
  readonly summary: pulumi.Output<RosterSummary | undefined>;
  /** The last run's failures (the first few; `failureCount` counts them all). */
  readonly failures: pulumi.Output<PersonFailure[]>;
  readonly failureCount: pulumi.Output<number>;
  /** Faces it retired and handed over to its roster's RetiredFaces (undefined: none). */
  readonly handedOver: pulumi.Output<string[] | undefined>;
}

export const shardOutputs = {
  roster: undefined,
  summary: undefined,
  failures: undefined,
  failureCount: undefined,
  handedOver: undefined,
} as const satisfies Unresolved<FaceRosterShardOutputs, FaceRosterShardArgs>;

/** A RetiredFaces' outputs. */
export interface RetiredFacesOutputs {
  readonly collectionId: pulumi.Output<string>;
  /** The faces it was given by its last update. */
  readonly faces: pulumi.Output<string[]>;
  /** Those still in the collection after a failed deletion: the next `up` tries again. */
  readonly remaining: pulumi.Output<string[]>;
  /** Those a user or another declaration took since they were handed over: left to it. */
  readonly released: pulumi.Output<string[]>;
}

export const retiredFacesOutputs = {
  remaining: undefined,
  released: undefined,
} as const satisfies Unresolved<RetiredFacesOutputs, RetiredFacesArgs>;
