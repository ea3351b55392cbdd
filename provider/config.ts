/** How to reach Rekognition, read from the stack's configuration. */
export interface AwsSettings {
  readonly region?: string;
  readonly profile?: string;
  /** A custom endpoint for Rekognition (rekognition-local, a VPC endpoint). */
  readonly endpoint?: string;
  /** Attempts per call, throttling and 5xx retried with the SDK's strategy. */
  readonly maxAttempts: number;
}

export interface ConfigSource {
  get(key: string): string | undefined;
}

const defaultMaxAttempts = 10;

/**
 * Reads the keys @pulumi/aws uses, so one stack configuration serves both:
 * `aws:region`, `aws:profile`, `aws:maxRetries`, and `aws:endpoints`, a list of
 * objects one of which may name a `rekognition` URL. Credentials are never
 * read here: they come from the AWS SDK's default chain, so nothing secret
 * passes through the provider's configuration.
 */
export function readAwsSettings(config: ConfigSource): AwsSettings {
  const region = nonEmpty(config.get("aws:region"));
  const profile = nonEmpty(config.get("aws:profile"));
  const endpoint = rekognitionEndpoint(config.get("aws:endpoints"));
  const maxRetries = Number(config.get("aws:maxRetries"));
  const maxAttempts = Number.isInteger(maxRetries) && maxRetries >= 0 ? maxRetries + 1 : defaultMaxAttempts;
  return {
    ...(region && { region }),
    ...(profile && { profile }),
    ...(endpoint && { endpoint }),
    maxAttempts,
  };
}

function rekognitionEndpoint(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(
      `aws:endpoints must be a list such as [{"rekognition": "http://127.0.0.1:4599"}], got ${raw}`,
    );
  }
  const entries: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  for (const entry of entries) {
    if (entry && typeof entry === "object" && "rekognition" in entry) {
      const url = entry.rekognition;
      if (typeof url === "string" && url !== "") return url;
    }
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
