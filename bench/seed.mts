// Seeds a collection with N people and their faces straight into the
// emulator's store (no HTTP, no image analysis): the benchmark times the
// roster deployment, not the indexing.
import { randomUUID } from "node:crypto";
import type { FaceRecord, RunningEmulator } from "pulumi-rekognition-faces/emulator";
import { VECTOR_LENGTH } from "pulumi-rekognition-faces/emulator";

export interface Person {
  readonly userId: string;
  readonly faceIds: string[];
  /** One more face of the same person, for the one-face change. */
  readonly spareFaceId: string;
}

export interface Roster {
  readonly collectionId: string;
  readonly users: Person[];
}

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/** A collection with `n` people of `facesPerUser` (+1 spare) faces each: a
 * person's faces are near one vector (similarity > 95), different people are unrelated. */
export function seedRoster(
  emulator: RunningEmulator,
  collectionId: string,
  n: number,
  facesPerUser = 5,
): Roster {
  const now = Date.now();
  const faces: FaceRecord[] = [];
  const users: Person[] = [];
  for (let p = 0; p < n; p++) {
    const base = unit(Float32Array.from({ length: VECTOR_LENGTH }, gaussian));
    const ids: string[] = [];
    for (let f = 0; f <= facesPerUser; f++) {
      const vector = unit(Float32Array.from(base, (x) => x + 0.01 * gaussian()));
      const faceId = randomUUID();
      ids.push(faceId);
      faces.push({
        faceId,
        imageId: randomUUID(),
        externalImageId: `person-${p}-${f}`,
        boundingBox: { Width: 0.4, Height: 0.5, Left: 0.3, Top: 0.2 },
        confidence: 99.9,
        vector,
        indexedAt: now,
      });
    }
    users.push({
      userId: `person-${String(p).padStart(4, "0")}`,
      faceIds: ids.slice(0, facesPerUser),
      spareFaceId: ids[facesPerUser]!,
    });
  }
  emulator.store.commit({
    mutations: [
      {
        type: "createCollection",
        id: collectionId,
        arn: `arn:aws:rekognition:${emulator.region}:123456789012:collection/${collectionId}`,
        createdAt: now,
      },
      { type: "addFaces", collectionId, faces },
    ],
  });
  return { collectionId, users };
}

/** The roster with person 0's last face swapped for their spare one. */
export function withOneFaceChanged(roster: Roster): Roster {
  const [first, ...rest] = roster.users;
  if (!first) return roster;
  return {
    ...roster,
    users: [{ ...first, faceIds: [...first.faceIds.slice(0, -1), first.spareFaceId] }, ...rest],
  };
}

/** The JSON the stack program reads (roster.json). */
export function rosterFile(roster: Roster): string {
  return JSON.stringify({
    collectionId: roster.collectionId,
    users: roster.users.map((u) => ({ userId: u.userId, faceIds: u.faceIds })),
  });
}
