import { createHash } from "node:crypto";
import { RekognitionClient } from "@aws-sdk/client-rekognition";
import type { AwsCredentialIdentityProvider, MiddlewareStack } from "@smithy/types";
import type { AwsSettings } from "../config.js";
import { checkAccount, needsAccountCheck } from "./account.js";
import { credentialProvider } from "./credentials.js";

const clients = new Map<string, RekognitionClient>();

/**
 * One client per configuration for the life of the provider process: the
 * credential chain is resolved once, and connections are reused across every
 * resource of a deployment. With allowed or forbidden account IDs, the
 * account is checked once, before the client's first call; a refusal fails
 * that call and every later one.
 */
export function rekognitionClient(settings: AwsSettings): RekognitionClient {
  const key = cacheKey(settings);
  let client = clients.get(key);
  if (!client) {
    const credentials = credentialProvider(settings);
    client = new RekognitionClient({
      ...(settings.region && { region: settings.region }),
      // A profile names the base credentials only when no static keys do.
      ...(settings.profile && !settings.credentials && { profile: settings.profile }),
      ...(settings.endpoint && { endpoint: settings.endpoint }),
      ...(credentials && { credentials }),
      maxAttempts: settings.maxAttempts,
      // Adaptive mode adds client-side rate limiting on top of the standard
      // retries, which keeps a large roster under the service's TPS quota.
      retryMode: "adaptive",
      // A dropped connection must end in a retry, not a deployment that hangs.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    guardAccount(client.middlewareStack, settings, credentials);
    clients.set(key, client);
  }
  return client;
}

/**
 * With allowed or forbidden account IDs, the client's first call waits for the
 * account check, and fails with it: before retries and signing, so a refused
 * account is never called.
 */
export function guardAccount<Input extends object, Output extends object>(
  stack: MiddlewareStack<Input, Output>,
  settings: AwsSettings,
  credentials: AwsCredentialIdentityProvider | undefined,
): void {
  if (!needsAccountCheck(settings)) return;
  let checked: Promise<void> | undefined;
  stack.add(
    (next) => async (args) => {
      await (checked ??= checkAccount(settings, credentials));
      return next(args);
    },
    { step: "initialize", name: "allowedAccountCheck" },
  );
}

/** The settings with every secret replaced by its hash: equal settings share a client, and no secret sits in memory as a key. */
export function cacheKey(settings: AwsSettings): string {
  const hash = (value: string | undefined) =>
    value === undefined ? undefined : createHash("sha256").update(value).digest("hex");
  return JSON.stringify({
    ...settings,
    ...(settings.credentials && {
      credentials: {
        accessKeyId: settings.credentials.accessKeyId,
        secretAccessKey: hash(settings.credentials.secretAccessKey),
        sessionToken: hash(settings.credentials.sessionToken),
      },
    }),
    ...(settings.assumeRoles && {
      assumeRoles: settings.assumeRoles.map((role) => ({ ...role, externalId: hash(role.externalId) })),
    }),
  });
}
