import { messageOf } from "../aws/errors.js";
import type { AppliedChange } from "./apply.js";
import type { FaceFailure } from "./model.js";
import type { Truth } from "./truth.js";

/** What this deployment knows of the user that holds a face. */
export interface Holders {
  /** Its ID is secret in its own declaration: it is not printed. */
  readonly isSecret?: (userId: string) => boolean;
  /** An association of this run declares it (its declaration has arrived). */
  readonly isDeclared?: (userId: string) => boolean;
}

/**
 * One line per failed face: its ID, Rekognition's reason, and what to do.
 */
export function describeFaceFailure(
  failure: FaceFailure,
  userMatchThreshold: number,
  holders: Holders = {},
): string {
  const { faceId, reason } = failure;
  switch (reason) {
    case "FACE_NOT_FOUND":
      return `${faceId}: FACE_NOT_FOUND: no such face in the collection (index it first, or remove it from faceIds)`;
    case "LOW_MATCH_CONFIDENCE":
      return (
        `${faceId}: LOW_MATCH_CONFIDENCE: it matches this user's faces at ${formatConfidence(failure.confidence)}, ` +
        `below userMatchThreshold ${userMatchThreshold} (check that the photo shows this person, or lower userMatchThreshold)`
      );
    case "USER_FACE_LIMIT":
      return `${faceId}: ServiceQuotaExceededException: the user would pass Rekognition's limit of 100 faces (remove faces from the user first)`;
    default:
      // The holder is the user the service names, whatever the reason string
      // (the developer guide's sample says ASSOCIATED_TO_A_DIFFERENT_IDENTITY).
      if (failure.otherUserId !== undefined) {
        const holder = holders.isSecret?.(failure.otherUserId)
          ? "another user (its ID is secret)"
          : `user '${failure.otherUserId}'`;
        // A giver whose declaration waits on another provider's resource arrives too late to be seen.
        const late =
          holders.isDeclared && !holders.isDeclared(failure.otherUserId)
            ? "; if an association of this stack gives it up in this run, it had not arrived yet " +
              "(it waits on another resource), and the next `pulumi up` completes the move"
            : "";
        return (
          `${faceId}: ${reason}: it belongs to ${holder} ` +
          `(remove it from that user's association first, or from this one${late})`
        );
      }
      return `${faceId}: ${reason} (reported by Rekognition)`;
  }
}

function formatConfidence(confidence: number | undefined): string {
  return confidence === undefined ? "an unknown confidence" : `${Math.round(confidence * 100) / 100}`;
}

export interface FailedChange {
  readonly collectionId: string;
  readonly userId: string;
  readonly userMatchThreshold: number;
  /** Faces the apply tried to associate, and those that failed. */
  readonly associate: { readonly attempted: number; readonly failures: readonly FaceFailure[] };
  /** Faces the apply tried to disassociate, and those that failed. */
  readonly disassociate: { readonly attempted: number; readonly failures: readonly FaceFailure[] };
  /** What this deployment knows of the users that hold failed faces. */
  readonly holders?: Holders;
}

/** The deployment error for faces that failed, one line each. */
export function failureSummary(change: FailedChange, closing: string): string {
  const { collectionId, userId, userMatchThreshold } = change;
  const lines: string[] = [];
  const section = (part: FailedChange["associate"], verb: "associated with" | "disassociated from"): void => {
    if (part.failures.length === 0) return;
    lines.push(
      `${part.failures.length} of ${part.attempted} face(s) could not be ${verb} user '${userId}' in collection '${collectionId}':`,
      ...part.failures.map((f) => `  - ${describeFaceFailure(f, userMatchThreshold, change.holders)}`),
    );
  };
  section(change.associate, "associated with");
  section(change.disassociate, "disassociated from");
  return [...lines, closing].join("\n");
}

export const closings = {
  apply:
    "The stack's state records the faces that were changed; once the causes are fixed, the next `pulumi up` retries only these faces.",
  delete:
    "The association stays in the stack's state; the faces listed are still the user's. Once the causes are fixed, `pulumi up` or `pulumi destroy` tries again.",
} as const;

/** The deployment error for a call that failed as a whole part-way through. */
export function interruptedMessage(args: {
  readonly collectionId: string;
  readonly userId: string;
  readonly cause: unknown;
  readonly associated: number;
  readonly disassociated: number;
  readonly unsettled: number;
  readonly readBack: boolean;
}): string {
  const { collectionId, userId, cause } = args;
  const permission = /AccessDenied|not authorized/i.test(
    `${(cause as { name?: string })?.name ?? ""} ${messageOf(cause)}`,
  )
    ? " (grant the credentials rekognition:AssociateFaces, rekognition:DisassociateFaces, rekognition:ListFaces and rekognition:ListUsers)"
    : "";
  // Nothing done before the failure: it did not fail part-way, it failed.
  const how = args.associated + args.disassociated === 0 ? "failed" : "failed part-way";
  return [
    `changing the faces of user '${userId}' in collection '${collectionId}' ${how}: ${messageOf(cause)}${permission}`,
    `Before it failed, ${args.associated} face(s) were associated and ${args.disassociated} disassociated; ` +
      (args.readBack
        ? "the stack's state records the user's faces as Rekognition lists them now."
        : "the stack's state records exactly that."),
    ...(args.unsettled > 0
      ? [
          `${args.unsettled} face(s) whose call got no answer are recorded as unsettled; the next \`pulumi up\` settles them.`,
        ]
      : []),
    "Run `pulumi up` again once the cause is fixed: it does only what is left.",
  ].join("\n");
}

/** interruptedMessage for a change whose calls were interrupted, from what they did and what is true now. */
export function interruptedChangeMessage(
  collectionId: string,
  userId: string,
  { outcome, truth }: { readonly outcome: AppliedChange; readonly truth: Truth },
): string {
  return interruptedMessage({
    collectionId,
    userId,
    cause: outcome.interruption?.cause,
    associated: outcome.added.done.length,
    disassociated: outcome.removed.done.length,
    unsettled: truth.unsettled.length,
    readBack: truth.readBack,
  });
}
