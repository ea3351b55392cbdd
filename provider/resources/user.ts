import * as pulumi from "@pulumi/pulumi";
import { stackScope } from "../scope.js";
import { sensitivityOf } from "../secrets.js";
import { userOutputs, type UserOutputs } from "./outputs.js";
import { dynamicResource } from "./resource-class.js";

export interface UserArgs {
  /** The collection the user belongs to. */
  readonly collectionId: pulumi.Input<string>;
  /** The user's ID: letters, digits, '_', '.', ':' and '-', at most 128. */
  readonly userId: pulumi.Input<string>;
  /**
   * Manage a user that already exists instead of failing with its
   * ConflictException. Default false.
   */
  readonly adopt?: pulumi.Input<boolean>;
  /**
   * Delete the user when the resource is destroyed. Default: true for a user
   * this resource created, false for an adopted one.
   */
  readonly deleteOnDestroy?: pulumi.Input<boolean>;
}

/**
 * A Rekognition user (CreateUser / DeleteUser): the person that faces are
 * associated with. ID: `<collectionId>/<userId>`; another collection or user
 * ID replaces it.
 */
export class User extends dynamicResource<UserOutputs>("user", "User") {
  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    // Only a secret user ID adds an input: every other User's inputs stay as they were.
    const sensitive = sensitivityOf(args).apply((s) => (s.userId ? s : undefined));
    super(name, { ...args, scope: stackScope(), sensitive, ...userOutputs }, opts);
  }
}
