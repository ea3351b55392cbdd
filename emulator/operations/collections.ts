import { FACE_MODEL_VERSION } from "../model/index.js";
import { ServiceError } from "../protocol/errors.js";
import { requireCollection, type OperationContext } from "./context.js";
import { page } from "./pagination.js";
import type { CollectionRecord } from "../store/types.js";
import {
  collectionId,
  nextToken,
  optionalNumber,
  resourceArn,
  TAG_LIMITS,
  tagKeys,
  tagMap,
  type Input,
} from "./validate.js";

export function createCollection(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const tags = tagMap(input, "Tags", false);
  if (ctx.store.collection(id)) {
    throw new ServiceError("ResourceAlreadyExistsException", `The collection id: ${id} already exists`);
  }
  const arn = `aws:rekognition:${ctx.region}:${ctx.accountId}:collection/${id}`;
  ctx.store.commit({
    mutations: [
      {
        type: "createCollection",
        id,
        arn,
        createdAt: ctx.now(),
        ...(tags ? { tags } : {}),
      },
    ],
  });
  return { StatusCode: 200, CollectionArn: arn, FaceModelVersion: FACE_MODEL_VERSION };
}

export function describeCollection(ctx: OperationContext, input: Input) {
  const c = requireCollection(ctx, collectionId(input));
  return {
    FaceCount: c.faces.size,
    FaceModelVersion: FACE_MODEL_VERSION,
    CollectionARN: c.arn,
    CreationTimestamp: c.createdAt / 1000,
    UserCount: c.users.size,
  };
}

export function listCollections(ctx: OperationContext, input: Input) {
  const token = nextToken(input);
  const max = optionalNumber(input, "MaxResults", { min: 0, max: 4096, integer: true }) || 1000;
  // Collections are few; sorting their ids per call is cheap.
  const ids = [...ctx.store.collections.keys()].sort();
  const { items, nextToken: next } = page("collections", ids, token, max, (id) => id);
  return {
    CollectionIds: items,
    FaceModelVersions: items.map(() => FACE_MODEL_VERSION),
    ...(next ? { NextToken: next } : {}),
  };
}

export function deleteCollection(ctx: OperationContext, input: Input) {
  const c = requireCollection(ctx, collectionId(input));
  ctx.store.commit({ mutations: [{ type: "deleteCollection", id: c.id }] });
  return { StatusCode: 200 };
}

/**
 * The collection an ARN names. Rekognition's collection ARNs have no "arn:"
 * prefix; the prefixed spelling other tools build is accepted too.
 */
function collectionByArn(ctx: OperationContext, arn: string): CollectionRecord {
  const bare = arn.startsWith("arn:") ? arn.slice("arn:".length) : arn;
  const marker = ":collection/";
  const at = bare.indexOf(marker);
  const c = at < 0 ? undefined : ctx.store.collection(bare.slice(at + marker.length));
  if (!c || c.arn !== bare)
    throw new ServiceError("ResourceNotFoundException", `The resource ${arn} does not exist`);
  return c;
}

/** Adds or overwrites tags; a collection holds at most 200. */
export function tagResource(ctx: OperationContext, input: Input) {
  const arn = resourceArn(input);
  const tags = tagMap(input, "Tags", true)!;
  const c = collectionByArn(ctx, arn);
  const after = new Set([...Object.keys(c.tags ?? {}), ...Object.keys(tags)]).size;
  if (after > TAG_LIMITS.count) {
    throw new ServiceError(
      "ServiceQuotaExceededException",
      `Resource ${arn} would have ${after} tags; a resource can have at most ${TAG_LIMITS.count}: remove some with UntagResource first`,
    );
  }
  if (Object.keys(tags).length > 0)
    ctx.store.commit({ mutations: [{ type: "tagCollection", id: c.id, tags }] });
  return {};
}

/** Removes tags by key; keys the collection does not have are ignored. */
export function untagResource(ctx: OperationContext, input: Input) {
  const arn = resourceArn(input);
  const keys = tagKeys(input, "TagKeys");
  const c = collectionByArn(ctx, arn);
  const present = keys.filter((k) => c.tags !== undefined && Object.hasOwn(c.tags, k));
  if (present.length > 0)
    ctx.store.commit({ mutations: [{ type: "untagCollection", id: c.id, keys: present }] });
  return {};
}

export function listTagsForResource(ctx: OperationContext, input: Input) {
  const c = collectionByArn(ctx, resourceArn(input));
  return { Tags: { ...c.tags } };
}
