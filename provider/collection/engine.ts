// What a Collection does, for any host (../engine.ts); ../dynamic/collection.ts
// serves it to the dynamic provider host. Validation and planning are pure
// (./validate.ts, ./plan.ts).
import * as rekognition from "../aws/rekognition.js";
import { tracked } from "../runtime/activity.js";
import { deletesOnDestroy, type Origin } from "../adoption/ownership.js";
import { claimCollection, isCollectionClaimed, isCollectionInUse } from "../runtime/claims.js";
import { isUnknown } from "../unknown.js";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { awsErrorName, isAccessDenied, isNotFound, messageOf } from "../aws/errors.js";
import type { CollectionInputs, CollectionState, Tags } from "./model.js";
import { diffCollection, tagChange } from "./plan.js";
import { collectionExistsMessage, deniedMessage } from "./report.js";
import { checkCollection } from "./validate.js";
import { PartialFailure, type Props, type ResourceEngine } from "../engine.js";
import { ownerTagKey, scopeDigest } from "../scope-marks.js";

/**
 * What DescribeCollection reports, as state; undefined when it is gone. Only
 * ResourceNotFoundException means gone: a refusal (AccessDenied) is an error
 * naming the permission, never a reason to drop the collection from the state.
 */
async function describeCollection(
  collectionId: string,
): Promise<Pick<CollectionState, "arn" | "faceModelVersion" | "faceCount" | "userCount"> | undefined> {
  try {
    const out = await rekognition.describeCollection(client(), { CollectionId: collectionId });
    return {
      arn: out.CollectionARN ?? "",
      faceModelVersion: out.FaceModelVersion ?? "",
      faceCount: out.FaceCount ?? 0,
      userCount: out.UserCount ?? 0,
    };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    if (isAccessDenied(err))
      throw new Error(deniedMessage("DescribeCollection", collectionId, messageOf(err)), { cause: err });
    throw err;
  }
}

/** The collection's tags as the service lists them; undefined when it is gone. */
async function listTags(collectionId: string, arn: string): Promise<Tags | undefined> {
  try {
    const out = await rekognition.listTagsForResource(client(), { ResourceArn: arn });
    // The stack's own mark is not one of the declared tags.
    const { [ownerTagKey]: _mark, ...tags } = out.Tags ?? {};
    return tags;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    if (isAccessDenied(err))
      throw new Error(deniedMessage("ListTagsForResource", collectionId, messageOf(err)), { cause: err });
    throw err;
  }
}

async function applyTags(arn: string, current: Tags, desired: Tags): Promise<void> {
  const change = tagChange(current, desired);
  if (change.untag.length > 0)
    await rekognition.untagResource(client(), { ResourceArn: arn, TagKeys: change.untag });
  if (Object.keys(change.tag).length > 0)
    await rekognition.tagResource(client(), { ResourceArn: arn, Tags: change.tag });
}

/**
 * CreateCollection, marking the collection as this stack's with a tag (it
 * takes no request token), so that an interrupted create is recognised by
 * the next one. Without permission to tag, the collection is created
 * unmarked, as before.
 */
async function createCollection(declared: CollectionInputs) {
  const mark: Tags = declared.scope ? { [ownerTagKey]: scopeDigest(declared.scope) } : {};
  const send = (tags: Tags) =>
    rekognition.createCollection(client(), {
      CollectionId: declared.collectionId,
      ...(Object.keys(tags).length > 0 && { Tags: { ...tags } }),
    });
  try {
    return await send({ ...declared.tags, ...mark });
  } catch (err) {
    const onlyTheMark = Object.keys(declared.tags).length === 0 && Object.keys(mark).length > 0;
    if (!(isAccessDenied(err) && onlyTheMark)) throw err;
    return await send({});
  }
}

/** Whether the existing collection carries this stack's mark. */
async function madeByThisStack(declared: CollectionInputs, arn: string): Promise<boolean> {
  if (!declared.scope) return false;
  try {
    const out = await rekognition.listTagsForResource(client(), { ResourceArn: arn });
    return out.Tags?.[ownerTagKey] === scopeDigest(declared.scope);
  } catch (err) {
    if (isAccessDenied(err) || isNotFound(err)) return false;
    throw err;
  }
}

