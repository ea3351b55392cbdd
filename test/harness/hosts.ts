// The two hosts of the same resources: the dynamic provider a TypeScript
// program runs, and the provider plugin any Pulumi language calls. A test
// that proves a promise of the shared implementation runs under both.
import type { LocalRekognition } from "./rekognition.js";
import { TestStack } from "./stack.js";

export interface Host {
  readonly name: string;
  /** The module a TypeScript program imports the resources from. */
  readonly module: string;
  /** The state type of one of this package's resources (`User`, `FaceRosterShard`, …). */
  type(resource: string): string;
  /** The stack setting this host reads for one of the provider's settings (`region`, `maxRetries`, …). */
  setting(key: string): string;
  /** A stack of this host deployed against a running rekognition-local. */
  stack(local: LocalRekognition, name: string, program: string): Promise<TestStack>;
}

export const dynamicHost: Host = {
  name: "the dynamic provider",
  module: "pulumi-rekognition-faces",
  type: (resource) => `pulumi-nodejs:dynamic/rekognition:${resource}`,
  setting: (key) => `aws:${key}`,
  stack: (local, name, program) => TestStack.on(local, name, program),
};

export const pluginHost: Host = {
  name: "the provider plugin",
  module: "pulumi-rekognition-faces/plugin",
  type: (resource) => `rekognition-faces:index:${resource}`,
  setting: (key) => `rekognition-faces:${key}`,
  stack: (local, name, program) => TestStack.onPlugin(local, name, program),
};

export const hosts: readonly Host[] = [dynamicHost, pluginHost];
