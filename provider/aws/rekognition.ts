// Every Rekognition call the provider makes goes through here: one function per
// operation, with the SDK's own typed input and output, so that a request's
// shape, its paging and what "not found" means live in one place. Callers
// pass the client (configured, without retries, or a test's), because which
// one a call needs is theirs to decide. Every write is recorded in
// ./write-log.ts when it settles, with what it concerns: the reads of
// ./collection-view.ts re-read what this process changed.
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  DeleteCollectionCommand,
  DeleteFacesCommand,
  DeleteUserCommand,
  DescribeCollectionCommand,
  DisassociateFacesCommand,
  IndexFacesCommand,
  ListFacesCommand,
  ListTagsForResourceCommand,
  paginateListFaces,
  paginateListUsers,
  SearchFacesByImageCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type AssociateFacesCommandInput,
  type AssociateFacesCommandOutput,
  type CreateCollectionCommandInput,
  type CreateCollectionCommandOutput,
  type CreateUserCommandInput,
  type CreateUserCommandOutput,
  type DeleteCollectionCommandInput,
  type DeleteCollectionCommandOutput,
  type DeleteFacesCommandInput,
  type DeleteFacesCommandOutput,
  type DeleteUserCommandInput,
  type DeleteUserCommandOutput,
  type DescribeCollectionCommandInput,
  type DescribeCollectionCommandOutput,
  type DisassociateFacesCommandInput,
  type DisassociateFacesCommandOutput,
  type IndexFacesCommandInput,
  type IndexFacesCommandOutput,
  type ListFacesCommandInput,
  type ListFacesCommandOutput,
  type ListTagsForResourceCommandInput,
  type ListTagsForResourceCommandOutput,
  type ListUsersCommandInput,
  type RekognitionClient,
  type SearchFacesByImageCommandInput,
  type SearchFacesByImageCommandOutput,
  type TagResourceCommandInput,
  type TagResourceCommandOutput,
  type UntagResourceCommandInput,
  type UntagResourceCommandOutput,
} from "@aws-sdk/client-rekognition";
import { isNotFound } from "./errors.js";
import { recordWrite, type WriteConcern } from "./write-log.js";
import { facePageSize } from "./face-read-plan.js";
import { usersPerPage } from "./settle.js";

export function createCollection(
  client: RekognitionClient,
  input: CreateCollectionCommandInput,
): Promise<CreateCollectionCommandOutput> {
  return written(input.CollectionId, { collection: true }, client.send(new CreateCollectionCommand(input)));
}

export function describeCollection(
  client: RekognitionClient,
  input: DescribeCollectionCommandInput,
): Promise<DescribeCollectionCommandOutput> {
  return client.send(new DescribeCollectionCommand(input));
}

export function deleteCollection(
  client: RekognitionClient,
  input: DeleteCollectionCommandInput,
): Promise<DeleteCollectionCommandOutput> {
  return written(input.CollectionId, { collection: true }, client.send(new DeleteCollectionCommand(input)));
}

export function listTagsForResource(
  client: RekognitionClient,
  input: ListTagsForResourceCommandInput,
): Promise<ListTagsForResourceCommandOutput> {
  return client.send(new ListTagsForResourceCommand(input));
}

export function tagResource(
  client: RekognitionClient,
  input: TagResourceCommandInput,
): Promise<TagResourceCommandOutput> {
  return client.send(new TagResourceCommand(input));
}

export function untagResource(
  client: RekognitionClient,
  input: UntagResourceCommandInput,
): Promise<UntagResourceCommandOutput> {
  return client.send(new UntagResourceCommand(input));
}

export function createUser(
  client: RekognitionClient,
  input: CreateUserCommandInput,
): Promise<CreateUserCommandOutput> {
  return written(input.CollectionId, { user: input.UserId ?? "" }, client.send(new CreateUserCommand(input)));
}

export function deleteUser(
  client: RekognitionClient,
  input: DeleteUserCommandInput,
): Promise<DeleteUserCommandOutput> {
  return written(input.CollectionId, { user: input.UserId ?? "" }, client.send(new DeleteUserCommand(input)));
}

/** Every page of a ListUsers, 500 users a page. */
export function listUsersPages(client: RekognitionClient, input: ListUsersCommandInput) {
  return paginateListUsers({ client, pageSize: usersPerPage }, input);
}

export function associateFaces(
  client: RekognitionClient,
  input: AssociateFacesCommandInput,
): Promise<AssociateFacesCommandOutput> {
  return written(
    input.CollectionId,
    { user: input.UserId ?? "" },
    client.send(new AssociateFacesCommand(input)),
  );
}

export function disassociateFaces(
  client: RekognitionClient,
  input: DisassociateFacesCommandInput,
): Promise<DisassociateFacesCommandOutput> {
  return written(
    input.CollectionId,
    { user: input.UserId ?? "" },
    client.send(new DisassociateFacesCommand(input)),
  );
}

export function indexFaces(
  client: RekognitionClient,
  input: IndexFacesCommandInput,
): Promise<IndexFacesCommandOutput> {
  return written(
    input.CollectionId,
    input.ExternalImageId ? { label: input.ExternalImageId } : undefined,
    client.send(new IndexFacesCommand(input)),
  );
}

/** One page of ListFaces. */
export function listFaces(
  client: RekognitionClient,
  input: ListFacesCommandInput,
): Promise<ListFacesCommandOutput> {
  return client.send(new ListFacesCommand(input));
}

/**
 * Every page of a ListFaces, 4,096 faces a page (the service's most), from
 * the start or after a page already read (`startingToken`).
 */
export function listFacesPages(
  client: RekognitionClient,
  input: ListFacesCommandInput,
  startingToken?: string,
) {
  return paginateListFaces(
    { client, pageSize: facePageSize, ...(startingToken && { startingToken }) },
    input,
  );
}

export function deleteFaces(
  client: RekognitionClient,
  input: DeleteFacesCommandInput,
): Promise<DeleteFacesCommandOutput> {
  return written(
    input.CollectionId,
    { faces: input.FaceIds ?? [] },
    client.send(new DeleteFacesCommand(input)),
  );
}

export function searchFacesByImage(
  client: RekognitionClient,
  input: SearchFacesByImageCommandInput,
): Promise<SearchFacesByImageCommandOutput> {
  return client.send(new SearchFacesByImageCommand(input));
}

/**
 * A write's answer, recorded when it settles: answered or failed, it may have
 * changed what `concern` names. (IndexFaces without a label adds faces no
 * scan keeps, so it concerns nothing a read asks.)
 */
async function written<T>(
  collectionId: string | undefined,
  concern: WriteConcern | undefined,
  call: Promise<T>,
): Promise<T> {
  try {
    return await call;
  } finally {
    if (concern) recordWrite(collectionId, concern);
  }
}

/**
 * A read's answer, or undefined when what it names (the collection, the user)
 * is gone: ResourceNotFoundException, and only it. Any other error, a refusal
 * included, is thrown: it never means "gone".
 */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * What a user reads when a collection a declaration needs does not exist:
 * what cannot be made without it, how to declare it, and which resource to
 * give its collectionId output, so the collection is created first.
 */
export function collectionMissingMessage(
  collectionId: string,
  needed: { readonly blocked?: string; readonly passTo: string },
): string {
  return (
    `collection '${collectionId}' does not exist${needed.blocked ? `, so ${needed.blocked}` : ""}: declare it ` +
    `(new Collection("${collectionId}", { collectionId: "${collectionId}" }), or aws.rekognition.Collection) ` +
    `and pass its collectionId output to ${needed.passTo}`
  );
}
