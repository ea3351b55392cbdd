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
