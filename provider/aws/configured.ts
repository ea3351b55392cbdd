import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { readAwsSettings, type AwsSettings, type ConfigSource } from "./settings.js";
import { rekognitionClient } from "./client.js";

// Every resource implementation runs in the one dynamic provider process of a
// deployment and is configured from the same stack configuration, so they
// share these settings (and, through rekognitionClient, one client).
let configuration: { settings: AwsSettings } | { error: Error } = { settings: { maxAttempts: 10 } };

/**
 * The `configure` step of every resource implementation. A configuration it
 * cannot use fails here, and is kept: the dynamic provider host configures a
 * provider only once, so every later call must fail through client() too,
 * rather than fall back to ambient settings or real AWS.
 */
export function configureFromStack(config: ConfigSource): void {
  try {
    configuration = { settings: readAwsSettings(config) };
  } catch (err) {
    configuration = { error: err instanceof Error ? err : new Error(String(err)) };
    throw configuration.error;
  }
}

export function client(): RekognitionClient {
  if ("error" in configuration) throw configuration.error;
  return rekognitionClient(configuration.settings);
}

/** The configured client without the SDK's retries, for a call whose retries the caller decides. */
export function clientWithoutRetries(): RekognitionClient {
  if ("error" in configuration) throw configuration.error;
  return rekognitionClient({ ...configuration.settings, maxAttempts: 1 });
}

/** Attempts per call, as configured (aws:maxRetries + 1). */
export function configuredAttempts(): number {
  return "error" in configuration ? 1 : configuration.settings.maxAttempts;
}

function failIfMisconfigured(): void {
  if ("error" in configuration) throw configuration.error;
}

type Call = (...args: never[]) => Promise<unknown>;

/**
 * Makes every method of a resource implementation fail with the kept
 * configuration error, including those that make no call (check, diff, an
 * update that only records a change): a run with a configuration it cannot
 * use changes nothing, not even the state.
 */
export function failClosed<
  T extends Record<"check" | "diff" | "create" | "read" | "update" | "delete", Call>,
>(implementation: T): T {
  const guarded = <M extends Call>(method: M): M =>
    (async (...args: Parameters<M>) => (failIfMisconfigured(), method(...args))) as M;
  return {
    ...implementation,
    check: guarded(implementation.check),
    diff: guarded(implementation.diff),
    create: guarded(implementation.create),
    read: guarded(implementation.read),
    update: guarded(implementation.update),
    delete: guarded(implementation.delete),
  };
}
