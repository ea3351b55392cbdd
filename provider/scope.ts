import type * as pulumi from "@pulumi/pulumi";
import { stackIdentity } from "./resources/stack-identity.js";

/**
 * The stack a resource belongs to, passed by the resource class as an input:
 * the dynamic provider host is not told which stack it serves. A create that
 * was interrupted (a killed `pulumi up`) left its user or collection behind;
 * marks derived from the scope let the next create recognise what this stack
 * made, without taking over anything it did not.
 *
 * It is the stack's identity, a random ID recorded in this stack's own state
 * (./resources/stack-identity.ts) before any resource that uses it is created,
 * never the organization, project and stack names: another stack on another
 * backend can have the same names (on the file backend the organization is
 * always `organization`). States written before the identity existed
 * recorded `<organization>/<project>/<stack>` here; those resources keep it.
 */
export function stackScope(): pulumi.Output<string> {
  return stackIdentity().stackId;
}

export { ownerTagKey, scopeDigest, stackUserToken } from "./scope-marks.js";
