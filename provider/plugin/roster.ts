// The FaceRoster component as the plugin constructs it for any language: the
// same component as the dynamic FaceRoster (../resources/face-roster.ts),
// made of the plugin's own resources.
import * as pulumi from "@pulumi/pulumi";
import type { ConstructResult } from "@pulumi/pulumi/provider";
import { FaceRoster, type FaceRosterArgs } from "../resources/face-roster.js";
import { pluginKit } from "../sdk/index.js";

/** Inputs the roster reads when the program runs, so they cannot wait for another resource. */
const planned = ["people", "manifest", "s3Prefix", "mode", "shards"] as const;

export async function constructRoster(
  name: string,
  type: string,
  inputs: pulumi.Inputs,
  options: pulumi.ComponentResourceOptions,
): Promise<ConstructResult> {
  if (type !== pluginKit.type)
    throw new Error(`rekognition-faces has no component '${type}': use ${pluginKit.type}`);
  for (const key of planned)
    if (pulumi.Output.isInstance(inputs[key]))
      throw new pulumi.InputPropertyError({
        propertyPath: key,
        reason: `FaceRoster '${name}': ${key} is read when the program runs: give it as a value, not another resource's output`,
      });
  const roster = new FaceRoster(
    name,
    inputs as FaceRosterArgs,
    await withWholeDeletedWith(options),
    pluginKit,
  );
  const state: pulumi.Inputs = { summary: roster.summary };
  if (inputs["mode"] !== "bulk") state["users"] = roster.users;
  return { urn: roster.urn, state };
}

/**
 * The options with `deletedWith` naming the resource the program gave.
 * @pulumi/pulumi's provider server reads a component's `deletedWith` as a
 * provider reference (`<urn>::<id>`), so the resource's name, taken for an ID,
 * is cut off its URN and the engine refuses the roster ("invalid DeletedWith
 * URN"): the bug pulumi/pulumi#23708 fixed for Python's components only.
 */
async function withWholeDeletedWith(
  options: pulumi.ComponentResourceOptions,
): Promise<pulumi.ComponentResourceOptions> {
  const given = options.deletedWith;
  if (!(given instanceof pulumi.DependencyProviderResource)) return options;
  // The engine sends a plain URN: what was split off as an ID is its last part.
  const [urn, name] = await Promise.all([known(given.urn), known(given.id)]);
  return { ...options, deletedWith: new pulumi.DependencyResource(`${urn}::${name}`) };
}

const known = <T>(value: pulumi.Output<T>): Promise<T> =>
  new Promise((resolve) => value.apply((v) => (resolve(v), v)));
