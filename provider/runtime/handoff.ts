import { lastActivityAt, notify, othersInFlight } from "./activity.js";
import { isFaceClaimed, isUserDeclared } from "./claims.js";
import { decideWhen, quietFor } from "./quiet.js";

/**
 * Faces that an association in this deployment has declared it gives up.
 *
 * One provider process serves every dynamic resource of a deployment, and
 * `check` sees each association's old and new declaration before it is
 * applied. When a face moves from user A to user B in one `pulumi up`, B's
 * AssociateFaces may run before A's DisassociateFaces (the engine orders
 * independent resources freely). Knowing that A's new declaration no longer
 * holds the face, B releases it from A itself and carries on; A later finds
 * the face already gone, which is what it wanted.
 */
const released = new Map<string, string>();

const key = (collectionId: string, faceId: string): string => `${collectionId}\u0000${faceId}`;

export function announceRelease(collectionId: string, fromUserId: string, faceIds: Iterable<string>): void {
  for (const faceId of faceIds) released.set(key(collectionId, faceId), fromUserId);
  notify();
}

export function isReleased(collectionId: string, fromUserId: string, faceId: string): boolean {
  return released.get(key(collectionId, faceId)) === fromUserId;
}

export interface HandoffBounds {
  /** Stop waiting once nothing else runs and all has been still for this long. */
  readonly quietMs: number;
  /** Never wait longer than this. */
  readonly capMs: number;
}

export const handoffBounds: HandoffBounds = { quietMs: 1_500, capMs: 120_000 };

/**
 * Waits until `fromUserId`'s association announces that it gives the face up.
 * Answers at once when that declaration has been checked already (it gives
 * the face up, or it still holds it: a real conflict). Otherwise the other
 * declaration may still be on its way (waiting on a photo being indexed, say),
 * so this waits while the deployment is busy, and gives up once it is quiet:
 * a face that really belongs to someone else costs no fixed delay.
 */
export async function awaitRelease(
  collectionId: string,
  fromUserId: string,
  faceId: string,
  bounds: HandoffBounds = handoffBounds,
): Promise<boolean> {
  const giveUpAt = Date.now() + bounds.capMs;
  return decideWhen<boolean>(() => {
    // Still claimed by a declaration of the holder (another association of the
    // same user may give it up while this one keeps it): a real conflict.
    if (isUserDeclared(collectionId, fromUserId) && isFaceClaimed(collectionId, fromUserId, faceId))
      return { answer: false };
    if (isReleased(collectionId, fromUserId, faceId)) return { answer: true };
    if (Date.now() >= giveUpAt) return { answer: false };
    const quiet = quietFor(othersInFlight() === 0, lastActivityAt(), bounds.quietMs);
    if ("answer" in quiet) return { answer: false };
    return { lookAt: Math.min(quiet.lookAt ?? giveUpAt, giveUpAt) };
  });
}

/** For tests: no face released. */
export function resetHandoff(): void {
  released.clear();
}
