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
