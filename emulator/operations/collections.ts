import { FACE_MODEL_VERSION } from "../model/index.js";
import { ServiceError } from "../protocol/errors.js";
import { requireCollection, type OperationContext } from "./context.js";
import { page } from "./pagination.js";
import { collectionId, invalid, nextToken, optionalNumber, optionalObject, type Input } from "./validate.js";

export function createCollection(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const tags = optionalObject(input, "Tags");
  if (tags) {
    const entries = Object.entries(tags);
    if (entries.length > 200) throw invalid("Tags", `[${entries.length} tags]`, "have at most 200 entries");
    for (const [k, v] of entries) {
      if (k.length < 1 || k.length > 128) throw invalid("Tags", k, "have keys of length 1 to 128");
      if (typeof v !== "string" || v.length > 256)
        throw invalid(`Tags.${k}`, v, "be a string of length 0 to 256");
    }
  }
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
        ...(tags ? { tags: tags as Record<string, string> } : {}),
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
