import { createHash } from "node:crypto";
import { RekognitionClient } from "@aws-sdk/client-rekognition";
import type { AwsCredentialIdentityProvider, MiddlewareStack } from "@smithy/types";
import type { AwsSettings } from "./settings.js";
import { checkAccount, needsAccountCheck } from "./account.js";
import { credentialProvider } from "./credentials.js";
import { isThrottle, RateLimiter, type OperationCounters } from "./rate-limits.js";

// One client and one rate limiter per configuration for the whole process:
// the SDK's sockets and the service's quota are per process, not per resource.
const clients = new Map<string, RekognitionClient>();
const limiters = new Map<string, RateLimiter>();

/**
 * One client per configuration for the life of the provider process: the
 * credential chain is resolved once, and connections are reused across every
 * resource of a deployment. With allowed or forbidden account IDs, the
 * account is checked once, before the client's first call; a refusal fails
 * that call and every later one.
 */
export function rekognitionClient(settings: AwsSettings): RekognitionClient {
  return configuredClient(clients, settings, (options, guard) => {
    const client = new RekognitionClient({
      ...options,
      ...(settings.endpoint && { endpoint: settings.endpoint }),
      // Standard, not adaptive: the rate limiter below paces each operation
      // against its own quota. The SDK's adaptive mode keeps one rate for the
      // whole client, per client: a throttled CreateUser would slow
      // AssociateFaces too, and the client without retries would not share
      // it; on top of the per-operation buckets it only adds a second, coarser
      // limit. Standard mode still retries throttles with backoff. Measured
      // on rekognition-local (150 concurrent CreateUser, quota 10/s, one
      // operation so no coupling): the same in both modes, 14.5 s and no
      // throttle configured at 10/s, 14.3 s and 7 throttles at 20/s.
      retryMode: "standard",
    });
    guard(client.middlewareStack);
    paceOperations(client, rateLimiterFor(settings));
    explainSetupFailures(client.middlewareStack, "Rekognition", settings.endpoint, settings.region);
    return client;
  });
}

/** What the service answers to a key it does not know, a wrong secret, or an expired session. */
const refusedCredentials = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
]);

/** Errors that mean the endpoint did not answer at all. */
const unreachable = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * What a call that never reached the service says: the SDK's own words
 * ("connect ECONNREFUSED 127.0.0.1:4599", "Region is missing", "Could not
 * load credentials from any providers") name neither the stack's setting
 * nor the fix. Pure: the reason to append, or undefined for any other error.
 * (The provider plugin names its own keys, `rekognition-faces:region`.)
 */
export function setupHint(
  err: unknown,
  service: string,
  endpoint: string | undefined,
  region: string | undefined,
): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && unreachable.has(code))
    return endpoint
      ? `nothing answers at ${endpoint}, the stack's ${service} endpoint (its endpoints configuration, ` +
          `or AWS_ENDPOINT_URL_${service.toUpperCase()}): ` +
          "start rekognition-local there, or correct the endpoint"
      : `${service} in ${region ?? "the default region"} cannot be reached: check the network, a proxy, and the region`;
  const message = err instanceof Error ? err.message : "";
  if (message === "Region is missing")
    return "set the stack's region (pulumi config set aws:region us-east-1), or AWS_REGION";
  if (message.startsWith("Region not accepted"))
    return "set the stack's region to a region code such as us-east-1 (pulumi config set aws:region us-east-1)";
  const name = (err as { name?: unknown } | undefined)?.name;
  const local = endpoint ? ` (at ${endpoint}: the keys its rekognition-local prints when it starts)` : "";
  if (name === "CredentialsProviderError")
    return (
      "give the stack credentials: aws:profile, or aws:accessKey with aws:secretKey (set with --secret), " +
      `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${local}`
    );
  if (typeof name === "string" && refusedCredentials.has(name))
    return (
      `${service} refused the stack's credentials: check aws:accessKey and aws:secretKey (or the profile, ` +
      `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), and aws:token for temporary keys${local}`
    );
  return undefined;
}

