import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { isNotFound } from "./errors.js";
import { listFacesPages } from "./rekognition.js";
import { PerCollection } from "./per-collection.js";

/** A face as a roster needs it: who holds it, and which photo label it carries. */
export interface ScannedFace {
  readonly userId?: string;
  readonly externalImageId?: string;
}

/** Every labelled or associated face of a collection, by face ID. */
export type CollectionFaces = ReadonlyMap<string, ScannedFace>;

/**
 * One paginated ListFaces of the whole collection (4,096 faces a page).
 * A face carries its UserId, so this one scan answers every user's faces.
 * Faces with neither a user nor a label are left out: no roster made them.
 * Undefined when the collection is gone.
 */
export async function scanCollection(
  client: RekognitionClient,
  collectionId: string,
): Promise<CollectionFaces | undefined> {
  const faces = new Map<string, ScannedFace>();
  try {
    for await (const page of listFacesPages(client, { CollectionId: collectionId })) {
      for (const face of page.Faces ?? []) {
        if (!face.FaceId || (!face.UserId && !face.ExternalImageId)) continue;
        faces.set(face.FaceId, {
          ...(face.UserId && { userId: face.UserId }),
          ...(face.ExternalImageId && { externalImageId: face.ExternalImageId }),
        });
      }
    }
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return faces;
}

/** Each user's faces in a scan, sorted. */
export function facesOfUsers(faces: CollectionFaces): Map<string, string[]> {
  const byUser = groupFaces(faces, (face) => face.userId);
  for (const list of byUser.values()) list.sort();
  return byUser;
}

/** Faces labelled with each external image ID (a roster labels a person's photos with the user ID). */
export function facesByLabel(faces: CollectionFaces): Map<string, string[]> {
  return groupFaces(faces, (face) => face.externalImageId);
}

/** The scan's face IDs by `keyOf` of each face; a face with no key is in no group. */
function groupFaces(
  faces: CollectionFaces,
  keyOf: (face: ScannedFace) => string | undefined,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [faceId, face] of faces) {
    const key = keyOf(face);
    if (!key) continue;
    const list = groups.get(key);
    if (list) list.push(faceId);
    else groups.set(key, [faceId]);
  }
  return groups;
}

/**
 * Scans shared by the shards of one run, for the life of the provider process
 * (one `pulumi` command). The shards start over tens of seconds at scale (each
 * checks its people first), and each person belongs to one shard, which scans
 * before it changes anyone: a scan made earlier in the run is still true for
 * every person a later shard manages.
 */
interface SharedScan {
  readonly started: number;
  readonly scan: Promise<CollectionFaces | undefined>;
}
const shared = new PerCollection<SharedScan>();

export function sharedCollectionScan(
  client: RekognitionClient,
  collectionId: string,
): Promise<CollectionFaces | undefined> {
  const byCollection = shared.of(client);
  const recent = byCollection.get(collectionId);
  if (recent) return recent.scan;
  const entry: SharedScan = { started: Date.now(), scan: scanCollection(client, collectionId) };
  byCollection.set(collectionId, entry);
  // A failed scan is not shared: the next read tries again.
  entry.scan.catch(() => {
    if (byCollection.get(collectionId) === entry) byCollection.delete(collectionId);
  });
  return entry.scan;
}
