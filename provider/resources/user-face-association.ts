import * as pulumi from "@pulumi/pulumi";
import type { FaceFailure } from "../association/model.js";
import { sensitivityOf } from "../secrets.js";
import { implementationModule, providerShim } from "../shim.js";
import { associationOutputs } from "./outputs.js";

export interface UserFaceAssociationArgs {
  /** The collection that holds the user and the faces. */
  readonly collectionId: pulumi.Input<string>;
  /** The Rekognition user (created by a User resource or CreateUser). */
  readonly userId: pulumi.Input<string>;
  /** The faces that belong to the user: a set, order does not matter. At most 100. */
  readonly faceIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The confidence (0–100) a new face must match the user's faces with. Default 75. */
  readonly userMatchThreshold?: pulumi.Input<number>;
  /**
   * When true, the declared faces are the user's whole set: faces associated
   * some other way are disassociated. Default false: only the declared faces
   * are managed, others are left alone.
   */
  readonly exclusive?: pulumi.Input<boolean>;
  /** Wait after a change until the user is ACTIVE (searchable). Default true. */
  readonly waitForActive?: pulumi.Input<boolean>;
  /** How long to wait for ACTIVE, in seconds. Default 300. */
  readonly activeTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * Declares which indexed faces belong to a Rekognition user. `pulumi up`
 * calls AssociateFaces for added faces and DisassociateFaces for removed
 * ones; every face that fails is a deployment error, and the state records
 * the faces that really are associated. ID: `<collectionId>/<userId>`.
 */
export class UserFaceAssociation extends pulumi.dynamic.Resource {
  declare readonly collectionId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;
  /** The declared faces that are associated with the user, sorted. */
  declare readonly faceIds: pulumi.Output<string[]>;
  /** The user's status after the last change (ACTIVE once searchable). */
  declare readonly userStatus: pulumi.Output<string>;
  /** Faces that failed in the last apply, with Rekognition's reasons. */
  declare readonly failedFaces: pulumi.Output<FaceFailure[]>;
  declare readonly userMatchThreshold: pulumi.Output<number>;
  declare readonly exclusive: pulumi.Output<boolean>;

  constructor(name: string, args: UserFaceAssociationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerShim(implementationModule("user-face-association")),
      name,
      { ...args, sensitive: sensitivityOf(args), ...associationOutputs },
      opts,
      "rekognition",
      "UserFaceAssociation",
    );
  }
}
