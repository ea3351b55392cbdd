import type * as pulumi from "@pulumi/pulumi";
import { retiredFacesOutputs, type RetiredFacesOutputs } from "./outputs.js";
import { dynamicResource } from "./resource-class.js";

export interface RetiredFacesArgs {
  readonly collectionId: pulumi.Input<string>;
  /** The faces to delete: the roster's shards' `handedOver` outputs. */
  readonly faces: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The faces a bulk FaceRoster's shards retired (the faces of removed or
 * replaced photos, associated with nobody), deleted together once every
 * shard is done: one DeleteFaces for each 4,096, whatever the engine's
 * parallelism. A FaceRoster in bulk mode declares it.
 */
export class RetiredFaces extends dynamicResource<RetiredFacesOutputs>("retired-faces", "RetiredFaces") {
  constructor(name: string, args: RetiredFacesArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, ...retiredFacesOutputs }, opts);
  }
}