/**
 * A call that never reached the service fails, after its retries, with the
 * reason `setupHint` gives. The error keeps its name, code and metadata,
 * which retry decisions read; only its message gains the reason.
 */
export function explainSetupFailures<Input extends object, Output extends object>(
  stack: MiddlewareStack<Input, Output>,
  service: string,
  endpoint: string | undefined,
  region: string | undefined,
): void {
  stack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const hint = setupHint(err, service, endpoint, region);
        // Calls that share a failed credentials lookup share its error: explained once.
        if (hint && err instanceof Error && !err.message.includes(hint))
          err.message = `${err.message}: ${hint}`;
        throw err;
      }
    },
    { step: "initialize", name: "explainSetupFailures", priority: "high" },
  );
}

/** Every attempt of every call takes its operation's token first (./rate-limits.ts). */
function paceOperations(client: RekognitionClient, limiter: RateLimiter): void {
  const rateLimit =
    <A, O>(next: (args: A) => Promise<O>, context: { commandName?: string }) =>
    async (args: A): Promise<O> => {
      const operation = context.commandName?.replace(/Command$/, "") ?? "(unknown)";
      const epoch = await limiter.acquire(operation);
      try {
        const output = await next(args);
        limiter.succeeded(operation);
        return output;
      } catch (err) {
        if (isThrottle(err)) limiter.throttled(operation, epoch);
        else limiter.succeeded(operation);
        throw err;
      }
    };
  client.middlewareStack.addRelativeTo(
    rateLimit,
    // Inside the retry loop, so every attempt takes a token; before signing,
    // so a long wait never sends an expired signature.
    { relation: "before", toMiddleware: "httpSigningMiddleware", name: "operationRateLimit" },
  );
}

/**
 * The client of these settings in `cache`, made the first time with the
 * options every client of the provider shares and the account guard.
 */
export function configuredClient<C>(
  cache: Map<string, C>,
  settings: AwsSettings,
  make: (options: ReturnType<typeof clientOptions>, guard: AccountGuard) => C,
): C {
  return perConfiguration(cache, settings, () => {
    const credentials = credentialProvider(settings);
    return make(clientOptions(settings, credentials), (stack) => guardAccount(stack, settings, credentials));
  });
}

/** Adds the account check to a client's middleware (guardAccount). */
export type AccountGuard = <Input extends object, Output extends object>(
  stack: MiddlewareStack<Input, Output>,
) => void;

/** The client options every AWS client of the provider takes from the stack's settings. */
export function clientOptions(settings: AwsSettings, credentials: AwsCredentialIdentityProvider | undefined) {
  return {
    ...(settings.region && { region: settings.region }),
    // A profile names the base credentials only when no static keys do.
    ...(settings.profile && !settings.credentials && { profile: settings.profile }),
    ...(credentials && { credentials }),
    maxAttempts: settings.maxAttempts,
    // A dropped connection must end in a retry, not a deployment that hangs.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
}

/** The one value of `cache` for these settings, made by `make` the first time. */
export function perConfiguration<T>(cache: Map<string, T>, settings: AwsSettings, make: () => T): T {
  const key = cacheKey(settings);
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
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

/**
 * The rate limiter of a configuration: one per process for every client made
 * from the same settings, whatever their attempts per call (a client without
 * retries shares the buckets of the one with them).
 */
export function rateLimiterFor(settings: AwsSettings): RateLimiter {
  return perConfiguration(
    limiters,
    { ...settings, maxAttempts: 0 },
    () => new RateLimiter(settings.rateLimits),
  );
}

/** Attempts and throttles by operation, summed over every configuration of this process. */
export function callCounters(): Record<string, OperationCounters> {
  const sum: Record<string, OperationCounters> = {};
  for (const limiter of limiters.values()) {
    for (const [operation, counters] of Object.entries(limiter.counters())) {
      const total = (sum[operation] ??= { calls: 0, throttles: 0 });
      total.calls += counters.calls;
      total.throttles += counters.throttles;
    }
  }
  return sum;
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
