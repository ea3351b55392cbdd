import type { Origin } from "../adoption/ownership.js";

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
}

/** What the stack's state records for a User. */
export interface UserState extends UserInputs {
  /** As ListUsers reports it; CREATED until faces are associated. */
  readonly userStatus: string;
  readonly origin: Origin;
  /** Identifies this incarnation of the user in idempotency tokens. */
  readonly lifetime: string;
}

export function userResourceId(collectionId: string, userId: string): string {
  return `${collectionId}/${userId}`;
}
