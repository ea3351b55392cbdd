/**
 * When a waited-for user counts as settled, and how often to look: the pure
 * rules behind the shared ACTIVE poller in ./collection-poller.ts.
 */

/** How soon the first scan looks after a waiter joins an idle collection. */
export const firstPollMs = 250;
/**
 * The shortest pause between two scans of one collection, however many
 * waiters join: half a second per ListUsers page, so the waits of a run
 * spend at most two ListUsers calls a second (under the 5 TPS default quota,
 * leaving room for reads) and cost time, not people.
 */
export function pollIntervalMs(users: number): number {
  return Math.max(1, Math.ceil(users / usersPerPage)) * 500;
}

/** The page size of every ListUsers scan (the API's maximum). */
export const usersPerPage = 500;
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
 * The pause after a scan before the next: one interval when a new waiter
 * joined during it (its user just changed), else doubling up to
 * `longestPollMs` for users that are slow to settle.
 */
export function nextPollDelay(previousMs: number, waiterJoined: boolean, intervalMs: number): number {
  if (waiterJoined) return intervalMs;
  return Math.max(Math.min(previousMs * 2, longestPollMs), intervalMs);
}

/** When a waiter that joins at `now` gets its scan: soon, but never sooner than an interval after the last. */
export function firstScanAt(now: number, lastScanEndedAt: number, intervalMs: number): number {
  return Math.max(now + firstPollMs, lastScanEndedAt + intervalMs);
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
