import { S3Client } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { readAwsSettings, type AwsSettings, type ConfigSource } from "./settings.js";
import { configuredClient, explainSetupFailures } from "./client.js";

/** What listing a roster's photos needs from S3: an S3Client (the SDK's paginator takes nothing less). */
export type S3ListClient = S3Client;

// One S3 client per configuration for the whole process, as for Rekognition (./client.ts).
const clients = new Map<string, S3Client>();

/**
 * An S3 client for the stack's AWS settings, as the provider builds its
 * Rekognition client: the same region, credentials (static keys, profile and
 * shared files, assumed roles) and account check, and the `s3` entry of
 * `aws:endpoints`, addressed path-style (`<endpoint>/<bucket>`), which is what
 * rekognition-local and most S3-compatible endpoints serve. One client per
 * configuration.
 */
export function s3ListClient(settings: AwsSettings): S3ListClient {
  return configuredClient(clients, settings, (options, guard) => {
    const client = new S3Client({
      ...options,
      ...(settings.s3Endpoint && { endpoint: settings.s3Endpoint, forcePathStyle: true }),
      retryMode: "adaptive",
    });
    guard(client.middlewareStack);
    explainSetupFailures(client.middlewareStack, "S3", settings.s3Endpoint, settings.region);
    return client;
  });
}

/**
 * The stack's `aws:` configuration in a Pulumi program, keyed as the provider
 * receives it (`aws:region`, `aws:endpoints`, …). Secret keys are read as
 * plain text: they only build the client, and are never exported.
 */
export function stackConfigSource(
  config: { get(key: string): string | undefined } = new pulumi.Config("aws"),
): ConfigSource {
  return {
    get: (key) => (key.startsWith("aws:") ? config.get(key.slice("aws:".length)) : undefined),
  };
}

/**
 * The S3 client of a Pulumi program, from the stack's `aws:` keys read as the
 * provider reads them, so the program lists where the provider indexes: the
 * same region, endpoints and credentials. A key it cannot use throws a
 * ConfigurationError naming it.
 */
export function s3ListClientFromStack(config: ConfigSource = stackConfigSource()): S3ListClient {
  return s3ListClient(readAwsSettings(config));
}
