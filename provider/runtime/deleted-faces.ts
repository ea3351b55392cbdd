/**
 * Faces that a RetiredFaces resource of this deployment (../retired/) records
 * as deleted. A destroy deletes that resource before its roster's shards (it
 * depends on them), so a shard's delete leaves out the faces it handed over
 * that are already gone: they would only fill the DeleteFaces batches.
 */

// Process-wide by design: one command's resources share what they know.
const deleted = new Map<string, Set<string>>();

export function recordDeletedFaces(collectionId: string, faceIds: Iterable<string>): void {
  let faces = deleted.get(collectionId);
  if (!faces) deleted.set(collectionId, (faces = new Set()));
  for (const faceId of faceIds) faces.add(faceId);
}

export function isKnownDeleted(collectionId: string, faceId: string): boolean {
  return deleted.get(collectionId)?.has(faceId) ?? false;
}

/** For tests: nothing known. */
export function resetDeletedFaces(): void {
  deleted.clear();
}
