/**
 * What the declarations of this deployment claim.
 *
 * One provider process serves every dynamic resource of a deployment, and the
 * engine checks each declared resource before any resource that the program
 * no longer declares is deleted. So when a resource is renamed, moved into a
 * component, or its roster is renamed, the new declaration has been checked by
 * the time the old one is deleted: the delete sees the claim and releases
 * nothing that the deployment still declares (docs/architecture.md, "What a
 * deployment declares").
 */
const claims = new Set<string>();
/** The faces each declared user holds: a list, not a set, since a user holds at most 100 and most hold one or two. */
const byUser = new Map<string, string[]>();
/** Collections that a declaration of this deployment uses (a user, faces, a photo in it). */
const inUse = new Set<string>();
/** Users whose ID a declaration of this deployment marks secret. */
const secretUsers = new Set<string>();

/** A bulk shard's people, by user ID. */
export type ShardPeople = Readonly<Record<string, unknown>>;
/** The people of every bulk shard checked, by collection. */
const shardPeople = new Map<string, ShardPeople[]>();
/** The recorded people of every bulk shard diffed, by collection. */
const shardRosters = new Map<string, unknown[]>();
/** IndexedFaces checked and claimed, by collection and label. */
const labelled = new Map<string, number>();

const key = (parts: readonly string[]): string => parts.join("\u0000");

/** A Collection declares its collection ID. */
export function claimCollection(collectionId: string): void {
  claims.add(key(["collection", collectionId]));
}

/** A User declares a user. */
export function claimUser(collectionId: string, userId: string): void {
  inUse.add(collectionId);
  claims.add(key(["user", collectionId, userId]));
}

/**
 * A bulk shard declares these people. Kept by reference, one entry a shard:
 * its check holds them for the run anyway (../bulk/declarations.ts), and only
 * a person's removal asks.
 */
export function declareShardPeople(collectionId: string, people: ShardPeople): void {
  inUse.add(collectionId);
  const declared = shardPeople.get(collectionId);
  if (declared) declared.push(people);
  else shardPeople.set(collectionId, [people]);
}

/** Whether a bulk shard of this deployment declares this person. */
export function isShardPerson(collectionId: string, userId: string): boolean {
  return (shardPeople.get(collectionId) ?? []).some((people) => Object.hasOwn(people, userId));
}

/**
 * A bulk shard has reconciled this person in this process: the faces it
 * manages for them are claimed (`claimFaces`, `claimIndexedFace`). One that
 * has not (settled, it reads no record) may hold any face of theirs.
 */
export function personReconciled(collectionId: string, userId: string): void {
  claims.add(key(["reconciled", collectionId, userId]));
}

export function isPersonReconciled(collectionId: string, userId: string): boolean {
  return claims.has(key(["reconciled", collectionId, userId]));
}

/**
 * A bulk shard's recorded people (its state's `roster`, as stored), seen by
 * its diff: what a shard that does not reconcile a person holds of them.
 * Kept by reference, one entry a shard; decoded only for a person asked about.
 */
export function recordShardRoster(collectionId: string, roster: unknown): void {
  const recorded = shardRosters.get(collectionId);
  if (recorded) recorded.push(roster);
  else shardRosters.set(collectionId, [roster]);
}

export function shardRostersOf(collectionId: string): readonly unknown[] {
  return shardRosters.get(collectionId) ?? [];
}

/** A bulk shard's diff ran in this process: a delete of it that follows is a replacement's, mid-run. */
export function shardDiffed(id: string): void {
  claims.add(key(["shard-diffed", id]));
}

export function wasShardDiffed(id: string): boolean {
  return claims.has(key(["shard-diffed", id]));
}

/**
 * An IndexedFace labelled with this user ID was checked (`declared`), or has
 * claimed its face by a diff or a create (`claimed`). Until every one checked
 * has claimed (`pulumi up --target` diffs only some), the faces of that user
 * are not known.
 */
export function countLabelled(collectionId: string, label: string, event: "declared" | "claimed"): void {
  const counted = key([event, collectionId, label]);
  labelled.set(counted, (labelled.get(counted) ?? 0) + 1);
}

export function haveLabelledClaimed(collectionId: string, label: string): boolean {
  return (
    (labelled.get(key(["claimed", collectionId, label])) ?? 0) >=
    (labelled.get(key(["declared", collectionId, label])) ?? 0)
  );
}

/** An association declares these faces for this user. */
export function claimFaces(collectionId: string, userId: string, faceIds: readonly string[]): void {
  inUse.add(collectionId);
  const userKey = key([collectionId, userId]);
  const faces = byUser.get(userKey);
  // A copy has just the room it needs; an array grown by pushes reserves more.
  if (!faces) byUser.set(userKey, [...new Set(faceIds)]);
  else for (const faceId of faceIds) if (!faces.includes(faceId)) faces.push(faceId);
}

export function isCollectionClaimed(collectionId: string): boolean {
  return claims.has(key(["collection", collectionId]));
}

export function isUserClaimed(collectionId: string, userId: string): boolean {
  return claims.has(key(["user", collectionId, userId]));
}

/** Whether a declaration of this deployment gives the face to this user. */
export function isFaceClaimed(collectionId: string, userId: string, faceId: string): boolean {
  return byUser.get(key([collectionId, userId]))?.includes(faceId) ?? false;
}

/** A declaration marks this user's ID secret: other resources must not print it either. */
export function claimSecretUser(collectionId: string, userId: string): void {
  secretUsers.add(key([collectionId, userId]));
}

/** Whether a declaration of this deployment marks this user's ID secret. */
export function isUserSecret(collectionId: string, userId: string): boolean {
  return secretUsers.has(key([collectionId, userId]));
}

/** Whether any association of this deployment declared this user. */
export function isUserDeclared(collectionId: string, userId: string): boolean {
  return byUser.has(key([collectionId, userId]));
}

/** An IndexedFace of this deployment holds this face (seen by `diff`, or made or taken by `create`). */
export function claimIndexedFace(collectionId: string, faceId: string, by: "diff" | "create" = "diff"): void {
  inUse.add(collectionId);
  claims.add(key(["indexed-face", collectionId, faceId]));
  if (by === "create") claims.add(key(["indexed-face-created", collectionId, faceId]));
}

export function isIndexedFaceClaimed(collectionId: string, faceId: string): boolean {
  return claims.has(key(["indexed-face", collectionId, faceId]));
}

/**
 * A bulk shard handed this face over to its roster's RetiredFaces, which
 * deletes it: no photo takes it back as left behind.
 */
export function claimHandedOver(collectionId: string, faceId: string): void {
  claims.add(key(["handed-over", collectionId, faceId]));
}

/** Whether a declaration of this deployment holds the face, or a shard handed it over for deletion. */
export function isFaceHeld(collectionId: string, faceId: string): boolean {
  return isIndexedFaceClaimed(collectionId, faceId) || claims.has(key(["handed-over", collectionId, faceId]));
}

/** Whether a create of this deployment made or took the face: an old resource's delete leaves it. */
export function isIndexedFaceTakenOver(collectionId: string, faceId: string): boolean {
  return claims.has(key(["indexed-face-created", collectionId, faceId]));
}

/** Whether any declaration of this deployment uses the collection. */
export function isCollectionInUse(collectionId: string): boolean {
  return inUse.has(collectionId);
}

/** For tests: forget every claim. */
export function resetClaims(): void {
  claims.clear();
  byUser.clear();
  inUse.clear();
  secretUsers.clear();
  shardPeople.clear();
  shardRosters.clear();
  labelled.clear();
}
