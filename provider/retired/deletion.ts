import { deleteFaces } from "../runtime/face-deletions.js";
import { isIndexedFaceTakenOver } from "../runtime/claims.js";
import { messageOf } from "../aws/errors.js";

/** A retired face still in the collection, and why. */
export interface NotDeletedFace {
  readonly faceId: string;
  readonly reason: string;
}

/**
 * Deletes retired faces, batched with every other deletion of the run
 * (../runtime/face-deletions.ts). A face another declaration of this
 * deployment took over is that declaration's now: left alone, and not
 * counted as remaining. A face already gone counts as deleted.
 */
export async function deleteRetired(
  collectionId: string,
  faceIds: readonly string[],
): Promise<NotDeletedFace[]> {
  const ours = faceIds.filter((faceId) => !isIndexedFaceTakenOver(collectionId, faceId));
  const notDeleted = await deleteFaces(collectionId, ours);
  return [...notDeleted].map(([faceId, why]) => ({
    faceId,
    reason:
      "error" in why
        ? `DeleteFaces failed: ${messageOf(why.error)}`
        : `${why.reasons.join(", ") || "UNKNOWN"}${why.userId ? ` (associated with user '${why.userId}')` : ""}`,
  }));
}
