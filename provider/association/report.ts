import type { FaceFailure } from "./model.js";

/** One line per failed face: its ID, Rekognition's reason, and what to do. */
export function describeFaceFailure(failure: FaceFailure, userMatchThreshold: number): string {
  const { faceId, reason } = failure;
  switch (reason) {
    case "FACE_NOT_FOUND":
      return `${faceId}: FACE_NOT_FOUND: no such face in the collection (index it first, or remove it from faceIds)`;
    case "ASSOCIATED_TO_A_DIFFERENT_USER":
      return (
        `${faceId}: ASSOCIATED_TO_A_DIFFERENT_USER: it belongs to user '${failure.otherUserId ?? "unknown"}' ` +
        "(remove it from that user's association first, or from this one)"
      );
    case "LOW_MATCH_CONFIDENCE":
      return (
        `${faceId}: LOW_MATCH_CONFIDENCE: it matches this user's faces at ${formatConfidence(failure.confidence)}, ` +
        `below userMatchThreshold ${userMatchThreshold} (check that the photo shows this person, or lower userMatchThreshold)`
      );
    case "USER_FACE_LIMIT":
      return `${faceId}: ServiceQuotaExceededException: the user would pass Rekognition's limit of 100 faces (remove faces from the user first)`;
    default:
      return `${faceId}: ${reason} (reported by Rekognition)`;
  }
}

function formatConfidence(confidence: number | undefined): string {
  return confidence === undefined ? "an unknown confidence" : `${Math.round(confidence * 100) / 100}`;
}

export function failureSummary(
  action: "associated" | "disassociated",
  collectionId: string,
  userId: string,
  attempted: number,
  failures: readonly FaceFailure[],
  userMatchThreshold: number,
): string {
  const lines = failures.map((f) => `  - ${describeFaceFailure(f, userMatchThreshold)}`);
  return [
    `${failures.length} of ${attempted} face(s) could not be ${action} with user '${userId}' in collection '${collectionId}':`,
    ...lines,
    "The stack's state records the faces that were; the next `pulumi up` retries only the rest.",
  ].join("\n");
}
