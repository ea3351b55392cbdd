import * as pulumi from "@pulumi/pulumi";
import { implementationModule, providerShim } from "../shim.js";

/**
 * A resource class like `Base` (its public static members kept), whose constructor
 * takes the inputs to register and whose instances also carry `Outputs`: the
 * properties the engine fills in. One interface per resource (./outputs.ts)
 * thus declares the outputs of both hosts' classes.
 */
export type ResourceClass<Base extends abstract new (...args: never) => pulumi.Resource, Outputs> = Pick<
  Base,
  keyof Base
> &
  (new (
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) => InstanceType<Base> & Outputs);

/**
 * The base of a dynamic resource class: its provider is the shim of
 * `implementation` (../dynamic/<implementation>.ts), its type
 * `pulumi-nodejs:dynamic/rekognition:<type>`.
 */
export function dynamicResource<Outputs>(
  implementation: string,
  type: string,
): ResourceClass<typeof pulumi.dynamic.Resource, Outputs> {
  // Only the type adds `Outputs`: Pulumi makes an Output property of every key
  // of `props`, which is why each class registers its outputs as undefined.
  return class extends pulumi.dynamic.Resource {
    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
      super(providerShim(implementationModule(implementation)), name, props, opts, "rekognition", type);
    }
  } as unknown as ResourceClass<typeof pulumi.dynamic.Resource, Outputs>;
}
