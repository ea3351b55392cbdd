import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { listUsersPages } from "./rekognition.js";
import { PerCollection } from "./per-collection.js";

/**
 * Every user's status in a collection, from one paginated ListUsers scan.
 *
 * Rekognition has no call that describes one user, so reading a user means
 * scanning its collection. A refresh reads every User of a roster at nearly
 * the same moment: they share one scan per collection, started at most
 * `shareWindowMs` earlier, instead of each scanning the whole collection.
 * Each `pulumi` command starts a new provider process, so nothing is shared
 * across commands.
 */
const shareWindowMs = 10_000;

interface Scan {
  readonly started: number;
  readonly statuses: Promise<ReadonlyMap<string, string | undefined>>;
}

const scans = new PerCollection<Scan>();

export async function sharedUserStatus(
  client: RekognitionClient,
  collectionId: string,
  userId: string,
): Promise<string | undefined> {
  return (await sharedUserScan(client, collectionId)).get(userId);
}

/** Every user's status in the collection, from a scan shared with the reads started at most `shareWindowMs` earlier. */
export async function sharedUserScan(
  client: RekognitionClient,
  collectionId: string,
  maxAgeMs = shareWindowMs,
): Promise<ReadonlyMap<string, string | undefined>> {
  const byCollection = scans.of(client);
  const shared = byCollection.get(collectionId);
  if (shared && Date.now() - shared.started <= maxAgeMs) return shared.statuses;

  const scan: Scan = { started: Date.now(), statuses: scanUsers(client, collectionId) };
  byCollection.set(collectionId, scan);
  try {
    return await scan.statuses;
  } catch (err) {
    // A failed scan is not shared: the next read tries again.
    if (byCollection.get(collectionId) === scan) byCollection.delete(collectionId);
    throw err;
  }
}

/** Every user's status in the collection now: one paginated ListUsers scan. */
export async function scanUsers(
  client: RekognitionClient,
  collectionId: string,
): Promise<ReadonlyMap<string, string | undefined>> {
  const statuses = new Map<string, string | undefined>();
  for await (const page of listUsersPages(client, { CollectionId: collectionId })) {
    for (const user of page.Users ?? []) if (user.UserId) statuses.set(user.UserId, user.UserStatus);
  }
  return statuses;
}
