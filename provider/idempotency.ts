import { createHash, randomUUID } from "node:crypto";

/**
 * A ClientRequestToken derived from the call and the resource's lifetime: the
 * same call for the same resource always carries the same token, so a retry
 * is answered from the service's record and never applied twice; a resource
 * recreated later under the same ID has a new lifetime, so its calls are new
 * requests rather than replays of the old ones.
 */
export function lifetimeToken(step: string, lifetime: string, ...identity: readonly string[]): string {
  return createHash("sha256")
    .update(JSON.stringify([step, lifetime, ...identity]))
    .digest("base64url")
    .slice(0, 64);
}

/** A new lifetime, drawn when a resource is created. */
export function newLifetime(): string {
  return randomUUID();
}
