import { paginateListUsers, type RekognitionClient } from "@aws-sdk/client-rekognition";
import { setTimeout as sleep } from "node:timers/promises";

/** The user's status as ListUsers reports it, or undefined if it is gone. */
export async function userStatus(
  client: RekognitionClient,
  collectionId: string,
  userId: string,
): Promise<string | undefined> {
  for await (const page of paginateListUsers({ client, pageSize: 500 }, { CollectionId: collectionId })) {
    const user = page.Users?.find((u) => u.UserId === userId);
    if (user) return user.UserStatus;
  }
  return undefined;
}

export class ActiveTimeoutError extends Error {}

/**
 * Waits until the user is ACTIVE (every change applied, searchable), polling
 * with a growing interval. Rekognition says an association "may take a minute
 * or so"; `timeoutMs` bounds the wait.
 */
export async function waitUntilActive(
  client: RekognitionClient,
  collectionId: string,
  userId: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let interval = 250;
  for (;;) {
    const status = await userStatus(client, collectionId, userId);
    // CREATED is settled too: a user whose faces were all removed returns to it.
    if (status === "ACTIVE" || status === "CREATED" || status === undefined) return status ?? "MISSING";
    if (Date.now() + interval > deadline) {
      throw new ActiveTimeoutError(
        `user '${userId}' in collection '${collectionId}' was still ${status} after ${Math.round(timeoutMs / 1000)} s: ` +
          "its faces are associated; raise activeTimeoutSeconds, or set waitForActive: false",
      );
    }
    await sleep(interval);
    interval = Math.min(interval * 2, 5_000);
  }
}
