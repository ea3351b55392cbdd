import * as pulumi from "@pulumi/pulumi";
import { stackScope } from "../scope.js";
import { shardOutputs, type FaceRosterShardOutputs } from "./outputs.js";
import { dynamicResource } from "./resource-class.js";

/** A person's list as a shard takes it: entries, or entries with a known content digest. */
export type ShardEntry = string | { readonly photo: string; readonly digest: string };

export interface FaceRosterShardArgs {
  readonly collectionId: pulumi.Input<string>;
  /** Which shard of its roster this is, e.g. "3/16". */
  readonly shard: string;
  /** Each person of this shard and their photos (paths, s3:// URLs) and face IDs; or the same map as JSON text. */
  readonly people: pulumi.Input<Record<string, ShardEntry[]> | string>;
  readonly exclusive?: pulumi.Input<boolean>;
  readonly userMatchThreshold?: pulumi.Input<number>;
  readonly adopt?: pulumi.Input<boolean>;
  readonly deleteUsersOnDestroy?: pulumi.Input<boolean>;
  readonly waitForActive?: pulumi.Input<boolean>;
  readonly activeTimeoutSeconds?: pulumi.Input<number>;
  readonly qualityFilter?: pulumi.Input<string>;
  /** Hand the faces of removed photos over (`handedOver`) for a RetiredFaces to delete, instead of deleting them. FaceRoster sets it. */
  readonly handOver?: pulumi.Input<boolean>;
}

/**
 * One shard of a bulk FaceRoster: a share of its people, reconciled as one
 * engine resource. Its state records, person by person, the user, each
 * photo's face and the faces associated.
 */
export class FaceRosterShard extends dynamicResource<FaceRosterShardOutputs>(
  "face-roster-shard",
  "FaceRosterShard",
) {
  constructor(name: string, args: FaceRosterShardArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, scope: stackScope(), ...shardOutputs }, opts);
  }
}
