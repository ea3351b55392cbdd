import { decodeCollection, encodeCollection, type Snapshot } from "./codec.js";
import { Journal } from "./journal.js";
import { insertManySorted, insertSorted, removeSorted } from "./sorted.js";
import { VectorIndex } from "./vector-index.js";
import type { CollectionRecord, Commit, IdempotencyRecord, Mutation } from "./types.js";

export interface StoreOptions {
  /** Directory for the journal and snapshot; without it the state lives in memory only. */
  dataDir?: string;
  /** Fold the journal into a new snapshot after this many commits. */
  compactEvery?: number;
}

// Remembered idempotency tokens beyond this many are forgotten, oldest first.
const MAX_TOKENS = 50_000;

/**
 * The emulator's state. Every change goes through `commit`, which applies a list of
 * mutations and, when persistent, journals them before returning, so a caller that
 * has seen `commit` return can acknowledge the change.
 */
export class Store {
  readonly collections = new Map<string, CollectionRecord>();
  private readonly tokens = new Map<string, IdempotencyRecord>();
  private journal: Journal | undefined;
  private seq = 0;
  private sinceSnapshot = 0;
  private readonly compactEvery: number;

  private constructor(opts: StoreOptions) {
    this.compactEvery = opts.compactEvery ?? 20_000;
  }

  static open(opts: StoreOptions = {}): Store {
    const store = new Store(opts);
    if (opts.dataDir) {
      const journal = new Journal(opts.dataDir);
      const { snapshot, commits } = journal.load();
      if (snapshot) store.restore(snapshot);
      for (const { seq, commit } of commits) {
        store.applyCommit(commit);
        store.seq = seq;
      }
      store.journal = journal;
      store.sinceSnapshot = commits.length;
    }
    return store;
  }

  collection(id: string): CollectionRecord | undefined {
    return this.collections.get(id);
  }

  recallToken(key: string): IdempotencyRecord | undefined {
    return this.tokens.get(key);
  }

  commit(commit: Commit): void {
    this.seq++;
    this.journal?.append(this.seq, commit);
    this.applyCommit(commit);
    if (this.journal && ++this.sinceSnapshot >= this.compactEvery) this.compact();
  }

  /** Writes a snapshot and empties the journal (persistent stores only). */
  compact(): void {
    if (!this.journal) return;
    this.journal.writeSnapshot(this.snapshot());
    this.sinceSnapshot = 0;
  }

  close(): void {
    if (!this.journal) return;
    this.compact();
    this.journal.close();
    this.journal = undefined;
  }

  private snapshot(): Snapshot {
    return {
      version: 1,
      seq: this.seq,
      collections: [...this.collections.values()].map(encodeCollection),
      tokens: [...this.tokens.values()],
    };
  }

  private restore(snapshot: Snapshot): void {
    for (const j of snapshot.collections) {
      const c = decodeCollection(j);
      this.collections.set(c.id, c);
    }
    for (const t of snapshot.tokens) this.tokens.set(t.key, t);
    this.seq = snapshot.seq;
  }

  private applyCommit(commit: Commit): void {
    for (const m of commit.mutations) this.apply(m);
    if (commit.idempotency) {
      this.tokens.set(commit.idempotency.key, commit.idempotency);
      if (this.tokens.size > MAX_TOKENS) {
        const oldest = this.tokens.keys().next().value;
        if (oldest !== undefined) this.tokens.delete(oldest);
      }
    }
  }

  private apply(m: Mutation): void {
    if (m.type === "createCollection") {
      this.collections.set(m.id, {
        id: m.id,
        arn: m.arn,
        createdAt: m.createdAt,
        ...(m.tags ? { tags: m.tags } : {}),
        faces: new Map(),
        vectors: new VectorIndex(),
        faceOrder: [],
        users: new Map(),
        userOrder: [],
      });
      return;
    }
    if (m.type === "deleteCollection") {
      this.collections.delete(m.id);
      return;
    }
    const c = this.collections.get(m.collectionId);
    if (!c) return;
    switch (m.type) {
      case "addFaces":
        for (const f of m.faces) {
          c.faces.set(f.faceId, f);
          c.vectors.add(f.faceId, f.vector);
        }
        insertManySorted(
          c.faceOrder,
          m.faces.map((f) => f.faceId),
        );
        return;
      case "deleteFaces":
        for (const id of m.faceIds) {
          const face = c.faces.get(id);
          if (!face) continue;
          if (face.userId) this.unlink(c, face.userId, id);
          c.faces.delete(id);
          c.vectors.remove(id);
          removeSorted(c.faceOrder, id);
        }
        return;
      case "createUser":
        c.users.set(m.userId, { userId: m.userId, faceIds: new Set(), createdAt: m.createdAt });
        insertSorted(c.userOrder, m.userId);
        return;
      case "deleteUser": {
        const user = c.users.get(m.userId);
        if (!user) return;
        for (const id of user.faceIds) {
          const face = c.faces.get(id);
          if (face) delete face.userId;
        }
        c.users.delete(m.userId);
        removeSorted(c.userOrder, m.userId);
        return;
      }
      case "associate": {
        const user = c.users.get(m.userId);
        if (!user) return;
        for (const id of m.faceIds) {
          const face = c.faces.get(id);
          if (!face) continue;
          if (face.userId && face.userId !== m.userId) this.unlink(c, face.userId, id);
          face.userId = m.userId;
          user.faceIds.add(id);
        }
        user.updatedAt = m.at;
        user.centroid = undefined;
        return;
      }
      case "disassociate": {
        const user = c.users.get(m.userId);
        if (!user) return;
        for (const id of m.faceIds) this.unlink(c, m.userId, id);
        user.updatedAt = m.at;
        return;
      }
    }
  }

  private unlink(c: CollectionRecord, userId: string, faceId: string): void {
    const user = c.users.get(userId);
    if (user) {
      user.faceIds.delete(faceId);
      user.centroid = undefined;
    }
    const face = c.faces.get(faceId);
    if (face && face.userId === userId) delete face.userId;
  }
}
