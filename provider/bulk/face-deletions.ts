import { operationsInFlight } from "../activity.js";
import { client } from "../aws/configured.js";
import { isNotFound } from "../aws/errors.js";
import * as rekognition from "../aws/rekognition.js";

/** Why a face was not deleted: Rekognition's reasons (and the user holding it), or the call's error. */
export type NotDeleted =
  { readonly reasons: readonly string[]; readonly userId?: string } | { readonly error: unknown };

/** Most face IDs one DeleteFaces takes. */
const facesPerCall = 4096;
/** Never hold a deletion longer than this waiting for other shards. */
const longestWaitMs = 30_000;

interface Pending {
  readonly faceId: string;
  readonly done: (outcome: NotDeleted | undefined) => void;
}

const queues = new Map<string, Pending[]>();
let waiting = 0;
let firstQueuedAt = 0;
let timer: NodeJS.Timeout | undefined;

/**
 * Deletes faces of a collection, batched with the deletions of every other
 * shard of this process: a destroy of 16 shards sends ⌈faces ÷ 4,096⌉
 * DeleteFaces, not one a shard. A batch leaves when it is full, or once every
 * operation in flight is waiting here (no other shard has faces to add), or
 * after 30 s. Resolves with the faces that were not deleted (a face already
 * gone counts as deleted).
 */
export async function deleteFaces(
  collectionId: string,
  faceIds: readonly string[],
): Promise<Map<string, NotDeleted>> {
  if (faceIds.length === 0) return new Map();
  let queue = queues.get(collectionId);
  if (!queue) queues.set(collectionId, (queue = []));
  if (waiting === 0 && [...queues.values()].every((q) => q.length === 0)) firstQueuedAt = Date.now();
  const outcomes = faceIds.map(
    (faceId) =>
      new Promise<[string, NotDeleted | undefined]>((resolve) =>
        queue.push({ faceId, done: (o) => resolve([faceId, o]) }),
      ),
  );
  waiting++;
  schedule();
  try {
    const settled = await Promise.all(outcomes);
    return new Map(settled.filter((entry): entry is [string, NotDeleted] => entry[1] !== undefined));
  } finally {
    waiting--;
  }
}

function schedule(): void {
  timer ??= setTimeout(() => {
    timer = undefined;
    void flush();
  }, 50);
}

async function flush(): Promise<void> {
  const everyoneWaits = operationsInFlight() <= waiting;
  const overdue = Date.now() - firstQueuedAt >= longestWaitMs;
  const sends: Promise<void>[] = [];
  for (const [collectionId, queue] of queues) {
    while (queue.length >= facesPerCall || (queue.length > 0 && (everyoneWaits || overdue))) {
      sends.push(send(collectionId, queue.splice(0, facesPerCall)));
    }
  }
  if ([...queues.values()].some((q) => q.length > 0)) schedule();
  await Promise.all(sends);
}

async function send(collectionId: string, batch: readonly Pending[]): Promise<void> {
  try {
    const out = await rekognition.deleteFaces(client(), {
      CollectionId: collectionId,
      FaceIds: batch.map((p) => p.faceId),
    });
    const unsuccessful = new Map((out.UnsuccessfulFaceDeletions ?? []).map((u) => [u.FaceId, u]));
    for (const pending of batch) {
      const failed = unsuccessful.get(pending.faceId);
      const reasons = failed?.Reasons ?? [];
      pending.done(
        !failed || reasons.every((r) => r === "FACE_NOT_FOUND")
          ? undefined
          : { reasons, ...(failed.UserId && { userId: failed.UserId }) },
      );
    }
  } catch (err) {
    // The collection is gone, and its faces with it.
    for (const pending of batch) pending.done(isNotFound(err) ? undefined : { error: err });
  }
}
