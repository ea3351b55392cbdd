import { describeFaceFailure } from "../association/report.js";
import type { FaceFailure } from "../association/model.js";
import { awsErrorName, isAccessDenied, messageOf } from "../aws/errors.js";
import type { PersonFailure } from "./model.js";

/** A face that failed, worded as UserFaceAssociation words it. */
export function faceFailure(
  userId: string,
  face: FaceFailure,
  verb: "associated with" | "disassociated from",
  userMatchThreshold: number,
): PersonFailure {
  return {
    userId,
    face,
    reason: face.reason,
    message: `${userId}: could not be ${verb} this user: ${describeFaceFailure(face, userMatchThreshold)}`,
  };
}

/** A call that failed for a person as a whole (or for one photo). */
export function callFailure(userId: string, what: string, err: unknown, photo?: string): PersonFailure {
  const permission = isAccessDenied(err) ? ` (grant the credentials rekognition:${what})` : "";
  return {
    userId,
    ...(photo !== undefined && { photo }),
    reason: awsErrorName(err) ?? "Error",
    message: `${userId}: ${what}${photo ? ` of '${photo}'` : ""} failed: ${messageOf(err)}${permission}`,
  };
}

/** A failure with its own words and reason. */
export function personFailure(
  userId: string,
  reason: string,
  message: string,
  photo?: string,
): PersonFailure {
  return { userId, reason, message: `${userId}: ${message}`, ...(photo !== undefined && { photo }) };
}

/** What a failed `up` leaves, and what the next one does. */
export const afterUp =
  "Everything else was applied. The stack's state records, person by person, what exists and is associated; " +
  "once the causes are fixed, the next `pulumi up` retries only these people.";

/** What a failed destroy of a shard leaves, and what the next one does. */
export const afterDestroy =
  "The shard stays in the stack's state as it was; `pulumi refresh` reads what is left, and " +
  "`pulumi destroy` tries again (what is already deleted counts as done).";

/** How many failures the error shows in full; the rest are counted by reason. */
export const failuresShown = 10;

/**
 * The deployment error of a shard run in which some people failed: the first
 * few in full, then every failure counted by reason, then what the state
 * holds and what the next run does.
 */
export function shardFailureSummary(
  collectionId: string,
  shard: string,
  changed: number,
  failures: readonly PersonFailure[],
  next = afterUp,
): string {
  const people = new Set(failures.map((f) => f.userId)).size;
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
  const byReason = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ");
  const hidden = failures.length - failuresShown;
  return [
    `roster shard ${shard} of collection '${collectionId}': ${people} of ${changed} changed people are not as declared ` +
      `(${failures.length} failure(s): ${byReason}):`,
    ...failures.slice(0, failuresShown).map((f) => `  - ${f.message}`),
    ...(hidden > 0 ? [`  … and ${hidden} more (counted above by reason)`] : []),
    next,
  ].join("\n");
}
