import { RekognitionClient } from "@aws-sdk/client-rekognition";
import type { AwsSettings } from "../config.js";

const clients = new Map<string, RekognitionClient>();

/**
 * One client per configuration for the life of the provider process: the
 * credential chain is resolved once, and connections are reused across every
 * resource of a deployment.
 */
export function rekognitionClient(settings: AwsSettings): RekognitionClient {
  const key = JSON.stringify(settings);
  let client = clients.get(key);
  if (!client) {
    client = new RekognitionClient({
      ...(settings.region && { region: settings.region }),
      ...(settings.profile && { profile: settings.profile }),
      ...(settings.endpoint && { endpoint: settings.endpoint }),
      maxAttempts: settings.maxAttempts,
      // Adaptive mode adds client-side rate limiting on top of the standard
      // retries, which keeps a large roster under the service's TPS quota.
      retryMode: "adaptive",
      // A dropped connection must end in a retry, not a deployment that hangs.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    clients.set(key, client);
  }
  return client;
}
