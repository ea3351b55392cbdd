/**
 * What the declarations of this deployment claim.
 *
 * One provider process serves every dynamic resource of a deployment, and the
 * engine checks each declared resource before any resource that the program
 * no longer declares is deleted. So when a resource is renamed, moved into a
 * component, or its roster is renamed, the new declaration has been checked by
 * the time the old one is deleted: the delete sees the claim and releases
 * nothing that the deployment still declares (DESIGN.md, decision 7).
 */
export type ClaimKind = "collection" | "user" | "face" | "indexed-face";

const claims = new Set<string>();
const byUser = new Map<string, Set<string>>();

const key = (parts: readonly string[]): string => parts.join("\u0000");

/** A Collection declares its collection ID. */
export function claimCollection(collectionId: string): void {
  claims.add(key(["collection", collectionId]));
}

/** A User declares a user. */
export function claimUser(collectionId: string, userId: string): void {
  claims.add(key(["user", collectionId, userId]));
}

/** An association declares these faces for this user. */
export function claimFaces(collectionId: string, userId: string, faceIds: Iterable<string>): void {
  const userKey = key([collectionId, userId]);
  let faces = byUser.get(userKey);
  if (!faces) byUser.set(userKey, (faces = new Set()));
  for (const faceId of faceIds) faces.add(faceId);
}

export function isCollectionClaimed(collectionId: string): boolean {
  return claims.has(key(["collection", collectionId]));
}

export function isUserClaimed(collectionId: string, userId: string): boolean {
  return claims.has(key(["user", collectionId, userId]));
}

/** Whether a declaration of this deployment gives the face to this user. */
export function isFaceClaimed(collectionId: string, userId: string, faceId: string): boolean {
  return byUser.get(key([collectionId, userId]))?.has(faceId) ?? false;
}

/** Whether any association of this deployment declared this user. */
export function isUserDeclared(collectionId: string, userId: string): boolean {
  return byUser.has(key([collectionId, userId]));
}

/** An IndexedFace of this deployment holds this face. */
export function claimIndexedFace(collectionId: string, faceId: string): void {
  claims.add(key(["indexed-face", collectionId, faceId]));
}

export function isIndexedFaceClaimed(collectionId: string, faceId: string): boolean {
  return claims.has(key(["indexed-face", collectionId, faceId]));
}

/** For tests: forget every claim. */
export function resetClaims(): void {
  claims.clear();
  byUser.clear();
}
