/**
 * What this process wrote to each collection, in one order with the scans of
 * ./collection-view.ts: a scan and a write each take the next number of one
 * process-wide count, so "the scan started after the write" is a comparison
 * of two numbers, never of two clock readings. The gateway
 * (./rekognition.ts) records every write when its call settles, answered or
 * failed (a failed call may have been applied), so a scan that raced a write
 * counts as older than it.
 *
 * Kept by collection ID, whichever client wrote: IndexFaces goes through a
 * client without the SDK's retries, and its writes concern every view of the
 * collection all the same.
 */

// Process-wide: the order of this process's writes (one command), which every view reads.
let count = 0;

/** The next number of the process-wide order: a scan's start, or a write. */
export function nextMark(): number {
  return ++count;
}

/** The current point of the order: every scan or write from now on is after it. */
export function currentMark(): number {
  return count;
}

/** What one write can change in what a scan shows. */
export type WriteConcern =
  /** CreateUser, DeleteUser, AssociateFaces, DisassociateFaces: the user's status and faces. */
  | { readonly user: string }
  /** IndexFaces: faces with that label (ExternalImageId) appear. */
  | { readonly label: string }
  /** DeleteFaces: those faces go (only faces that no user holds can be deleted). */
  | { readonly faces: readonly string[] }
  /** CreateCollection, DeleteCollection: everything. */
  | { readonly collection: true };

interface Written {
  collection: number;
  /** Each user's writes, in order. */
  readonly users: Map<string, number[]>;
  readonly labels: Map<string, number[]>;
  /** Each deleted face's last DeleteFaces. */
  readonly faces: Map<string, number>;
}

// Process-wide, by collection ID: what this process wrote, for every view of the collection.
const written = new Map<string, Written>();

function of(collectionId: string): Written {
  let entry = written.get(collectionId);
  if (!entry) {
    entry = { collection: 0, users: new Map(), labels: new Map(), faces: new Map() };
    written.set(collectionId, entry);
  }
  return entry;
}

export function recordWrite(collectionId: string | undefined, concern: WriteConcern): void {
  if (!collectionId) return;
  const entry = of(collectionId);
  const mark = nextMark();
  if ("collection" in concern) entry.collection = mark;
  else if ("user" in concern) append(entry.users, concern.user, mark);
  else if ("label" in concern) append(entry.labels, concern.label, mark);
  else for (const faceId of concern.faces) entry.faces.set(faceId, mark);
}

function append(marks: Map<string, number[]>, key: string, mark: number): void {
  const list = marks.get(key);
  if (list) list.push(mark);
  else marks.set(key, [mark]);
}

/** What a read asks about: users (their statuses and faces), and photo labels. */
export interface ReadConcern {
  readonly users: Iterable<string>;
  readonly labels?: Iterable<string>;
}

/**
 * The last write concerning `asked`, made no later than `asOf` (by default,
 * any so far); 0 when there is none. Deleted faces are not counted here: only
 * a scan can tell whose label a deleted face carried (`facesDeletedAfter`).
 */
export function lastWrite(collectionId: string, asked: ReadConcern, asOf = Infinity): number {
  const entry = written.get(collectionId);
  if (!entry) return 0;
  let last = entry.collection <= asOf ? entry.collection : 0;
  const consider = (marks: number[] | undefined) => {
    if (!marks) return;
    for (let i = marks.length - 1; i >= 0; i--) {
      if (marks[i]! > asOf) continue;
      last = Math.max(last, marks[i]!);
      return;
    }
  };
  for (const userId of asked.users) consider(entry.users.get(userId));
  for (const label of asked.labels ?? []) consider(entry.labels.get(label));
  return last;
}

/** The faces deleted after `mark`. */
export function* facesDeletedAfter(collectionId: string, mark: number): Iterable<string> {
  for (const [faceId, deleted] of written.get(collectionId)?.faces ?? []) if (deleted > mark) yield faceId;
}
