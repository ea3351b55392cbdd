import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { isNotFound } from "./errors.js";
import {
  facePageSize,
  facesByUser,
  planFaceReads,
  readersWorthScanning,
  type CollectionSize,
  type ListedFace,
} from "./face-read-plan.js";
import { describeCollection, listFaces, listFacesPages, unlessNotFound } from "./rekognition.js";
import { sharedUserStatus } from "./user-statuses.js";
import { PerCollection } from "./per-collection.js";

/**
 * Each user's faces for the association reads of one refresh.
 *
 * A refresh reads every association at nearly the same moment. Reads of one
 * collection that arrive within `quietMs` of each other (for at most
 * `longestBatchMs`) form a batch. A lone reader lists its user's faces
 * (ListFaces with UserId). From the second reader on, the collection is
 * listed instead: a face carries its UserId, so one paginated ListFaces
 * answers every user. Its first page tells whether that pays: a collection of
 * one page is read whole by that call; a larger one (DescribeCollection sizes
 * it, once) is read whole only while the readers outnumber its pages, and
 * user by user otherwise. Reads arriving within `shareWindowMs` of a scan
 * share it. Each `pulumi` command starts a new provider process, so nothing
 * is shared across commands.
 */
const quietMs = 50;
const longestBatchMs = 250;
const shareWindowMs = 10_000;

interface Reader {
  readonly userId: string;
  readonly resolve: (faces: string[] | undefined) => void;
  readonly reject: (err: unknown) => void;
}

interface Scan {
  readonly started: number;
  /** Each user's faces; undefined when the collection is gone. */
  readonly faces: Promise<ReadonlyMap<string, readonly string[]> | undefined>;
}

interface CollectionReads {
  batch?: Reader[];
  batchStarted: number;
  timer?: NodeJS.Timeout;
  /** Readers since the last scan, or since the first read. */
  readersSinceScan: number;
  /** The size of a collection of several pages: one DescribeCollection a process. */
  size?: CollectionSize;
  /** Settles when the last batch's way of reading is decided. */
  deciding?: Promise<void>;
  scan?: Scan;
}

const collections = new PerCollection<CollectionReads>();

/**
 * The user's face IDs, sorted; undefined when the user or its collection is
 * gone (a user with no faces gets []).
 */
export function sharedUserFaces(
  client: RekognitionClient,
  collectionId: string,
  userId: string,
): Promise<string[] | undefined> {
  const reads = readsOf(client, collectionId);
  const scan = recentScan(reads);
  if (scan) return fromScan(client, collectionId, scan, userId);

  return new Promise((resolve, reject) => {
    if (!reads.batch) {
      reads.batch = [];
      reads.batchStarted = Date.now();
    }
    reads.batch.push({ userId, resolve, reject });
    clearTimeout(reads.timer);
    const wait = Math.min(quietMs, reads.batchStarted + longestBatchMs - Date.now());
    reads.timer = setTimeout(
      () => {
        const readers = reads.batch ?? [];
        reads.batch = undefined;
        reads.timer = undefined;
        serve(client, collectionId, reads, readers);
      },
      Math.max(0, wait),
    );
  });
}

/** One user's face IDs, sorted, from ListFaces with its UserId; undefined when
 * the user or its collection is gone. */
