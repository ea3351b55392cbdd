// The plugin's configuration: `rekognition-faces:*` keys (or an explicit
// Provider's inputs) read with the meaning the dynamic provider gives the
// `aws:*` keys, so one reader (../aws/settings.ts) serves both hosts.
import { randomUUID } from "node:crypto";
import { closest, type CheckFailure } from "../check.js";
import { readAwsSettings, ConfigurationError, RATE_LIMITS_KEY, type ConfigSource } from "../aws/settings.js";
import type { Props } from "../engine.js";
import { reveal } from "./wire.js";

export const packageName = "rekognition-faces";

/** The provider input that holds this stack's identity (../scope.ts), minted once. */
export const identityKey = "stackIdentity";

/** The plugin's key for each `aws:` key the dynamic provider reads. */
const awsKeys: Readonly<Record<string, string>> = {
  region: "aws:region",
  profile: "aws:profile",
  maxRetries: "aws:maxRetries",
  endpoints: "aws:endpoints",
  accessKey: "aws:accessKey",
  secretKey: "aws:secretKey",
  token: "aws:token",
  sharedCredentialsFiles: "aws:sharedCredentialsFiles",
  sharedConfigFiles: "aws:sharedConfigFiles",
  assumeRoles: "aws:assumeRoles",
  assumeRole: "aws:assumeRole",
  allowedAccountIds: "aws:allowedAccountIds",
  forbiddenAccountIds: "aws:forbiddenAccountIds",
  rateLimits: RATE_LIMITS_KEY,
};

/** The keys a Provider takes, besides the engine's own `version`. */
export const providerKeys = [...Object.keys(awsKeys), identityKey];

/**
 * Provider inputs as the settings reader reads stack configuration: a string
 * as it is, anything else as JSON (how Pulumi's SDKs send a Provider's
 * structured inputs, and how the configuration would write it).
 */
export function configSource(inputs: Props): ConfigSource {
  const byAwsKey = new Map<string, string>();
  for (const [key, awsKey] of Object.entries(awsKeys)) {
    const value = reveal(inputs[key]);
    if (value === undefined || value === null || value === "") continue;
    byAwsKey.set(awsKey, typeof value === "string" ? value : JSON.stringify(value));
  }
  return { get: (key) => byAwsKey.get(key) };
}

/** `rekognition-faces:config:region` (how Configure's variables name keys) to `region`. */
export function inputsFromVariables(variables: ReadonlyMap<string, string>): Props {
  const prefix = `${packageName}:config:`;
  const inputs: Props = {};
  for (const [key, value] of variables) if (key.startsWith(prefix)) inputs[key.slice(prefix.length)] = value;
  return inputs;
}

/** A settings message in the plugin's own keys: each `aws:` key it names, as `rekognition-faces:`. */
export function pluginWording(message: string): string {
  let out = message;
  for (const [key, awsKey] of Object.entries(awsKeys)) out = out.split(awsKey).join(`${packageName}:${key}`);
  return out;
}

export interface ConfigCheck {
  readonly inputs: Props;
  readonly failures: CheckFailure[];
}

/**
 * CheckConfig: the settings must be usable as written, unknown keys are named,
 * and the stack's identity is kept from the recorded inputs or minted now (the
 * engine records it with the provider before any resource uses it).
 */
export function checkConfig(olds: Props, news: Props): ConfigCheck {
  const failures: CheckFailure[] = [];
  const settings = providerKeys.filter((k) => k !== identityKey);
  for (const key of Object.keys(news))
    if (key !== "version" && !providerKeys.includes(key))
      failures.push({
        // On the provider, not the key: the engine would print the value beside it, a secret's too.
        property: "",
        reason:
          `${packageName}:${key} is not a setting of this provider: did you mean ` +
          `${packageName}:${closest(key, settings)}? (use one of ${settings.join(", ")})`,
      });
  try {
    readAwsSettings(configSource(news));
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    failures.push({ property: "", reason: pluginWording(err.message) });
  }
  const recorded = olds[identityKey];
  const identity = typeof recorded === "string" && recorded !== "" ? recorded : news[identityKey];
  return {
    inputs: {
      ...news,
      [identityKey]: typeof identity === "string" && identity !== "" ? identity : randomUUID(),
    },
    failures,
  };
}

/** The settings of a configured plugin, worded for its own keys when they fail. */
export function pluginConfig(inputs: Props): ConfigSource & { readonly identity?: string } {
  const source = configSource(inputs);
  const identity = reveal(inputs[identityKey]);
  return {
    get: (key) => source.get(key),
    ...(typeof identity === "string" && identity !== "" && { identity }),
  };
}
