import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import {
  collectionSize,
  firstFacePage,
  userFaces,
  type CollectionFaces,
  type FacePage,
} from "./collection-reads.js";
import { isNotFound } from "./errors.js";
import { planFaceReads, readersWorthScanning, type CollectionSize } from "./face-read-plan.js";
import { nextMark } from "./write-log.js";

/**
 * Each user's faces for the association reads of a refresh or an import, on
 * behalf of a collection's view (./collection-view.ts), whose freshness rule
 * decides when a scan answers.
 *
 * A refresh reads every association at nearly the same moment. Reads that
 * arrive within `quietMs` of each other (for at most `longestBatchMs`) form a
 * batch. A lone reader lists its user's faces (ListFaces with UserId). From
 * the second reader on, the collection is listed instead: a face carries its
 * UserId, so one paginated ListFaces answers every user. Its first page tells
 * whether that pays: a collection of one page is read whole by that call; a
 * larger one (DescribeCollection sizes it, once a process: the size only
 * chooses how to read) is read whole only while the readers outnumber its
 * pages (./face-read-plan.ts), and user by user otherwise.
 */
const quietMs = 50;
const longestBatchMs = 250;

/** A ListFaces scan as the view shares it. */
export interface FaceScan {
  /** When it started, in the order of ./write-log.ts. */
  readonly mark: number;
  /** Undefined when the collection is gone. */
  readonly faces: Promise<CollectionFaces | undefined>;
  /** Each user's faces, sorted. */
  byUser(): Promise<ReadonlyMap<string, readonly string[]> | undefined>;
}

/** What the batch needs of its view. */
export interface FaceBatchView {
  readonly client: RekognitionClient;
  readonly collectionId: string;
  freshFaceScan(userId: string): FaceScan | undefined;
  shareFaceScan(mark: number, first: FacePage | undefined): FaceScan;
  userStatus(userId: string): Promise<string | undefined>;
}

interface Reader {
  readonly userId: string;
  readonly resolve: (faces: string[] | undefined) => void;
  readonly reject: (err: unknown) => void;
}

type Decision = { readonly scan: FaceScan } | { readonly plan: "per-user" | "collection-gone" };

export class FaceBatch {
  private batch: Reader[] | undefined;
  private batchStarted = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Readers that needed a read since the last scan, or since the first read. */
  private readersSinceScan = 0;
  /** The size of a collection of several pages. */
  private size: CollectionSize | undefined;
  /** Settles when the last batch's way of reading is decided. */
  private deciding: Promise<void> | undefined;

  constructor(private readonly view: FaceBatchView) {}

  /** The user's face IDs, sorted; undefined when the user or its collection is gone. */
  read(userId: string): Promise<string[] | undefined> {
    const scan = this.view.freshFaceScan(userId);
    if (scan) return this.fromScan(scan, userId);

    return new Promise((resolve, reject) => {
      if (!this.batch) {
        this.batch = [];
        this.batchStarted = Date.now();
      }
      this.batch.push({ userId, resolve, reject });
      clearTimeout(this.timer);
      const wait = Math.min(quietMs, this.batchStarted + longestBatchMs - Date.now());
      this.timer = setTimeout(
        () => {
          const readers = this.batch ?? [];
          this.batch = undefined;
          this.timer = undefined;
          this.serve(readers);
        },
        Math.max(0, wait),
      );
    });
  }

  /** Answers a batch once its way of reading is decided. Decisions are taken
   * one after another, so that a batch arriving while the previous one sizes
   * the collection joins the scan that one starts. */
  private serve(readers: readonly Reader[]): void {
    const decision = this.decide(readers, this.deciding);
    this.deciding = decision.then(
      () => undefined,
      () => undefined,
    );
    decision.then(
      (decided) => {
        for (const { userId, resolve, reject } of readers) {
          const scan = "scan" in decided ? decided.scan : this.view.freshFaceScan(userId);
          const faces = scan
            ? this.fromScan(scan, userId)
            : "plan" in decided && decided.plan === "per-user"
              ? userFaces(this.view.client, this.view.collectionId, userId)
              : Promise.resolve(undefined);
          faces.then(resolve, reject);
        }
      },
      (err: unknown) => {
        for (const reader of readers) reader.reject(err);
      },
    );
  }

  private async decide(readers: readonly Reader[], previous: Promise<void> | undefined): Promise<Decision> {
    await previous;
    // Readers the previous batch's scan answers need nothing more.
    const unread = readers.filter((reader) => !this.view.freshFaceScan(reader.userId)).length;
    if (unread === 0) return { plan: "per-user" };

    // The engine hands reads over a few at a time (its --parallel), so the
    // choice counts every reader since the last scan, not only this batch.
    this.readersSinceScan += unread;
    if (this.readersSinceScan < readersWorthScanning) return { plan: "per-user" };

    const mark = nextMark();
    let first: FacePage | undefined;
    if (!this.size) {
      // The first page of the scan is also the probe: most collections fit in it.
      first = await firstFacePage(this.view.client, this.view.collectionId);
      if (first === undefined) return { plan: "collection-gone" };
      if (first.nextToken !== undefined) {
        const size = await collectionSize(this.view.client, this.view.collectionId);
        if (size === undefined) return { plan: "collection-gone" };
        this.size = size;
      }
    }
    if (this.size && planFaceReads(this.readersSinceScan, this.size) === "per-user")
      return { plan: "per-user" };
    this.readersSinceScan = 0;
    return { scan: this.view.shareFaceScan(mark, first) };
  }

  private async fromScan(scan: FaceScan, userId: string): Promise<string[] | undefined> {
    const faces = await scan.byUser();
    if (faces === undefined) return undefined;
    const own = faces.get(userId);
    if (own) return [...own];
    // No face names this user: it has none, or it is gone. The users' shared
    // ListUsers scan (which User reads of the same refresh use too) tells which.
    try {
      return (await this.view.userStatus(userId)) === undefined ? undefined : [];
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
