import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { lifetimeToken } from "./idempotency.js";
import { stackIdentity } from "./resources/stack-identity.js";

/**
 * The stack a resource belongs to, passed by the resource class as an input:
 * the dynamic provider host is not told which stack it serves. A create that
 * was interrupted (a killed `pulumi up`) left its user or collection behind;
 * marks derived from the scope let the next create recognise what this stack
 * made, without taking over anything it did not.
 *
 * It is the stack's identity, a random ID recorded in this stack's own state
 * (./resources/stack-identity.ts) before any resource that uses it is created,
 * never the organization, project and stack names: another stack on another
 * backend can have the same names (on the file backend the organization is
 * always `organization`). States written before the identity existed
 * recorded `<organization>/<project>/<stack>` here; those resources keep it.
 */
export function stackScope(): pulumi.Output<string> {
  return stackIdentity().stackId;
}

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
