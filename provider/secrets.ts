import * as pulumi from "@pulumi/pulumi";
import type { Sensitivity } from "./sealing.js";

export { isSensitivity, notSensitive, redact, sealProperties, sealed, type Sensitivity } from "./sealing.js";

/** In the program: the sensitivity input of a resource, from its inputs. */
export function sensitivityOf(inputs: {
  readonly faceIds?: pulumi.Input<pulumi.Input<string>[]>;
  readonly userId?: pulumi.Input<string>;
}): pulumi.Output<Sensitivity> {
  return pulumi
    .all([pulumi.isSecret(pulumi.output(inputs.faceIds)), pulumi.isSecret(pulumi.output(inputs.userId))])
    .apply(([faceIds, userId]) => ({ faceIds, userId }));
}
