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
  /** How long a ClientRequestToken is remembered after its call (default 24 hours). */
  tokenTtlMs?: number;
  /** The clock token expiry is measured with (default Date.now). */
  now?: () => number;
}

/**
 * Rekognition documents no lifetime for ClientRequestToken; a day is what other
 * AWS services document for theirs (EC2's client tokens, for one), and far longer
 * than any retry.
 */
export const DEFAULT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

// A bound on memory whatever the TTL: beyond this many tokens, the oldest go first.
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
  private readonly tokenTtlMs: number;
  private readonly now: () => number;

  private constructor(opts: StoreOptions) {
    this.compactEvery = opts.compactEvery ?? 20_000;
    this.tokenTtlMs = opts.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
    this.now = opts.now ?? Date.now;
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
      store.forgetExpiredTokens();
    }
    return store;
  }

  collection(id: string): CollectionRecord | undefined {
    return this.collections.get(id);
  }

  /** The record of a token still within its lifetime. */
  recallToken(key: string): IdempotencyRecord | undefined {
    const record = this.tokens.get(key);
    return record && !this.expired(record) ? record : undefined;
  }

  /** How many tokens are remembered (expired ones linger until the next write). */
  get tokenCount(): number {
    return this.tokens.size;
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
      tokens: [...this.tokens.values()].filter((t) => !this.expired(t)),
    };
  }

  private restore(snapshot: Snapshot): void {
    for (const j of snapshot.collections) {
      const c = decodeCollection(j);
      this.collections.set(c.id, c);
    }
    for (const t of snapshot.tokens) this.remember(t);
    this.seq = snapshot.seq;
  }

  private applyCommit(commit: Commit): void {
    for (const m of commit.mutations) this.apply(m);
    if (commit.idempotency) this.remember(commit.idempotency);
    // Every write, not only token ones, so tokens do not outlive a quiet spell.
    this.forgetExpiredTokens();
  }

  private remember(record: IdempotencyRecord): void {
    // Delete first: a Map keeps a re-set key in its old place, and the
    // oldest-first order is what makes forgetting cheap.
    this.tokens.delete(record.key);
    // Records written before tokens expired carry no time: their lifetime starts now.
    const at = (record as Partial<IdempotencyRecord>).at ?? this.now();
    this.tokens.set(record.key, { ...record, at });
  }

  private expired(record: IdempotencyRecord): boolean {
    return this.now() - record.at >= this.tokenTtlMs;
  }

  /** Drops tokens past their lifetime, and the oldest beyond MAX_TOKENS; oldest first, so O(dropped). */
  private forgetExpiredTokens(): void {
    for (const [key, record] of this.tokens) {
      if (this.tokens.size <= MAX_TOKENS && !this.expired(record)) return;
      this.tokens.delete(key);
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
    if (m.type === "tagCollection" || m.type === "untagCollection") {
      const c = this.collections.get(m.id);
      if (!c) return;
      // A Map, so that a tag named "__proto__" is data like any other.
      const tags = new Map(Object.entries(c.tags ?? {}));
      if (m.type === "tagCollection") for (const [k, v] of Object.entries(m.tags)) tags.set(k, v);
      else for (const key of m.keys) tags.delete(key);
      c.tags = Object.fromEntries(tags);
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
