import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { readAwsSettings, type AwsSettings, type ConfigSource } from "../config.js";
import { rekognitionClient } from "./client.js";

// Every resource implementation runs in the one dynamic provider process of a
// deployment and is configured from the same stack configuration, so they
// share these settings (and, through rekognitionClient, one client).
let settings: AwsSettings = readAwsSettings({ get: () => undefined });

/** The `configure` step of every resource implementation. */
export function configureFromStack(config: ConfigSource): void {
  settings = readAwsSettings(config);
}

export function client(): RekognitionClient {
  return rekognitionClient(settings);
}
