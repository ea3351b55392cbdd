import { checksInFlight, lastActivityAt, notify, operationsInFlight } from "./activity.js";
import { decideWhen, type Decision } from "./quiet.js";
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
/**
 * How long all must be still before a batch that is not full leaves: the
 * engine checks and starts the shards of a run one after another (and holds
 * some back under `--parallel`), so a moment without any start, end or check
 * is what says no other shard is about to queue faces.
 */
const stillMs = 250;

interface Pending {
  readonly faceId: string;
  readonly done: (outcome: NotDeleted | undefined) => void;
}

interface Batcher {
  readonly queues: Map<string, Pending[]>;
  /** Operations waiting for their deletions. */
  waiting: number;
  firstQueuedAt: number;
  draining: boolean;
}

const fresh = (): Batcher => ({ queues: new Map(), waiting: 0, firstQueuedAt: 0, draining: false });

// Process-wide by design: the shards of one command share their DeleteFaces.
let batcher = fresh();

/**
 * Deletes faces of a collection, batched with the deletions of every other
 * shard of this process: a destroy of 16 shards sends ⌈faces ÷ 4,096⌉
 * DeleteFaces, not one a shard. A batch leaves when it is full, or once every
 * operation in flight is waiting here, no declaration is being checked and
 * all has been still for a moment, or after 30 s. Resolves with
 * the faces that were not deleted (a face already gone counts as deleted).
 */
export async function deleteFaces(
  collectionId: string,
  faceIds: readonly string[],
): Promise<Map<string, NotDeleted>> {
  if (faceIds.length === 0) return new Map();
  const state = batcher;
  let queue = state.queues.get(collectionId);
  if (!queue) state.queues.set(collectionId, (queue = []));
  if (state.waiting === 0 && queued(state) === 0) state.firstQueuedAt = Date.now();
  const outcomes = faceIds.map(
    (faceId) =>
      new Promise<[string, NotDeleted | undefined]>((resolve) =>
        queue.push({ faceId, done: (o) => resolve([faceId, o]) }),
      ),
  );
  state.waiting++;
  if (!state.draining) void drain(state);
  notify();
  try {
    const settled = await Promise.all(outcomes);
    return new Map(settled.filter((entry): entry is [string, NotDeleted] => entry[1] !== undefined));
  } finally {
    state.waiting--;
  }
}

const queued = (state: Batcher): number => [...state.queues.values()].reduce((n, q) => n + q.length, 0);

/** Sends batches as they become due, while any face is queued. */
async function drain(state: Batcher): Promise<void> {
  state.draining = true;
  try {
    while (queued(state) > 0) {
      const batches = await decideWhen(() => dueBatches(state));
      // Sent without waiting: the next batch may be due before this one returns.
      for (const [collectionId, batch] of batches) void send(collectionId, batch);
    }
  } finally {
    state.draining = false;
  }
}

/** The batches due now, or when to look again. */
function dueBatches(state: Batcher): Decision<[string, Pending[]][]> {
  const overdueAt = state.firstQueuedAt + longestWaitMs;
  const everyoneWaits = operationsInFlight() <= state.waiting;
  const now = Date.now();
  const stillAt = lastActivityAt() + stillMs;
  const release = (everyoneWaits && checksInFlight() === 0 && now >= stillAt) || now >= overdueAt;
  // A check in flight ends with an event; otherwise look again once all would be still.
  const lookAt = everyoneWaits && checksInFlight() === 0 ? Math.min(stillAt, overdueAt) : overdueAt;
  const batches: [string, Pending[]][] = [];
  for (const [collectionId, queue] of state.queues) {
    while (queue.length >= facesPerCall || (queue.length > 0 && release)) {
      batches.push([collectionId, queue.splice(0, facesPerCall)]);
    }
  }
  return batches.length > 0 ? { answer: batches } : { lookAt };
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

/** For tests: nothing queued. */
export function resetFaceDeletions(): void {
  batcher = fresh();
}
