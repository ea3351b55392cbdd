import { deleteFaces, type NotDeleted } from "../runtime/face-deletions.js";
import { isIndexedFaceTakenOver } from "../runtime/claims.js";
import { messageOf } from "../aws/errors.js";

/** A retired face still in the collection, and why. */
export interface NotDeletedFace {
  readonly faceId: string;
  readonly reason: string;
}

/** Someone associated the face since it was handed over: its user holds it now. */
const heldByAUser = "ASSOCIATED_TO_AN_EXISTING_USER";

const heldByUser = (why: NotDeleted): boolean => "reasons" in why && why.reasons.includes(heldByAUser);

/**
 * Deletes retired faces, batched with every other deletion of the run
 * (../runtime/face-deletions.ts). A face a declaration of this deployment
 * took over, or that a user holds, is its holder's now: left alone and
 * `released`, not failed. (A shard's claim on its recorded photos is no such
 * hold: it covers the very photos a run replaces.) A face already gone
 * counts as deleted.
 */
export async function deleteRetired(
  collectionId: string,
  faceIds: readonly string[],
): Promise<{ failed: NotDeletedFace[]; released: string[] }> {
  const takenOver = (faceId: string): boolean => isIndexedFaceTakenOver(collectionId, faceId);
  const notDeleted = [
    ...(await deleteFaces(
      collectionId,
      faceIds.filter((faceId) => !takenOver(faceId)),
    )),
  ];
  return {
    failed: notDeleted
      .filter(([, why]) => !heldByUser(why))
      .map(([faceId, why]) => ({
        faceId,
        reason:
          "error" in why
            ? `DeleteFaces failed: ${messageOf(why.error)}`
            : `${why.reasons.join(", ") || "UNKNOWN"}${why.userId ? ` (associated with user '${why.userId}')` : ""}`,
      })),
    released: [
      ...faceIds.filter(takenOver),
      ...notDeleted.filter(([, why]) => heldByUser(why)).map(([faceId]) => faceId),
    ],
  };
}

/** How many faces a message names in full. */
const namedFaces = 10;

/**
 * The words for retired faces that are still in the collection: `head` says
 * whose they are and how many, each of the first few gets its reason, and
 * `next` says what happens now.
 */
export function describeNotDeleted(head: string, failed: readonly NotDeletedFace[], next: string): string {
  const hidden = failed.length - namedFaces;
  return [
    head,
    ...failed.slice(0, namedFaces).map((f) => `  - ${f.faceId}: ${f.reason}`),
    ...(hidden > 0 ? [`  … and ${hidden} more`] : []),
    next,
  ].join("\n");
}
