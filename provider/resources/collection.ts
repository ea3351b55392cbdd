import * as pulumi from "@pulumi/pulumi";
import { stackScope } from "../scope.js";
import { collectionOutputs, type CollectionOutputs } from "./outputs.js";
import { dynamicResource } from "./resource-class.js";

export interface CollectionArgs {
  /** The collection's ID: letters, digits, '_', '.' and '-', at most 255. */
  readonly collectionId: pulumi.Input<string>;
  /** Tags on the collection (at most 200). */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Manage a collection that already exists instead of failing with its
   * ResourceAlreadyExistsException. Default false.
   */
  readonly adopt?: pulumi.Input<boolean>;
  /**
   * Delete the collection, with every face and user in it, when the resource
   * is destroyed. Default: true if this resource created it, false if adopted.
   */
  readonly deleteOnDestroy?: pulumi.Input<boolean>;
}

/**
 * A Rekognition face collection (CreateCollection / DeleteCollection).
 * ID: the collection ID; another collection ID replaces it.
 */
export class Collection extends dynamicResource<CollectionOutputs>("collection", "Collection") {
  constructor(name: string, args: CollectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, scope: stackScope(), ...collectionOutputs }, opts);
    declared.set(this, { name, args, retained: opts?.retainOnDelete === true });
  }
}

const declared = new WeakMap<Collection, { name: string; args: CollectionArgs; retained: boolean }>();

/**
 * Why a destroy may keep this collection, by its declaration, or undefined
 * when it says the collection goes: `deleteOnDestroy: true`, and no
 * `retainOnDelete`. Without that plain `true` the origin decides, and a
 * collection this stack adopted, or took over holding people (renamed by a
 * delete and a create, say), is kept.
 */
export function keptOnDestroyBy(collection: Collection): { name: string; reason: string } | undefined {
  const entry = declared.get(collection);
  if (!entry) return undefined;
  const { name, args, retained } = entry;
  if (retained) return { name, reason: "it has retainOnDelete, so a destroy keeps it" };
  if (args.deleteOnDestroy === true) return undefined;
  if (args.deleteOnDestroy === false)
    return { name, reason: "it says deleteOnDestroy: false, so a destroy keeps it" };
  return {
    name,
    reason:
      "it does not say deleteOnDestroy: true, so a destroy keeps it if the stack adopted it (or took it over " +
      "holding people)",
  };
}
