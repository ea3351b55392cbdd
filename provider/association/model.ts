import { userResourceId } from "../user/model.js";
import type { Sensitivity } from "../sealing.js";
import { isUnknown } from "../unknown.js";

/** A set of face IDs as the state stores it: keyed by ID, so that a preview
 * shows each face added or removed rather than shifted list positions. */
export type FaceSet = Readonly<Record<string, true>>;

/** The inputs of a UserFaceAssociation after `check` has normalized them. */
export interface AssociationInputs {
  readonly collectionId: string;
  readonly userId: string;
  readonly faces: FaceSet;
  readonly userMatchThreshold: number;
  readonly exclusive: boolean;
  readonly waitForActive: boolean;
  readonly activeTimeoutSeconds: number;
  /** Which inputs the program marked secret (../secrets.ts). */
  readonly sensitive: Sensitivity;
}

/** Why one face could not be associated or disassociated. */
export interface FaceFailure {
  readonly faceId: string;
  /** Rekognition's reason, verbatim (or QUOTA_EXCEEDED for the per-user cap). */
  readonly reason: string;
  /** ASSOCIATED_TO_A_DIFFERENT_USER: the user that has the face. */
  readonly otherUserId?: string;
  /** LOW_MATCH_CONFIDENCE: how well the face matched the user. */
  readonly confidence?: number;
}

/** What the stack's state records: the inputs, with `faces` holding the truth
 * the next diff compares against, and what the last apply saw. */
export interface AssociationState extends AssociationInputs {
  /**
   * The faces really associated with the user that this declaration manages,
   * plus, in exclusive mode, faces found associated another way (listed in
   * `observedFaces`), which the next `pulumi up` removes.
   */
  readonly faces: FaceSet;
  /** The managed faces really associated, sorted (`faces` less `observedFaces`). */
  readonly faceIds: readonly string[];
  /**
   * Faces associated with the user another way, seen by a refresh in exclusive
   * mode. They are in `faces` so that a preview shows their removal, but this
   * declaration never managed them: in additive mode they are left alone.
   */
  readonly observedFaces?: readonly string[];
  /**
   * Faces whose last call ended without an answer (a dropped connection, a
   * 5xx past the retries) and could not be read back: the next `pulumi up`
   * settles them (associating them if declared, disassociating them if not,
   * both harmless if already done).
   */
  readonly pendingFaces?: readonly string[];
  /** A change was applied but the wait for ACTIVE did not finish: the next
   * `pulumi up` resumes it. */
  readonly awaitingActive?: boolean;
  readonly userStatus: string;
  /** Faces that failed in the last apply, with their reasons. */
  readonly failedFaces: readonly FaceFailure[];
  /** Counts applies (informational). */
  readonly revision: number;
  /** Drawn when the association is created: an association recreated for the
   * same user later never repeats an earlier one's request tokens. */
  readonly lifetime: string;
}

export const defaults = {
  userMatchThreshold: 75,
  exclusive: false,
  waitForActive: true,
  activeTimeoutSeconds: 300,
} as const;

/** Most faces a Rekognition user can have, and most face IDs in one call. */
export const maxFacesPerUser = 100;
export const maxFacesPerCall = 100;

/**
 * Whether a checked set holds a face not known yet (a preview, before the
 * IndexedFace that gives its ID exists): the whole set, or one member, which
 * `check` keeps as the unknown value under the key `faceIds[<index>]`, so a
 * preview shows that one face added beside the known ones.
 */
export function hasUnknownFaces(set: FaceSet): boolean {
  return isUnknown(set) || Object.values(set).some(isUnknown);
}

/** The key of a member of `faceIds` not known yet: never a face ID. */
export const unknownFaceKey = (index: number): string => `faceIds[${index}]`;

export function faceSet(ids: Iterable<string>): FaceSet {
  const set: Record<string, true> = {};
  for (const id of ids) set[id] = true;
  return set;
}

export function faceIdsOf(set: FaceSet): string[] {
  return Object.keys(set).sort();
}

/** `<collectionId>/<userId>`; a secret user ID is replaced by a digest, since an ID is never secret. */
export const associationId = userResourceId;
