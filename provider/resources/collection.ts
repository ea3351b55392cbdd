import * as pulumi from "@pulumi/pulumi";
import { stackScope } from "../scope.js";
import { implementationModule, providerShim } from "../shim.js";
import { collectionOutputs } from "./outputs.js";

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
export class Collection extends pulumi.dynamic.Resource {
  declare readonly collectionId: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string>>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly faceModelVersion: pulumi.Output<string>;
  /** Faces in the collection, as of the last create or `pulumi refresh`. */
  declare readonly faceCount: pulumi.Output<number>;
  /** Users in the collection, as of the last create or `pulumi refresh`. */
  declare readonly userCount: pulumi.Output<number>;
  /** "created" by this resource, or "adopted". */
  declare readonly origin: pulumi.Output<"created" | "adopted">;

  constructor(name: string, args: CollectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerShim(implementationModule("collection")),
      name,
      { ...args, scope: stackScope(), ...collectionOutputs },
      opts,
      "rekognition",
      "Collection",
    );
  }
}
