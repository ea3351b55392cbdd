import * as pulumi from "@pulumi/pulumi";
import { dynamicResource } from "./resource-class.js";

/** The identity resource's logical name: one per stack, whatever the program declares. */
export const stackIdentityName = "rekognition-faces-stack-identity";

export interface StackIdentityOutputs {
  /** A random UUID, the same for the life of the stack's state. */
  readonly stackId: pulumi.Output<string>;
}

/**
 * The stack's own identity: a random ID minted when the resource is created
 * and kept in this stack's state (../scope.ts). Not declared by users: the
 * first resource that needs it creates it.
 */
export class StackIdentity extends dynamicResource<StackIdentityOutputs>("stack-identity", "StackIdentity") {
  constructor() {
    super(stackIdentityName, { stackId: undefined }, {});
  }
}

// Keyed by the run's Stack resource: a process that runs programs one after
// another (the Automation API) gets one identity resource per run.
const perRun = new WeakMap<object, StackIdentity>();
const outsideRun = {};

/** This program's identity resource, registered on first use. */
export function stackIdentity(): StackIdentity {
  const run: object = pulumi.runtime.getStackResource() ?? outsideRun;
  let identity = perRun.get(run);
  if (!identity) {
    identity = new StackIdentity();
    perRun.set(run, identity);
  }
  return identity;
}
