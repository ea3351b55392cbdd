import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { CollectionPoller, type SettleOptions } from "./collection-poller.js";
import {
  facesOfUsers,
  scanFaces,
  scanUsers,
  type CollectionFaces,
  type UserStatuses,
} from "./collection-reads.js";
import { FaceBatch, type FaceScan } from "./face-batch.js";
import { facesDeletedAfter, lastWrite, nextMark, type ReadConcern } from "./write-log.js";

export { ActiveTimeoutError, type SettleOptions } from "./collection-poller.js";

/**
 * One view of a collection per (client, collection), for the life of the
 * provider process (one `pulumi` command): the ListUsers scan (users and their
 * statuses), the ListFaces scan (faces by user and by photo label), the
 * batching of association reads (./face-batch.ts) and the ACTIVE poller
 * (./collection-poller.ts).
 *
 * The freshness rule, which every read here follows: a read takes the newest
 * scan of its kind, and shares it, unless this process wrote something the
 * read asks about after that scan started; then it takes a scan started after
 * that write, starting one if there is none. Writes are recorded by the
 * gateway when they settle (./write-log.ts), with what they concern: a user
 * (CreateUser, DeleteUser, AssociateFaces, DisassociateFaces), a photo label
 * (IndexFaces), deleted faces (DeleteFaces, which only deletes faces no user
 * holds) or the whole collection (CreateCollection, DeleteCollection). A read
 * asks about users (a User's status, an association's faces), or about
 * people (a roster shard's users and the photos labelled with their IDs).
 *
 * So within one command: the reads of a refresh share one scan of each kind;
 * the shards of a bulk run share one, since each person belongs to one shard,
 * which reads before it writes; a read of a user after this process changed
 * it reads again. Nothing is shared across commands (each starts a new
 * process), and a change made outside the process while a command runs shows
 * from the next command, as `pulumi refresh` promises no more.
 *
 * Two reads differ only in which writes they count. A User's create asks what
 * the user was when its create began (`asOf`): its own CreateUser calls can
 * only make a user with no faces, which it records as CREATED whether a scan
 * shows it or not. And the poller waits for a change to show, so each of its
 * polls is a new scan (the newest, for the reads after it) that answers only
 * the waiters present when it started.
 */
export function collectionView(client: RekognitionClient, collectionId: string): CollectionView {
  let byCollection = views.get(client);
  if (!byCollection) views.set(client, (byCollection = new Map<string, CollectionView>()));
  let view = byCollection.get(collectionId);
  if (!view) byCollection.set(collectionId, (view = new CollectionView(client, collectionId)));
  return view;
}

/** Keyed weakly by client: a client no longer used takes its views with it. */
const views = new WeakMap<RekognitionClient, Map<string, CollectionView>>();

interface UserScan {
  readonly mark: number;
  readonly statuses: Promise<UserStatuses>;
}

export class CollectionView {
  #users: UserScan | undefined;
  #faces: FaceScan | undefined;
  readonly #batch: FaceBatch;
  #poller: CollectionPoller | undefined;

  constructor(
    readonly client: RekognitionClient,
    readonly collectionId: string,
  ) {
    this.#batch = new FaceBatch(this);
  }

  /**
   * Every user's status, from a scan fresh for `userIds`; counting only the
   * writes up to `asOf` (./write-log.ts `currentMark`) when given. Rejects
   * with ResourceNotFoundException when the collection is gone.
   */
  userStatuses(userIds: Iterable<string>, asOf?: number): Promise<UserStatuses> {
    const scan = this.#users;
    if (scan && this.isFresh(scan.mark, { users: userIds }, asOf)) return scan.statuses;
    return this.scanUsers();
  }

  /** The user's status; undefined when it is gone. */
  async userStatus(userId: string, asOf?: number): Promise<string | undefined> {
    return (await this.userStatuses([userId], asOf)).get(userId);
  }

  /** A new ListUsers scan, the newest from now on. A failed scan is not shared: the next read tries again. */
  scanUsers(): Promise<UserStatuses> {
    const scan: UserScan = { mark: nextMark(), statuses: scanUsers(this.client, this.collectionId) };
    this.#users = scan;
    scan.statuses.catch(() => {
      if (this.#users === scan) this.#users = undefined;
    });
    return scan.statuses;
  }

  /**
   * The user's face IDs, sorted, for a refresh or an import; undefined when
   * the user or its collection is gone (a user with no faces gets []). Reads
   * arriving together are batched (./face-batch.ts).
   */
  userFaces(userId: string): Promise<string[] | undefined> {
    return this.#batch.read(userId);
  }

  /**
   * Every labelled or associated face, from a scan fresh for `people`: their
   * users, and the photos labelled with their IDs. Undefined when the
   * collection is gone.
   */
  async collectionFaces(people: readonly string[]): Promise<CollectionFaces | undefined> {
    const asked = { users: people, labels: people };
    let scan = this.#faces;
    if (!scan || !this.isFresh(scan.mark, asked)) scan = this.shareFaceScan(nextMark(), undefined);
    const faces = await scan.faces;
    // Only the scan tells whose label a face deleted since it started carried.
    if (faces && this.lostFaces(scan.mark, faces, new Set(people)))
      return this.shareFaceScan(nextMark(), undefined).faces;
    return faces;
  }

  /** The newest ListFaces scan, if it is fresh for the user's faces. */
  freshFaceScan(userId: string): FaceScan | undefined {
    const scan = this.#faces;
    return scan && this.isFresh(scan.mark, { users: [userId] }) ? scan : undefined;
  }

  /**
   * A ListFaces scan started at `mark` (after `first`, a page it already read,
   * when given), the newest unless a later one started meanwhile.
   */
  shareFaceScan(mark: number, first: Parameters<typeof scanFaces>[2]): FaceScan {
    const faces = scanFaces(this.client, this.collectionId, first);
    let byUser: Promise<ReadonlyMap<string, readonly string[]> | undefined> | undefined;
    const scan: FaceScan = {
      mark,
      faces,
      byUser: () => (byUser ??= faces.then((found) => found && facesOfUsers(found))),
    };
    if (!this.#faces || this.#faces.mark < mark) this.#faces = scan;
    faces.catch(() => {
      if (this.#faces === scan) this.#faces = undefined;
    });
    return scan;
  }

  /** Waits for the user's last change to be applied (./collection-poller.ts). */
  awaitSettled(userId: string, options: SettleOptions): Promise<string> {
    this.#poller ??= new CollectionPoller(this.collectionId, () => this.scanUsers());
    return this.#poller.awaitSettled(userId, options);
  }

  private isFresh(scanMark: number, asked: ReadConcern, asOf?: number): boolean {
    return scanMark > lastWrite(this.collectionId, asked, asOf);
  }

  /** Whether a face the scan shows for `people` was deleted after it started. */
  private lostFaces(scanMark: number, faces: CollectionFaces, people: ReadonlySet<string>): boolean {
    for (const faceId of facesDeletedAfter(this.collectionId, scanMark)) {
      const face = faces.get(faceId);
      if (!face) continue;
      if (people.has(face.externalImageId ?? "") || people.has(face.userId ?? "")) return true;
    }
    return false;
  }
}
