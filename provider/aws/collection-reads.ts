import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { isNotFound } from "./errors.js";
import { facePageSize, facesByUser, type CollectionSize, type ListedFace } from "./face-read-plan.js";
import {
  describeCollection,
  listFaces,
  listFacesPages,
  listUsersPages,
  unlessNotFound,
} from "./rekognition.js";

/**
 * The plain reads of one collection, each a fresh look at the service:
 * ./collection-view.ts decides which of them a read shares.
 */

/** Every user's status, by user ID. */
export type UserStatuses = ReadonlyMap<string, string | undefined>;

/** A face as a roster needs it: who holds it, and which photo label it carries. */
export interface ScannedFace {
  readonly userId?: string;
  readonly externalImageId?: string;
}

/** Every labelled or associated face of a collection, by face ID. */
export type CollectionFaces = ReadonlyMap<string, ScannedFace>;

/** Every user's status in the collection now: one paginated ListUsers scan. */
export async function scanUsers(client: RekognitionClient, collectionId: string): Promise<UserStatuses> {
  const statuses = new Map<string, string | undefined>();
  for await (const page of listUsersPages(client, { CollectionId: collectionId })) {
    for (const user of page.Users ?? []) if (user.UserId) statuses.set(user.UserId, user.UserStatus);
  }
  return statuses;
}

/** A page of a ListFaces scan already read: its faces, and where the scan goes on. */
export interface FacePage {
  readonly faces: CollectionFaces;
  readonly nextToken?: string;
}

/** The first page of a ListFaces scan; undefined when the collection is gone. */
export async function firstFacePage(
  client: RekognitionClient,
  collectionId: string,
): Promise<FacePage | undefined> {
  const page = await unlessNotFound(
    listFaces(client, { CollectionId: collectionId, MaxResults: facePageSize }),
  );
  if (!page) return undefined;
  const faces = new Map<string, ScannedFace>();
  for (const face of page.Faces ?? []) keep(faces, face);
  return { faces, ...(page.NextToken && { nextToken: page.NextToken }) };
}

/**
 * One paginated ListFaces of the whole collection (4,096 faces a page), or of
 * what follows a page already read. A face carries its UserId, so this one
 * scan answers every user's faces. Faces with neither a user nor a label are
 * left out: no roster made them, and a collection may hold millions.
 * Undefined when the collection is gone.
 */
export async function scanFaces(
  client: RekognitionClient,
  collectionId: string,
  after?: FacePage,
): Promise<CollectionFaces | undefined> {
  if (after && after.nextToken === undefined) return after.faces;
  const faces = new Map<string, ScannedFace>(after?.faces);
  try {
    for await (const page of listFacesPages(client, { CollectionId: collectionId }, after?.nextToken)) {
      for (const face of page.Faces ?? []) keep(faces, face);
    }
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return faces;
}

function keep(
  faces: Map<string, ScannedFace>,
  face: { FaceId?: string; UserId?: string; ExternalImageId?: string },
): void {
  if (!face.FaceId || (!face.UserId && !face.ExternalImageId)) return;
  faces.set(face.FaceId, {
    ...(face.UserId && { userId: face.UserId }),
    ...(face.ExternalImageId && { externalImageId: face.ExternalImageId }),
  });
}

/** The collection's size, for choosing how to read it; undefined when it is gone. */
export async function collectionSize(
  client: RekognitionClient,
  collectionId: string,
): Promise<CollectionSize | undefined> {
  const out = await unlessNotFound(describeCollection(client, { CollectionId: collectionId }));
  return out && { faceCount: out.FaceCount ?? 0, userCount: out.UserCount ?? 0 };
}

/**
 * One user's face IDs, sorted, from ListFaces with its UserId; undefined when
 * the user or its collection is gone.
 */
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

/** Each user's faces in a scan, sorted; with `only`, those users' alone (a shard's people, not the whole collection's). */
export function facesOfUsers(faces: CollectionFaces, only?: ReadonlySet<string>): Map<string, string[]> {
  return facesByUser(listed(faces, only));
}

function* listed(faces: CollectionFaces, only: ReadonlySet<string> | undefined): Iterable<ListedFace> {
  for (const [FaceId, face] of faces)
    if (face.userId && (!only || only.has(face.userId))) yield { FaceId, UserId: face.userId };
}

/**
 * Faces labelled with each external image ID (a roster labels a person's
 * photos with the user ID); with `only`, those labels alone.
 */
export function facesByLabel(faces: CollectionFaces, only?: ReadonlySet<string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [faceId, face] of faces) {
    const label = face.externalImageId;
    if (!label || (only && !only.has(label))) continue;
    const list = groups.get(label);
    if (list) list.push(faceId);
    else groups.set(label, [faceId]);
  }
  return groups;
}
