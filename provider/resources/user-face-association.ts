import * as pulumi from "@pulumi/pulumi";
import { sensitivityOf } from "../secrets.js";
import { associationOutputs, type UserFaceAssociationOutputs } from "./outputs.js";
import { dynamicResource } from "./resource-class.js";

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
export class UserFaceAssociation extends dynamicResource<UserFaceAssociationOutputs>(
  "user-face-association",
  "UserFaceAssociation",
) {
  constructor(name: string, args: UserFaceAssociationArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, sensitive: sensitivityOf(args), ...associationOutputs }, opts);
  }
}
