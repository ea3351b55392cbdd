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
  const roster = new FaceRoster(name, inputs as FaceRosterArgs, options, pluginKit);
  const state: pulumi.Inputs = { summary: roster.summary };
  if (inputs["mode"] !== "bulk") state["users"] = roster.users;
  return { urn: roster.urn, state };
}
