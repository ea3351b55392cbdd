import { readAssumeRoles, type AssumeRoleSettings } from "./assume-roles.js";
import { closest, ConfigurationError, isRecord, parseJson, stringList, stringsAt } from "./config-values.js";
import { environmentEndpoints, readEndpoints } from "./endpoints.js";
import { REKOGNITION_OPERATIONS, type RateLimits } from "./rate-limits.js";

export { ConfigurationError } from "./config-values.js";
export type { AssumeRoleSettings } from "./assume-roles.js";

/** A key pair from `aws:accessKey` / `aws:secretKey` (and `aws:token`). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  /** Secret. */
  readonly secretAccessKey: string;
  /** Secret. */
  readonly sessionToken?: string;
}

/** How to reach Rekognition, read from the stack's configuration. */
export interface AwsSettings {
  readonly region?: string;
  readonly profile?: string;
  /** A custom endpoint for Rekognition (rekognition-local, a VPC endpoint). */
  readonly endpoint?: string;
  /** A custom endpoint for STS (role assumption, the account check). */
  readonly stsEndpoint?: string;
  /** A custom endpoint for S3 (listing a roster's photos under a prefix), addressed path-style. */
  readonly s3Endpoint?: string;
  /** Attempts per call, throttling and 5xx retried with the SDK's strategy. */
  readonly maxAttempts: number;
  /** Static credentials; they take precedence over profiles and the environment. */
  readonly credentials?: StaticCredentials;
  readonly sharedCredentialsFiles?: string[];
  readonly sharedConfigFiles?: string[];
  /** Roles assumed in order, each with the credentials of the one before. */
  readonly assumeRoles?: AssumeRoleSettings[];
  readonly allowedAccountIds?: string[];
  readonly forbiddenAccountIds?: string[];
  /**
   * Client-side TPS by operation from `rekognition-faces:rateLimits`
   * (`default` for the others; 0: not limited); absent: the built-in defaults.
   */
  readonly rateLimits?: RateLimits;
}

export interface ConfigSource {
  get(key: string): string | undefined;
}

/** This package's own configuration key: client-side rate limits by operation. */
export const RATE_LIMITS_KEY = "rekognition-faces:rateLimits";

/** Every key read here (the README's configuration table lists them). */
export const CONFIG_KEYS = [
  "aws:region",
  "aws:profile",
  "aws:maxRetries",
  "aws:endpoints",
  "aws:accessKey",
  "aws:secretKey",
  "aws:token",
  "aws:sharedCredentialsFiles",
  "aws:sharedConfigFiles",
  "aws:assumeRoles",
  "aws:assumeRole",
  "aws:allowedAccountIds",
  "aws:forbiddenAccountIds",
  RATE_LIMITS_KEY,
] as const;

const defaultMaxAttempts = 10;

/**
 * Reads the keys @pulumi/aws uses, with its meaning, so one stack
 * configuration serves both. Anything it cannot use is a ConfigurationError:
 * a configuration is used as written or not at all, never half-read with the
 * rest filled in from the environment.
 */
export function readAwsSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): AwsSettings {
  refusePluginKeys(config);
  const region = nonEmpty(config.get("aws:region"));
  const profile = nonEmpty(config.get("aws:profile"));
  // Configured endpoints first, then the AWS SDKs' environment (AWS_ENDPOINT_URL_REKOGNITION, ...).
  const endpoints = { ...environmentEndpoints(env), ...readEndpoints(config.get("aws:endpoints")) };
  const credentials = staticCredentials(config);
  const sharedCredentialsFiles = stringList(
    "aws:sharedCredentialsFiles",
    config.get("aws:sharedCredentialsFiles"),
  );
  const sharedConfigFiles = stringList("aws:sharedConfigFiles", config.get("aws:sharedConfigFiles"));
  const assumeRoles = readAssumeRoles(config.get("aws:assumeRoles"), config.get("aws:assumeRole"));
  const allowedAccountIds = accountIds("aws:allowedAccountIds", config.get("aws:allowedAccountIds"));
  const forbiddenAccountIds = accountIds("aws:forbiddenAccountIds", config.get("aws:forbiddenAccountIds"));
  if (allowedAccountIds && forbiddenAccountIds) {
    throw new ConfigurationError(
      "aws:allowedAccountIds and aws:forbiddenAccountIds are both set: keep one of them (@pulumi/aws accepts only one)",
    );
  }
  // The defaults are Rekognition's quotas on AWS. Another endpoint (rekognition-local)
  // has its own, or none: it is not paced unless the configuration says so.
  const rateLimits =
    readRateLimits(config.get(RATE_LIMITS_KEY)) ?? (endpoints.rekognition ? { default: 0 } : undefined);
  return {
    ...(region && { region }),
    ...(profile && { profile }),
    ...(endpoints.rekognition && { endpoint: endpoints.rekognition }),
    ...(endpoints.sts && { stsEndpoint: endpoints.sts }),
    ...(endpoints.s3 && { s3Endpoint: endpoints.s3 }),
    maxAttempts: maxAttempts(config.get("aws:maxRetries")),
    ...(credentials && { credentials }),
    ...(sharedCredentialsFiles && { sharedCredentialsFiles }),
    ...(sharedConfigFiles && { sharedConfigFiles }),
    ...(assumeRoles.length > 0 && { assumeRoles }),
    ...(allowedAccountIds && { allowedAccountIds }),
    ...(forbiddenAccountIds && { forbiddenAccountIds }),
    ...(rateLimits && { rateLimits }),
  };
}

