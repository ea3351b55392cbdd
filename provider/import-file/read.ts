/**
 * The effectful half of the import-file command: paged reads of one
 * collection through the gateway, and no writes.
 */
import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { facesOfUsers, scanFaces } from "../aws/collection-reads.js";
import { describeCollection, listFacesPages, listUsersPages, unlessNotFound } from "../aws/rekognition.js";
import type { CollectionContents, ListedUser } from "./model.js";
import { chooseFaceReads, type FaceReads } from "./plan.js";

/** A progress line for a person watching a large collection being read. */
export type Progress = (line: string) => void;

/** Progress is told once per this many users. */
export const PROGRESS_EVERY = 1_000;

/** ListFaces calls in flight when each user is listed on its own. */
const perUserConcurrency = 4;

export interface ReadOptions {
  readonly progress?: Progress;
  /** How to read the faces; by default, whichever makes fewer calls. */
  readonly faceReads?: FaceReads;
}

export interface CollectionRead {
  readonly contents: CollectionContents;
  readonly faceReads: FaceReads;
}

/**
 * Every user of the collection and the faces associated with each: one
 * DescribeCollection (its size decides how faces are read), ListUsers pages
 * of 500, then ListFaces. Undefined when the collection does not exist.
 * A user deleted while it is read is left out; one created meanwhile may be.
 */
export async function readCollection(
  client: RekognitionClient,
  collectionId: string,
  options: ReadOptions = {},
): Promise<CollectionRead | undefined> {
  const progress = options.progress ?? (() => {});
  const described = await unlessNotFound(describeCollection(client, { CollectionId: collectionId }));
  if (!described) return undefined;

  const userIds = await unlessNotFound(listUserIds(client, collectionId, progress));
  if (!userIds) return undefined;

  const faceReads = options.faceReads ?? chooseFaceReads(userIds.length, described.FaceCount ?? 0);
  if (userIds.length === 0) return { contents: { collectionId, users: [] }, faceReads };
  const users =
    faceReads === "collection-scan"
      ? await facesFromScan(client, collectionId, userIds)
      : await facesPerUser(client, collectionId, userIds, progress);
  return users && { contents: { collectionId, users }, faceReads };
}

async function listUserIds(client: RekognitionClient, collectionId: string, progress: Progress) {
  const ids: string[] = [];
  for await (const page of listUsersPages(client, { CollectionId: collectionId })) {
    for (const user of page.Users ?? []) {
      if (!user.UserId) continue;
      ids.push(user.UserId);
      if (ids.length % PROGRESS_EVERY === 0) progress(`${ids.length.toLocaleString("en")} users listed`);
    }
  }
  return ids;
}

/** One ListFaces of the whole collection, grouped by UserId. */
async function facesFromScan(
  client: RekognitionClient,
  collectionId: string,
  userIds: readonly string[],
): Promise<ListedUser[] | undefined> {
  const scan = await scanFaces(client, collectionId);
  if (!scan) return undefined;
  const byUser = facesOfUsers(scan);
  return userIds.map((userId) => ({ userId, faceIds: byUser.get(userId) ?? [] }));
}

/** ListFaces with UserId, a few users at a time. */
async function facesPerUser(
  client: RekognitionClient,
  collectionId: string,
  userIds: readonly string[],
  progress: Progress,
): Promise<ListedUser[]> {
  const found: (ListedUser | undefined)[] = new Array<ListedUser | undefined>(userIds.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < userIds.length) {
      const i = next++;
      const userId = userIds[i]!;
      const faceIds = await unlessNotFound(userFaces(client, collectionId, userId));
      // Not found: the user (or the whole collection) was deleted since it was listed.
      if (faceIds) found[i] = { userId, faceIds };
      if (++done % PROGRESS_EVERY === 0) {
        progress(
          `faces of ${done.toLocaleString("en")} of ${userIds.length.toLocaleString("en")} users read`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(perUserConcurrency, userIds.length) }, worker));
  return found.filter((u): u is ListedUser => u !== undefined);
}

async function userFaces(client: RekognitionClient, collectionId: string, userId: string) {
  const ids: string[] = [];
  for await (const page of listFacesPages(client, { CollectionId: collectionId, UserId: userId })) {
    for (const face of page.Faces ?? []) if (face.FaceId) ids.push(face.FaceId);
  }
  return ids.sort();
}