export async function userFaces(
  client: RekognitionClient,
  collectionId: string,
  userId: string,
): Promise<string[] | undefined> {
  const ids: string[] = [];
  try {
    for await (const page of listFacesPages(client, { CollectionId: collectionId, UserId: userId })) {
      for (const face of page.Faces ?? []) if (face.FaceId) ids.push(face.FaceId);
    }
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return ids.sort();
}

function readsOf(client: RekognitionClient, collectionId: string): CollectionReads {
  return collections.entry(client, collectionId, () => ({ batchStarted: 0, readersSinceScan: 0 }));
}

function recentScan(reads: CollectionReads): Scan | undefined {
  return reads.scan && Date.now() - reads.scan.started <= shareWindowMs ? reads.scan : undefined;
}

type Decision = { readonly scan: Scan } | { readonly plan: "per-user" | "collection-gone" };

/** Answers a batch once its way of reading is decided. Decisions on one
 * collection are taken one after another, so that a batch arriving while the
 * previous one sizes the collection joins the scan that one starts. */
function serve(
  client: RekognitionClient,
  collectionId: string,
  reads: CollectionReads,
  readers: readonly Reader[],
): void {
  const decision = decide(client, collectionId, reads, readers.length, reads.deciding);
  reads.deciding = decision.then(
    () => undefined,
    () => undefined,
  );
  decision.then(
    (decided) => {
      for (const { userId, resolve, reject } of readers) {
        const faces =
          "scan" in decided
            ? fromScan(client, collectionId, decided.scan, userId)
            : decided.plan === "per-user"
              ? userFaces(client, collectionId, userId)
              : Promise.resolve(undefined);
        faces.then(resolve, reject);
      }
    },
    (err: unknown) => {
      for (const reader of readers) reader.reject(err);
    },
  );
}

async function decide(
  client: RekognitionClient,
  collectionId: string,
  reads: CollectionReads,
  readers: number,
  previous: Promise<void> | undefined,
): Promise<Decision> {
  await previous;
  const running = recentScan(reads);
  if (running) return { scan: running };

  // The engine hands reads over a few at a time (its --parallel), so the
  // choice counts every reader since the last scan, not only this batch.
  reads.readersSinceScan += readers;
  if (reads.readersSinceScan < readersWorthScanning) return { plan: "per-user" };

  let start: PageStart = {};
  if (!reads.size) {
    // The first page of the scan is also the probe: most collections fit in it.
    const first = await firstPage(client, collectionId);
    if (first === undefined) return { plan: "collection-gone" };
    if (first.nextToken === undefined)
      return { scan: share(reads, Promise.resolve(facesByUser(first.faces))) };
    const size = await sizeOf(client, collectionId);
    if (size === undefined) return { plan: "collection-gone" };
    reads.size = size;
    start = first;
  }
  if (planFaceReads(reads.readersSinceScan, reads.size) === "per-user") return { plan: "per-user" };
  return { scan: share(reads, scanFaces(client, collectionId, start)) };
}

function share(reads: CollectionReads, faces: Scan["faces"]): Scan {
  const scan: Scan = { started: Date.now(), faces };
  reads.scan = scan;
  reads.readersSinceScan = 0;
  // A failed scan is not shared: the next read tries again.
  faces.catch(() => {
    if (reads.scan === scan) reads.scan = undefined;
  });
  return scan;
}

/** Where a scan starts: from scratch, or after a page already read. */
interface PageStart {
  readonly faces?: readonly ListedFace[];
  readonly nextToken?: string;
}

async function firstPage(
  client: RekognitionClient,
  collectionId: string,
): Promise<{ faces: ListedFace[]; nextToken?: string } | undefined> {
  const page = await unlessNotFound(
    listFaces(client, { CollectionId: collectionId, MaxResults: facePageSize }),
  );
  if (!page) return undefined;
  return { faces: page.Faces ?? [], ...(page.NextToken && { nextToken: page.NextToken }) };
}

async function sizeOf(client: RekognitionClient, collectionId: string): Promise<CollectionSize | undefined> {
  const out = await unlessNotFound(describeCollection(client, { CollectionId: collectionId }));
  return out && { faceCount: out.FaceCount ?? 0, userCount: out.UserCount ?? 0 };
}

async function scanFaces(
  client: RekognitionClient,
  collectionId: string,
  start: PageStart,
): Promise<ReadonlyMap<string, readonly string[]> | undefined> {
  // Only associated faces are kept: a collection may hold millions of others.
  const associated: ListedFace[] = (start.faces ?? []).filter((face) => face.UserId);
  try {
    for await (const page of listFacesPages(client, { CollectionId: collectionId }, start.nextToken)) {
      for (const face of page.Faces ?? []) if (face.UserId) associated.push(face);
    }
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return facesByUser(associated);
}

async function fromScan(
  client: RekognitionClient,
  collectionId: string,
  scan: Scan,
  userId: string,
): Promise<string[] | undefined> {
  const faces = await scan.faces;
  if (faces === undefined) return undefined;
  const own = faces.get(userId);
  if (own) return [...own];
  // No face names this user: it has none, or it is gone. The users' shared
  // ListUsers scan (which User reads of the same refresh use too) tells which.
  try {
    return (await sharedUserStatus(client, collectionId, userId)) === undefined ? undefined : [];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