/**
 * The provider plugin reads `rekognition-faces:region` where the dynamic
 * provider reads `aws:region` (and so on). One of them set where its `aws:`
 * key is not would be silently ignored here, and the call would go elsewhere
 * (real AWS, its default region): refused instead, naming the key to set.
 * (Under the plugin, the source holds `aws:` keys only: nothing to refuse.)
 */
function refusePluginKeys(config: ConfigSource): void {
  for (const awsKey of CONFIG_KEYS) {
    if (!awsKey.startsWith("aws:")) continue;
    const pluginKey = `rekognition-faces:${awsKey.slice("aws:".length)}`;
    if (config.get(pluginKey) === undefined || config.get(awsKey) !== undefined) continue;
    throw new ConfigurationError(
      `${pluginKey} is the provider plugin's key (YAML, Python, Go); this stack's resources are the dynamic ` +
        `provider's, which read ${awsKey}: set ${awsKey} instead (pulumi config set ${awsKey} …) and remove ${pluginKey}`,
    );
  }
}

/**
 * `rekognition-faces:rateLimits`: `{ "<Operation>": TPS, "default": TPS }`, a
 * TPS of 0 or "off" turning limiting off for that operation.
 */
export function readRateLimits(raw: string | undefined): RateLimits | undefined {
  if (raw === undefined || raw === "") return undefined;
  const key = RATE_LIMITS_KEY;
  const example = `an object of operation name to transactions per second, such as {"default": 5, "IndexFaces": 50}`;
  const parsed = parseJson(key, raw, example);
  if (!isRecord(parsed)) {
    throw new ConfigurationError(`${key} must be ${example}, got ${raw}`);
  }
  const valid: readonly string[] = ["default", ...REKOGNITION_OPERATIONS];
  const limits: Record<string, number> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!valid.includes(name)) {
      const guess = closest(name, valid);
      throw new ConfigurationError(
        `${key} names an unknown operation ${JSON.stringify(name)}` +
          (guess ? `: did you mean ${JSON.stringify(guess)}?` : "") +
          ` Valid names: ${valid.join(", ")}`,
      );
    }
    const tps =
      value === "off"
        ? 0
        : typeof value === "number"
          ? value
          : typeof value === "string" && value.trim() !== ""
            ? Number(value)
            : NaN;
    if (!Number.isFinite(tps) || tps < 0) {
      throw new ConfigurationError(
        `${key}.${name} must be a number of transactions per second (0 or "off" for no limit), got ${JSON.stringify(value)}`,
      );
    }
    limits[name] = tps;
  }
  return limits;
}

function maxAttempts(raw: string | undefined): number {
  if (raw === undefined || raw === "") return defaultMaxAttempts;
  const retries = Number(raw);
  if (!Number.isInteger(retries) || retries < 0) {
    throw new ConfigurationError(`aws:maxRetries must be a whole number of retries (0 or more), got ${raw}`);
  }
  return retries + 1;
}

function staticCredentials(config: ConfigSource): StaticCredentials | undefined {
  const accessKeyId = nonEmpty(config.get("aws:accessKey"));
  const secretAccessKey = nonEmpty(config.get("aws:secretKey"));
  const sessionToken = nonEmpty(config.get("aws:token"));
  if (!accessKeyId && !secretAccessKey) {
    if (sessionToken) {
      throw new ConfigurationError(
        "aws:token is set without aws:accessKey and aws:secretKey: a session token only works with the key pair it was issued with; set both, or remove aws:token",
      );
    }
    return undefined;
  }
  if (!accessKeyId) {
    throw new ConfigurationError(
      "aws:secretKey is set without aws:accessKey: set aws:accessKey too (pulumi config set aws:accessKey <id>), or remove aws:secretKey",
    );
  }
  if (!secretAccessKey) {
    throw new ConfigurationError(
      `aws:accessKey is set (${accessKeyId}) without aws:secretKey: set it as a secret (pulumi config set --secret aws:secretKey <key>), or remove aws:accessKey`,
    );
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
}

function accountIds(key: string, raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw === "") return undefined;
  const parsed = parseJson(key, raw, `a list of 12-digit account IDs such as ["123456789012"]`);
  // `pulumi config set --path key[0] 123456789012` stores a number: accept it as the ID it spells.
  const ids = stringsAt(
    key,
    Array.isArray(parsed) ? parsed.map((v: unknown) => (typeof v === "number" ? String(v) : v)) : parsed,
  );
  for (const [i, id] of ids.entries()) {
    if (!/^\d{12}$/.test(id)) {
      throw new ConfigurationError(
        `${key}[${i}] must be a 12-digit AWS account ID, got ${JSON.stringify(id)}` +
          (Array.isArray(parsed) && typeof parsed[i] === "number" && id.length >= 9 && id.length < 12
            ? ` (a leading zero is lost when the ID is stored as a number: quote it, as a string)`
            : ""),
      );
    }
  }
  return ids;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
