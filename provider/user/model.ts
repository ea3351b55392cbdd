import { createHash } from "node:crypto";
import type { Origin } from "../adoption/ownership.js";
import type { Sensitivity } from "../sealing.js";

/** The inputs of a User after `check` has normalized them. */
export interface UserInputs {
  readonly collectionId: string;
  readonly userId: string;
  /** Take over a user that already exists instead of failing. */
  readonly adopt: boolean;
  /** Unset: delete on destroy only if the stack created the user. */
  readonly deleteOnDestroy?: boolean;
  /** `<project>/<stack>` (../scope.ts); empty in states written before it existed. */
  readonly scope?: string;
  /** Set when the program marked `userId` secret: the ID, the state and every message keep it so. */
  readonly sensitive?: Sensitivity;
}

/** What the stack's state records for a User. */
export interface UserState extends UserInputs {
  /** As ListUsers reports it; CREATED until faces are associated. */
  readonly userStatus: string;
  readonly origin: Origin;
  /** Identifies this incarnation of the user in idempotency tokens. */
  readonly lifetime: string;
}

/**
 * `<collectionId>/<userId>`, the ID of a resource about one user; a secret
 * user ID is replaced by its digest, since the engine never hides an ID.
 */
export function userResourceId(collectionId: string, userId: string, secretUser = false): string {
  const user = secretUser
    ? `sha256-${createHash("sha256").update(userId).digest("hex").slice(0, 16)}`
    : userId;
  return `${collectionId}/${user}`;
}
