/**
 * When a waited-for user counts as settled, and how often to look: the pure
 * rules behind the shared ACTIVE poller in ./wait.ts.
 */

export const firstPollMs = 250;
export const longestPollMs = 5_000;

/** The status reported for a user that no longer exists. */
export const missing = "MISSING";

/**
 * ACTIVE is settled: every change is applied and the user is searchable.
 * CREATED is settled only for a user expected to have no faces: on AWS a user
 * is briefly CREATED right after faces were added to it. A user that is gone
 * will never settle further, so that ends the wait too.
 */
export function isSettled(status: string | undefined, expectFaces: boolean): boolean {
  if (status === undefined || status === "ACTIVE") return true;
  return status === "CREATED" && !expectFaces;
}

/**
 * The delay before the next poll: it doubles up to `longestPollMs`, and starts
 * again from `firstPollMs` when a new waiter joined (its user just changed).
 */
export function nextPollDelay(previousMs: number, waiterJoined: boolean): number {
  if (waiterJoined) return firstPollMs;
  return Math.min(previousMs * 2, longestPollMs);
}

export function activeTimeoutMessage(
  collectionId: string,
  userId: string,
  status: string,
  timeoutMs: number,
): string {
  return (
    `user '${userId}' in collection '${collectionId}' was still ${status} after ${Math.round(timeoutMs / 1000)} s: ` +
    "its faces are associated; raise activeTimeoutSeconds, or set waitForActive: false"
  );
}
