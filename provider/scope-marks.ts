// The marks a stack's scope leaves in the service, apart from ./scope.ts so
// that the resource engines read them without the program-side SDK.
import { createHash } from "node:crypto";
import { lifetimeToken } from "./idempotency.js";

/** The scope as it is written into the service: a digest, not the names. */
export function scopeDigest(scope: string): string {
  return createHash("sha256").update(scope).digest("hex").slice(0, 32);
}

/** The collection tag that marks a collection this stack created. */
export const ownerTagKey = "pulumi-rekognition-faces:stack";

/**
 * The token of a CreateUser this stack sends for a user: the same for this
 * stack, collection and user every time, so the service answers a repeat of
 * an interrupted create (or a create by another of this stack's resources)
 * from its record instead of with a ConflictException.
 */
export function stackUserToken(scope: string, collectionId: string, userId: string): string {
  return lifetimeToken("create-user", `stack:${scopeDigest(scope)}`, collectionId, userId);
}
