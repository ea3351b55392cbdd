// The provider plugin's resources for TypeScript programs (the package's
// `./plugin` export): the same inputs and outputs as the dynamic resources
// (../resources/), served by `pulumi-resource-rekognition-faces` instead of
// the dynamic provider host, so that `pulumi import` works with them.
import * as pulumi from "@pulumi/pulumi";
import type { RosterSummary } from "../bulk/summary.js";
import type { CollectionArgs } from "../resources/collection.js";
import type { FaceRosterArgs, RosterKit, RosterUser } from "../resources/face-roster.js";
import type { FaceRosterShardArgs } from "../resources/face-roster-shard.js";
import type { IndexedFaceArgs } from "../resources/indexed-face.js";
import type { RetiredFacesArgs } from "../resources/retired-faces.js";
import type { UserArgs } from "../resources/user.js";
import type { UserFaceAssociationArgs } from "../resources/user-face-association.js";
import {
  associationOutputs,
  collectionOutputs,
  indexedFaceOptionalInputs,
  indexedFaceOutputs,
  retiredFacesOutputs,
  shardOutputs,
  userOutputs,
  type CollectionOutputs,
  type FaceRosterShardOutputs,
  type IndexedFaceOutputs,
  type RetiredFacesOutputs,
  type UserFaceAssociationOutputs,
  type UserOutputs,
} from "../resources/outputs.js";
import type { ResourceClass } from "../resources/resource-class.js";
import { providerInputs, type ProviderArgs } from "./provider-inputs.js";

export type {
  CollectionArgs,
  FaceRosterArgs,
  IndexedFaceArgs,
  UserArgs,
  UserFaceAssociationArgs,
  ProviderArgs,
};

const token = (type: string): string => `rekognition-faces:index:${type}`;

/**
 * The base of a plugin resource class, `rekognition-faces:index:<type>`. It
 * names no plugin version, as YAML programs do not: the engine's default
 * provider is then `default` in every release, and the stack's identity it
 * records (../plugin/config.ts) carries over an upgrade.
 */
function pluginResource<Outputs>(type: string): ResourceClass<typeof pulumi.CustomResource, Outputs> {
  // Only the type adds `Outputs`, as in ../resources/resource-class.ts.
  return class extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
      super(token(type), name, props, opts);
    }
  } as unknown as ResourceClass<typeof pulumi.CustomResource, Outputs>;
}

/** The plugin, configured explicitly: another account, region or endpoint in the same stack. */
export class Provider extends pulumi.ProviderResource {
  constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    super("rekognition-faces", name, providerInputs(args), opts);
  }
}

/** A Rekognition collection. ID: `<collectionId>`. */
export class Collection extends pluginResource<CollectionOutputs>("Collection") {
  constructor(name: string, args: CollectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, ...collectionOutputs }, opts);
  }
}

/** A Rekognition user. ID: `<collectionId>/<userId>`. */
export class User extends pluginResource<UserOutputs>("User") {
  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, ...userOutputs }, opts);
  }
}

/** One face indexed from one photo. ID: the face ID (imported as `<collectionId>/<faceId>`). */
export class IndexedFace extends pluginResource<IndexedFaceOutputs>("IndexedFace") {
  constructor(name: string, args: IndexedFaceArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...indexedFaceOptionalInputs, ...args, ...indexedFaceOutputs }, opts);
  }
}

/** The faces that belong to a user. ID: `<collectionId>/<userId>`. */
export class UserFaceAssociation extends pluginResource<UserFaceAssociationOutputs>("UserFaceAssociation") {
  constructor(name: string, args: UserFaceAssociationArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, ...associationOutputs }, opts);
  }
}

/** A bulk roster's share of its people (made by FaceRoster in bulk mode). */
export class FaceRosterShard extends pluginResource<FaceRosterShardOutputs>("FaceRosterShard") {
  constructor(name: string, args: FaceRosterShardArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, ...shardOutputs }, opts);
  }
}

/** The faces a bulk roster's shards retired, deleted together once every shard is done (made by FaceRoster). */
export class RetiredFaces extends pluginResource<RetiredFacesOutputs>("RetiredFaces") {
  constructor(name: string, args: RetiredFacesArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, ...retiredFacesOutputs }, opts);
  }
}

/** A whole roster, constructed by the plugin: the same component as the dynamic FaceRoster. */
export class FaceRoster extends pulumi.ComponentResource {
  declare readonly users: pulumi.Output<Record<string, RosterUser>>;
  declare readonly summary: pulumi.Output<RosterSummary>;

  constructor(name: string, args: FaceRosterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      token("FaceRoster"),
      name,
      { ...args, users: undefined, summary: undefined },
      opts,
      true,
    );
  }
}

/** The plugin's resources, for the FaceRoster the plugin constructs. */
export const pluginKit: RosterKit = {
  type: token("FaceRoster"),
  user: (name, args, opts) => new User(name, args, opts),
  indexedFace: (name, args, opts) => new IndexedFace(name, args, opts),
  association: (name, args, opts) => new UserFaceAssociation(name, args, opts),
  shard: (name, args, opts) => new FaceRosterShard(name, args, opts),
  retiredFaces: (name, args, opts) => new RetiredFaces(name, args, opts),
};
