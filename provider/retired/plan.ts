import { byCodeUnit } from "../order.js";
import type { RetiredFacesState } from "./model.js";

/**
 * The faces of `given` to delete now: those the state does not record as
 * deleted (new ones, and those a failed deletion left). A face the shards
 * stop handing over is gone already (a shard drops it once a scan shows
 * that), so it asks for nothing.
 */
export function facesToDelete(recorded: RetiredFacesState | undefined, given: readonly string[]): string[] {
  if (!recorded) return [...given];
  const known = new Set(recorded.faces);
  const remaining = new Set(recorded.remaining);
  return given.filter((faceId) => !known.has(faceId) || remaining.has(faceId));
}

/** The faces the state records as deleted. */
export function deletedFaces(recorded: RetiredFacesState): string[] {
  const notDeleted = new Set([...recorded.remaining, ...(recorded.released ?? [])]);
  return recorded.faces.filter((faceId) => !notDeleted.has(faceId));
}

/** The faces of `given` left to a holder: those released before, and those released now. */
export function releasedFaces(
  recorded: RetiredFacesState | undefined,
  given: readonly string[],
  now: readonly string[],
): string[] {
  const still = new Set(given);
  const before = (recorded?.released ?? []).filter((faceId) => still.has(faceId));
  return [...new Set([...before, ...now])].sort(byCodeUnit);
}
