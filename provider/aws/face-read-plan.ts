/**
 * How a batch of association reads on one collection gets its faces: the pure
 * decision behind ./face-batch.ts.
 */

/** ListFaces' largest page. */
export const facePageSize = 4096;
/** ListUsers' largest page. */
export const userPageSize = 500;

/**
 * A lone reader lists its own user's faces: one call, which no scan beats.
 * From two readers on, listing the collection costs one call when it fits in
 * one page, which is the common case.
 */
export const readersWorthScanning = 2;

export interface CollectionSize {
  readonly faceCount: number;
  readonly userCount: number;
}

export type FaceReadPlan = "per-user" | "collection-scan";

/**
 * The calls a collection scan costs: every ListFaces page, and every ListUsers
 * page (a user with no faces must be told apart from a user that is gone).
 */
export function scanCalls(size: CollectionSize): number {
  return (
    Math.max(1, Math.ceil(size.faceCount / facePageSize)) +
    Math.max(1, Math.ceil(size.userCount / userPageSize))
  );
}

/**
 * One ListFaces per reader, unless the readers (every one since the last
 * scan) outnumber the scan's pages.
 */
export function planFaceReads(readers: number, size: CollectionSize): FaceReadPlan {
  return readers > scanCalls(size) ? "collection-scan" : "per-user";
}

export interface ListedFace {
  readonly FaceId?: string;
  readonly UserId?: string;
}

/** Each user's face IDs, sorted, from a listing of the collection's faces. */
export function facesByUser(faces: Iterable<ListedFace>): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const { FaceId, UserId } of faces) {
    if (!FaceId || !UserId) continue;
    const ids = byUser.get(UserId);
    if (ids) ids.push(FaceId);
    else byUser.set(UserId, [FaceId]);
  }
  for (const ids of byUser.values()) ids.sort();
  return byUser;
}
