import * as pulumi from "@pulumi/pulumi";

/** An explicit provider's settings: the `rekognition-faces:*` configuration keys. */
export interface ProviderArgs {
  readonly region?: pulumi.Input<string>;
  readonly profile?: pulumi.Input<string>;
  readonly maxRetries?: pulumi.Input<number>;
  readonly endpoints?: pulumi.Input<pulumi.Input<{ rekognition?: string; sts?: string; s3?: string }>[]>;
  /** Secret. */
  readonly accessKey?: pulumi.Input<string>;
  /** Secret. */
  readonly secretKey?: pulumi.Input<string>;
  /** Secret. */
  readonly token?: pulumi.Input<string>;
  readonly sharedCredentialsFiles?: pulumi.Input<pulumi.Input<string>[]>;
  readonly sharedConfigFiles?: pulumi.Input<pulumi.Input<string>[]>;
  readonly assumeRoles?: pulumi.Input<pulumi.Input<Record<string, unknown>>[]>;
  readonly allowedAccountIds?: pulumi.Input<pulumi.Input<string>[]>;
  readonly forbiddenAccountIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Client-side TPS by Rekognition operation (`default` for the rest; 0: not limited). */
  readonly rateLimits?: pulumi.Input<Record<string, pulumi.Input<number>>>;
}

const secretKeys = new Set(["accessKey", "secretKey", "token"]);

/**
 * Structured settings go to the engine as JSON text, as the SDKs of other
 * providers send them; credentials are always secret.
 */
export function providerInputs(args: ProviderArgs): pulumi.Inputs {
  const inputs: pulumi.Inputs = {};
  for (const [key, value] of Object.entries(args) as [string, pulumi.Input<unknown>][]) {
    if (value === undefined) continue;
    const text = pulumi.output(value).apply((v) => (typeof v === "string" ? v : JSON.stringify(v)));
    inputs[key] = secretKeys.has(key) ? pulumi.secret(text) : text;
  }
  return inputs;
}
