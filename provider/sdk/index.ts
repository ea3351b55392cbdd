// The provider plugin's resources for TypeScript programs (the package's
// `./plugin` export): the same inputs and outputs as the dynamic resources
// (../resources/), served by `pulumi-resource-rekognition-faces` instead of
// the dynamic provider host, so that `pulumi import` works with them.
import * as pulumi from "@pulumi/pulumi";
import type { FaceFailure } from "../association/model.js";
import type { StoredRoster } from "../bulk/encoding.js";
import type { PersonFailure } from "../bulk/model.js";
import type { RosterSummary } from "../bulk/summary.js";
import type { BoundingBox } from "../face/model.js";
import type { CollectionArgs } from "../resources/collection.js";
import type { FaceRosterArgs, RosterKit, RosterUser } from "../resources/face-roster.js";
import type { FaceRosterShardArgs } from "../resources/face-roster-shard.js";
import type { IndexedFaceArgs } from "../resources/indexed-face.js";
import type { UserArgs } from "../resources/user.js";
import type { UserFaceAssociationArgs } from "../resources/user-face-association.js";
import {
  associationOutputs,
  collectionOutputs,
  indexedFaceOptionalInputs,
  indexedFaceOutputs,
  shardOutputs,
  userOutputs,
} from "../resources/outputs.js";
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

// Resources name no plugin version, as YAML programs do not: the engine's
// default provider is then \`default\` in every release, and the stack's
// identity it records (../plugin/config.ts) carries over an upgrade.


/** The plugin, configured explicitly: another account, region or endpoint in the same stack. */
export class Provider extends pulumi.ProviderResource {
  constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    super("rekognition-faces", name, providerInputs(args), opts);
  }
}

/** A Rekognition collection. ID: `<collectionId>`. */
export class Collection extends pulumi.CustomResource {
  declare readonly collectionId: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string>>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly faceModelVersion: pulumi.Output<string>;
  declare readonly faceCount: pulumi.Output<number>;
  declare readonly userCount: pulumi.Output<number>;
  declare readonly origin: pulumi.Output<"created" | "adopted">;

  constructor(name: string, args: CollectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(token("Collection"), name, { ...args, ...collectionOutputs }, opts);
  }
}

/** A Rekognition user. ID: `<collectionId>/<userId>`. */
export class User extends pulumi.CustomResource {
  declare readonly collectionId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;
  declare readonly userStatus: pulumi.Output<string>;
  declare readonly origin: pulumi.Output<"created" | "adopted">;

  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super(token("User"), name, { ...args, ...userOutputs }, opts);
  }
}

/** One face indexed from one photo. ID: the face ID (imported as `<collectionId>/<faceId>`). */
export class IndexedFace extends pulumi.CustomResource {
  declare readonly collectionId: pulumi.Output<string>;
  declare readonly faceId: pulumi.Output<string>;
  declare readonly boundingBox: pulumi.Output<BoundingBox>;
  declare readonly confidence: pulumi.Output<number>;
  declare readonly imageId: pulumi.Output<string>;
  declare readonly externalImageId: pulumi.Output<string | undefined>;
  declare readonly imageSha256: pulumi.Output<string | undefined>;

  constructor(name: string, args: IndexedFaceArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...indexedFaceOptionalInputs, ...args, ...indexedFaceOutputs };
    super(token("IndexedFace"), name, inputs, opts);
  }
}

/** The faces that belong to a user. ID: `<collectionId>/<userId>`. */
export class UserFaceAssociation extends pulumi.CustomResource {
  declare readonly collectionId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;
  declare readonly faceIds: pulumi.Output<string[]>;
  declare readonly userStatus: pulumi.Output<string>;
  declare readonly failedFaces: pulumi.Output<FaceFailure[]>;
  declare readonly userMatchThreshold: pulumi.Output<number>;
  declare readonly exclusive: pulumi.Output<boolean>;

  constructor(name: string, args: UserFaceAssociationArgs, opts?: pulumi.CustomResourceOptions) {
    super(token("UserFaceAssociation"), name, { ...args, ...associationOutputs }, opts);
  }
}

/** A bulk roster's share of its people (made by FaceRoster in bulk mode). */
export class FaceRosterShard extends pulumi.CustomResource {
  declare readonly collectionId: pulumi.Output<string>;
  declare readonly roster: pulumi.Output<StoredRoster>;
  declare readonly failures: pulumi.Output<PersonFailure[]>;
  declare readonly failureCount: pulumi.Output<number>;

  constructor(name: string, args: FaceRosterShardArgs, opts?: pulumi.CustomResourceOptions) {
    super(token("FaceRosterShard"), name, { ...args, ...shardOutputs }, opts);
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
};
