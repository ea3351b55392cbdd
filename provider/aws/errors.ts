/** The error name the AWS SDK gives a service exception, if it is one. */
export function awsErrorName(err: unknown): string | undefined {
  return err && typeof err === "object" && "name" in err && typeof err.name === "string"
    ? err.name
    : undefined;
}

export function isNotFound(err: unknown): boolean {
  return awsErrorName(err) === "ResourceNotFoundException";
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Whether the service answered with a refusal (a 4xx error: throttling past
 * the retries, access denied, bad input), so the call was not applied. A 5xx,
 * a timeout or a dropped connection may have been applied.
 */
export function wasRefused(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return typeof status === "number" && status >= 400 && status < 500;
}

export function isAccessDenied(err: unknown): boolean {
  const name = awsErrorName(err);
  return name === "AccessDeniedException" || name === "AccessDenied";
}
