import { closest, ConfigurationError, endpointUrl, isRecord, parseJson } from "./config-values.js";
import { ENDPOINT_KEYS } from "./endpoint-keys.js";

/** The endpoints this library calls, from `aws:endpoints`. */
export interface Endpoints {
  rekognition?: string;
  sts?: string;
  /** Listing a roster's photos under an S3 prefix. */
  s3?: string;
}

const known = new Set(ENDPOINT_KEYS);
const example = `a list such as [{"rekognition": "http://127.0.0.1:4599"}]`;

/**
 * Reads `aws:endpoints` as @pulumi/aws does: a list of objects keyed by
 * service. A key @pulumi/aws would not accept fails, naming the key it most
 * likely meant: a mistyped `Rekognition` must never send calls to real AWS.
 */
export function readEndpoints(raw: string | undefined): Endpoints {
  if (raw === undefined || raw === "") return {};
  const parsed = parseJson("aws:endpoints", raw, example);
  if (!Array.isArray(parsed)) {
    throw new ConfigurationError(`aws:endpoints must be ${example}, got ${raw}`);
  }
  const found: Endpoints = {};
  parsed.forEach((entry: unknown, i) => {
    const path = `aws:endpoints[${i}]`;
    if (!isRecord(entry)) {
      throw new ConfigurationError(
        `${path} must be an object such as {"rekognition": "http://127.0.0.1:4599"}`,
      );
    }
    for (const [key, value] of Object.entries(entry)) {
      if (!known.has(key)) {
        const meant = closest(key, ENDPOINT_KEYS);
        throw new ConfigurationError(
          `${path} has an unknown service key "${key}"` +
            (meant
              ? `: did you mean "${meant}"?`
              : ': use a service key @pulumi/aws accepts, such as "rekognition"') +
            ` Nothing is called until it is fixed (pulumi config set --path 'aws:endpoints[${i}].${meant ?? "rekognition"}' <url>).`,
        );
      }
      const url = endpointUrl(`${path}.${key}`, value);
      if (key === "rekognition" || key === "sts" || key === "s3") found[key] ??= url;
      // @pulumi/aws takes "s3api" as another name of "s3".
      if (key === "s3api") found.s3 ??= url;
    }
  });
  return found;
}

/** The AWS SDKs' service-specific endpoint variable for each endpoint this library calls. */
const environmentNames: Readonly<Record<keyof Endpoints, string>> = {
  rekognition: "AWS_ENDPOINT_URL_REKOGNITION",
  sts: "AWS_ENDPOINT_URL_STS",
  s3: "AWS_ENDPOINT_URL_S3",
};

/**
 * The endpoints the AWS SDKs' standard environment names: the service's own
 * variable, then `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
 * is true. Read here rather than left to the SDK, so that a local endpoint is
 * known as one (it is not paced by AWS's quotas).
 */
export function environmentEndpoints(env: NodeJS.ProcessEnv): Endpoints {
  if (env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] === "true") return {};
  const found: Endpoints = {};
  for (const [service, name] of Object.entries(environmentNames) as [keyof Endpoints, string][]) {
    const variable = env[name] ? name : "AWS_ENDPOINT_URL";
    const value = env[variable];
    if (value) found[service] = endpointUrl(variable, value);
  }
  return found;
}
