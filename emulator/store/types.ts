/** The state the emulator keeps: collections, their faces and their users. */
import type { VectorIndex } from "./vector-index.js";

export interface StoredBoundingBox {
  Width: number;
  Height: number;
  Left: number;
  Top: number;
}

export interface FaceRecord {
  faceId: string;
  imageId: string;
  externalImageId?: string;
  boundingBox: StoredBoundingBox;
  confidence: number;
  /** Unit-length face vector. */
  vector: Float32Array;
  userId?: string;
  indexedAt: number;
}

export interface UserRecord {
  userId: string;
  faceIds: Set<string>;
  createdAt: number;
  /** When an association or disassociation last changed the user (epoch ms). */
  updatedAt?: number;
  /** Derived from the faces; dropped whenever they change. */
  centroid?: Float32Array | undefined;
}

export interface CollectionRecord {
  id: string;
  arn: string;
  /** Epoch ms. */
  createdAt: number;
  tags?: Record<string, string>;
  faces: Map<string, FaceRecord>;
  /** The faces' vectors, laid out for searching. */
  vectors: VectorIndex;
  /** Face ids, sorted: pagination walks this. */
  faceOrder: string[];
  users: Map<string, UserRecord>;
  /** User ids, sorted. */
  userOrder: string[];
}

/** One change to the state. The journal records these; replaying them rebuilds the state. */
export type Mutation =
  | { type: "createCollection"; id: string; arn: string; createdAt: number; tags?: Record<string, string> }
  | { type: "deleteCollection"; id: string }
  /** Adds or overwrites tags of a collection. */
  | { type: "tagCollection"; id: string; tags: Record<string, string> }
  | { type: "untagCollection"; id: string; keys: string[] }
  | { type: "addFaces"; collectionId: string; faces: FaceRecord[] }
  | { type: "deleteFaces"; collectionId: string; faceIds: string[] }
  | { type: "createUser"; collectionId: string; userId: string; createdAt: number }
  | { type: "deleteUser"; collectionId: string; userId: string }
  | { type: "associate"; collectionId: string; userId: string; faceIds: string[]; at: number }
  | { type: "disassociate"; collectionId: string; userId: string; faceIds: string[]; at: number };

/** The remembered outcome of a call made with a ClientRequestToken. */
export interface IdempotencyRecord {
  key: string;
  /** SHA-256 of the call's canonical parameters. */
  fingerprint: string;
  response: unknown;
  /** When the call was made (epoch ms); the token expires a TTL after this. */
  at: number;
}

/** What one successful call changes, applied and journalled as a unit. */
export interface Commit {
  mutations: Mutation[];
  idempotency?: IdempotencyRecord;
}
