import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { readAwsSettings, type AwsSettings, type ConfigSource } from "./settings.js";
import type { ProviderImplementation } from "../shim.js";
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

/**
 * Makes every method of a resource implementation fail with the kept
 * configuration error, including those that make no call (check, diff, an
 * update that only records a change): a run with a configuration it cannot
 * use changes nothing, not even the state.
 */
export function failClosed(implementation: ProviderImplementation): ProviderImplementation {
  return {
    configure: (req) => implementation.configure(req),
    check: async (olds, news) => (failIfMisconfigured(), implementation.check(olds, news)),
    diff: async (id, olds, news) => (failIfMisconfigured(), implementation.diff(id, olds, news)),
    create: async (inputs) => (failIfMisconfigured(), implementation.create(inputs)),
    read: async (id, props) => (failIfMisconfigured(), implementation.read(id, props)),
    update: async (id, olds, news) => (failIfMisconfigured(), implementation.update(id, olds, news)),
    delete: async (id, props) => (failIfMisconfigured(), implementation.delete(id, props)),
  };
}