const implementation: ResourceEngine = tracked({
  async configure(config) {
    configureFromStack(config);
  },

  async check(_olds: Props, news: Props) {
    const { inputs, failures } = checkCollection(news);
    if (!isUnknown(inputs.collectionId)) claimCollection(inputs.collectionId);
    return { inputs: { ...inputs }, failures };
  },

  async diff(_id, olds: Props, news: Props) {
    return diffCollection(olds as unknown as CollectionState, news as unknown as CollectionInputs);
  },

  async create(inputs: Props) {
    const declared = inputs as unknown as CollectionInputs;
    const { collectionId } = declared;
    try {
      const out = await createCollection(declared);
      const state: CollectionState = {
        ...declared,
        arn: out.CollectionArn ?? "",
        faceModelVersion: out.FaceModelVersion ?? "",
        faceCount: 0,
        userCount: 0,
        origin: "created",
      };
      return { id: collectionId, outs: state };
    } catch (err) {
      if (awsErrorName(err) !== "ResourceAlreadyExistsException") throw err;
    }
    const described = await describeCollection(collectionId);
    if (described === undefined)
      throw new Error(`collection '${collectionId}' was deleted while being created: run pulumi up again`);
    // This stack's own collection (a create interrupted after the service made
    // it, or this resource renamed): it is managed as created, with no adopt.
    if (await madeByThisStack(declared, described.arn)) {
      // Taken over as created only while empty (what an interrupted create
      // leaves); one holding faces or users may be another deployment's of the
      // same name, so it is kept on destroy.
      const empty = described.faceCount === 0 && described.userCount === 0;
      const origin = empty ? "created" : "adopted";
      return { id: collectionId, outs: await adopt(declared, described, origin) };
    }
    if (!declared.adopt) throw new Error(collectionExistsMessage(collectionId));
    return { id: collectionId, outs: await adopt(declared, described, "adopted") };
  },

  async read(id, props: Props) {
    const recorded = props as unknown as CollectionState;
    const described = await describeCollection(recorded.collectionId);
    // Tags changed outside the stack become drift that the next `pulumi up` repairs.
    const tags = described && (await listTags(recorded.collectionId, described.arn));
    // Deleted outside the stack: refresh drops it.
    if (described === undefined || tags === undefined) return { id: "", props: {} };
    return { id, props: { ...props, ...described, tags } };
  },

  async update(id, olds: Props, news: Props) {
    const recorded = olds as unknown as CollectionState;
    const declared = news as unknown as CollectionInputs;
    const { deleteOnDestroy: _previous, ...kept } = recorded;
    const state: CollectionState = { ...kept, ...declared };
    try {
      await applyTags(recorded.arn, recorded.tags, declared.tags);
    } catch (err) {
      // The tags may be partly applied; the recorded ones are the last known.
      throw new PartialFailure(
        `tags of collection '${recorded.collectionId}' were not updated: ${messageOf(err)}`,
        id,
        { ...recorded },
      );
    }
    return { outs: state };
  },

  async delete(_id, props: Props) {
    const recorded = props as unknown as CollectionState;
    if (!deletesOnDestroy(recorded.origin, recorded.deleteOnDestroy)) return;
    // Another Collection of this deployment declares it (this one renamed, or
    // moved into a component): it stays, with every face and user in it.
    if (isCollectionClaimed(recorded.collectionId)) return;
    // Users, faces or photos of this deployment still live in it: deleting it
    // would delete them behind their resources' backs.
    if (isCollectionInUse(recorded.collectionId)) {
      throw new Error(
        `collection '${recorded.collectionId}' was not deleted: resources of this stack still declare users or faces ` +
          "in it, and deleting it would delete them. Remove those resources too, or keep the Collection (or declare " +
          "it another way, such as aws.rekognition.Collection, before removing this one)",
      );
    }
    try {
      await rekognition.deleteCollection(client(), { CollectionId: recorded.collectionId });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
});

// A configuration it cannot use fails every call, not only the first.
export const engine: ResourceEngine = failClosed(implementation);

/**
 * Takes over an existing collection: records it as DescribeCollection shows
 * it, then applies the declared tags, if any. The collection is managed from
 * here on even if tagging fails, so that failure keeps it in the state.
 */
async function adopt(
  declared: CollectionInputs,
  described: NonNullable<Awaited<ReturnType<typeof describeCollection>>>,
  origin: Origin,
): Promise<CollectionState> {
  const { collectionId } = declared;
  const state: CollectionState = { ...declared, ...described, origin };
  if (Object.keys(declared.tags).length === 0) return state;
  try {
    await applyTags(described.arn, {}, declared.tags);
  } catch (err) {
    throw new PartialFailure(
      `collection '${collectionId}' was adopted, but its tags were not applied: ${messageOf(err)}`,
      collectionId,
      { ...state, tags: {} },
    );
  }
  return state;
}
