import type { Origin } from "../adoption/ownership.js";
import { defaults, type FaceFailure, type FaceSet } from "../association/model.js";
import type { RosterSummary } from "./summary.js";

/**
 * A photo as a shard declares it: its entry (a local path or an s3:// URL)
 * maps to its content's digest (a local file's SHA-256, an S3 object's ETag
 * or version, or "" when only the key is known). A new digest is a new photo.
 */
export type PhotoSet = Readonly<Record<string, string>>;

/** One person of a shard, as declared. */
export interface PersonInputs {
  /** Photos to index for the person, by entry. */
  readonly photos: PhotoSet;
  /** Faces already indexed, listed by face ID. */
  readonly faces: FaceSet;
}

/** The inputs of a FaceRosterShard after `check`. */
export interface ShardInputs {
  readonly collectionId: string;
  /** Which shard of the roster this is, e.g. "3/16": informational. */
  readonly shard: string;
  /** Each person by user ID. Keyed, so a preview shows each person added, removed or changed;
   * the stored inputs hold a line about each (./encoding.ts), the run holds the rest (./declarations.ts). */
  readonly people: Readonly<Record<string, PersonInputs>>;
  readonly exclusive: boolean;
  readonly userMatchThreshold: number;
  readonly adopt: boolean;
  readonly deleteUsersOnDestroy?: boolean;
  readonly waitForActive: boolean;
  readonly activeTimeoutSeconds: number;
  readonly qualityFilter?: string;
  /**
   * Set by FaceRoster, which deletes the faces its shards retire in one
   * place once every shard is done (../retired/): the shard hands them over
   * (`handedOver`) instead of deleting them itself.
   */
  readonly handOver?: boolean;
  /** The stack, `<org>/<project>/<stack>` (../scope.ts). */
  readonly scope?: string;
}

/** A photo of a person that is indexed: its face, and the digest it was indexed from. */
export interface IndexedPhoto {
  readonly faceId: string;
  readonly digest: string;
}

/** What exists for one person, as the shard's state records it. */
export interface PersonRecord {
  readonly origin: Origin;
  /** Photos whose face is in the collection, by entry. */
  readonly photos: Readonly<Record<string, IndexedPhoto>>;
  /** Faces associated with the user and managed here, plus (exclusive mode) `observed` ones. */
  readonly faces: FaceSet;
  /** Exclusive mode: faces associated another way, which the next `up` removes. */
  readonly observed?: readonly string[];
  /** Faces whose association call got no answer: the next `up` settles them. */
  readonly pending?: readonly string[];
  /** Faces of removed photos that could not be deleted yet: the next `up` deletes them. */
  readonly leftover?: readonly string[];
  /** A change was applied but the wait for ACTIVE did not finish: the next `up` resumes it. */
  readonly awaitingActive?: boolean;
  /** ACTIVE once searchable; MISSING when a refresh found the user gone (the next `up` makes it again). */
  readonly userStatus: string;
}

/** Why a person is not as declared after a run. */
export interface PersonFailure {
  readonly userId: string;
  /** A face that failed to associate or disassociate, with Rekognition's reason. */
  readonly face?: FaceFailure;
  /** A photo that failed to index, or a call that failed for the whole person. */
  readonly photo?: string;
  /** A short reason, the key failures are counted by (e.g. LOW_MATCH_CONFIDENCE, AccessDeniedException). */
  readonly reason: string;
  /** The whole line, worded as UserFaceAssociation words it. */
  readonly message: string;
}

/** What the stack's state records for a shard: its settings and the truth; the declared people stay in its inputs. */
export interface ShardState extends Omit<ShardInputs, "people"> {
  /** The truth, person by person: what exists and is associated. */
  readonly roster: Readonly<Record<string, PersonRecord>>;
  /** The shard's part of its roster's summary (./summary.ts), written with the truth. */
  readonly summary?: RosterSummary;
  /**
   * The digest of the declaration (../declarations.ts) this truth was found to
   * be, person by person, when it was written: the last run left no work.
   * A diff of that same declaration then reads nobody's record.
   */
  readonly settled?: string;
  /**
   * Faces this shard retired and handed over to its roster's RetiredFaces,
   * which deletes them (and records that): each stays listed until a scan
   * of a later run shows it gone.
   */
  readonly handedOver?: readonly string[];
  /** Drawn when the shard is created: its request tokens are never reused by another shard. */
  readonly lifetime: string;
  /** The last run's failures, the first few in full (`failureCount` counts them all). */
  readonly failures: readonly PersonFailure[];
  readonly failureCount: number;
}

/** A person's face change defaults as a UserFaceAssociation's does, but for the longer wait of many people. */
export const shardDefaults = {
  ...defaults,
  shards: 16,
  adopt: false,
  activeTimeoutSeconds: 600,
} as const;

/** Most shards a roster may have: each is one engine resource. */
export const maxShards = 256;

/** How many failures a state keeps in full: the rest are counted. */
export const failuresKept = 20;
