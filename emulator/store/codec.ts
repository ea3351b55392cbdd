import { VectorIndex } from "./vector-index.js";
import type { CollectionRecord, Commit, FaceRecord, IdempotencyRecord } from "./types.js";

/** JSON encodings of commits and snapshots. Face vectors travel as base64 of their float32 bytes. */

function encodeVector(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
}

function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

type Json = Record<string, unknown>;

export function encodeFace(f: FaceRecord): Json {
  return { ...f, vector: encodeVector(f.vector) };
}

export function decodeFace(j: Json): FaceRecord {
  return { ...(j as unknown as FaceRecord), vector: decodeVector(j.vector as string) };
}

export function encodeCommit(seq: number, commit: Commit): string {
  const mutations = commit.mutations.map((m) =>
    m.type === "addFaces" ? { ...m, faces: m.faces.map(encodeFace) } : m,
  );
  return JSON.stringify({ seq, mutations, idempotency: commit.idempotency });
}

export function decodeCommit(line: string): { seq: number; commit: Commit } {
  const j = JSON.parse(line) as { seq: number; mutations: Json[]; idempotency?: IdempotencyRecord };
  if (typeof j.seq !== "number" || !Array.isArray(j.mutations)) throw new Error("not a journal record");
  const mutations = j.mutations.map((m) =>
    m.type === "addFaces" ? { ...m, faces: (m.faces as Json[]).map(decodeFace) } : m,
  ) as unknown as Commit["mutations"];
  return { seq: j.seq, commit: { mutations, ...(j.idempotency ? { idempotency: j.idempotency } : {}) } };
}

export interface Snapshot {
  version: 1;
  seq: number;
  collections: Json[];
  tokens: IdempotencyRecord[];
}

export function encodeCollection(c: CollectionRecord): Json {
  return {
    id: c.id,
    arn: c.arn,
    createdAt: c.createdAt,
    tags: c.tags,
    faces: c.faceOrder.map((id) => encodeFace(c.faces.get(id)!)),
    users: c.userOrder.map((id) => {
      const u = c.users.get(id)!;
      return { userId: u.userId, faceIds: [...u.faceIds], createdAt: u.createdAt, updatedAt: u.updatedAt };
    }),
  };
}

export function decodeCollection(j: Json): CollectionRecord {
  const faces = (j.faces as Json[]).map(decodeFace);
  const users = (j.users as Json[]).map((u) => ({
    userId: u.userId as string,
    faceIds: new Set(u.faceIds as string[]),
    createdAt: u.createdAt as number,
    ...(typeof u.updatedAt === "number" ? { updatedAt: u.updatedAt } : {}),
  }));
  const vectors = new VectorIndex();
  for (const f of faces) vectors.add(f.faceId, f.vector);
  return {
    id: j.id as string,
    arn: j.arn as string,
    createdAt: j.createdAt as number,
    ...(j.tags ? { tags: j.tags as Record<string, string> } : {}),
    faces: new Map(faces.map((f) => [f.faceId, f])),
    vectors,
    faceOrder: faces.map((f) => f.faceId),
    users: new Map(users.map((u) => [u.userId, u])),
    userOrder: users.map((u) => u.userId),
  };
}
