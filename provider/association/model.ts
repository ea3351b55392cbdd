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

/** What the stack's state records: the inputs, with `faces` holding only the
 * declared faces that really are associated, and what the last apply saw. */
export interface AssociationState extends AssociationInputs {
  /** The faces really associated and managed here, sorted. */
  readonly faceIds: readonly string[];
  readonly userStatus: string;
  /** Faces that failed in the last apply, with their reasons. */
  readonly failedFaces: readonly FaceFailure[];
  /** Counts applies; part of every idempotency token, so that a later, equal
   * change is never mistaken for a retry of an earlier one. */
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

export function faceSet(ids: Iterable<string>): FaceSet {
  const set: Record<string, true> = {};
  for (const id of ids) set[id] = true;
  return set;
}

export function faceIdsOf(set: FaceSet): string[] {
  return Object.keys(set).sort();
}

export function associationId(collectionId: string, userId: string): string {
  return `${collectionId}/${userId}`;
}
