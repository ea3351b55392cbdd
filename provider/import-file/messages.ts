/** The words a person reads from the import-file command: one line each, never a stack trace. */
import { awsErrorName, isAccessDenied, messageOf } from "../aws/errors.js";
import type { ImportFile } from "./model.js";
import { TYPES } from "./model.js";

export interface Target {
  readonly collectionId: string;
  readonly region?: string;
  readonly endpoint?: string;
}

function where({ region, endpoint }: Target): string {
  return [region && `region ${region}`, endpoint && `at ${endpoint}`].filter(Boolean).join(" ") || "AWS";
}

export function collectionMissingLine(target: Target): string {
  return (
    `collection '${target.collectionId}' does not exist in ${where(target)}: check --collection ` +
    `(aws rekognition list-collections lists them), or --region / --endpoint if it lives elsewhere`
  );
}

/** An error of the reads or the setup, as one line that says what to do. */
export function failureLine(err: unknown, target: Target): string {
  const name = awsErrorName(err);
  const message = messageOf(err).split("\n")[0]!;
  if (message.startsWith("Region is missing")) {
    return "no AWS region: pass --region <region>, or set AWS_REGION (or a region in the profile)";
  }
  if (name === "CredentialsProviderError") {
    return (
      `no AWS credentials (${message}): pass --profile <name> or set AWS_PROFILE, ` +
      "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    );
  }
  if (isAccessDenied(err)) {
    return (
      `access denied reading collection '${target.collectionId}' in ${where(target)} (${message}): ` +
      "the caller needs rekognition:DescribeCollection, rekognition:ListUsers and rekognition:ListFaces"
    );
  }
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ECONNRESET") {
    return `cannot reach Rekognition ${where(target)} (${String(code)}): check --endpoint and that the endpoint is running`;
  }
  const reading = `reading collection '${target.collectionId}' in ${where(target)}`;
  return name && name !== "Error" ? `${name} ${reading}: ${message}` : `${reading}: ${message}`;
}

/** What was written, for standard error. */
export function summaryLine(file: ImportFile, destination: string, calls: number, seconds: number): string {
  const count = (type: string) => file.resources.filter((r) => r.type === type).length;
  const n = (value: number) => value.toLocaleString("en");
  const collections = count(TYPES.collection);
  return (
    `wrote ${destination}: ` +
    [
      ...(collections ? [`${collections} collection`] : []),
      `${n(count(TYPES.user))} users`,
      `${n(count(TYPES.association))} face associations`,
    ].join(", ") +
    ` (${n(calls)} calls, ${seconds.toFixed(1)} s); next: pulumi import --file ${destination === "standard output" ? "<file>" : destination}`
  );
}
