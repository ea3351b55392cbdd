// What a user would write instead: the AWS docs' loop (CreateUser, then
// AssociateFaces) with the same SDK, the same client settings as the provider
// (adaptive retries, 10 attempts) and the engine's default concurrency of 8.
import { AssociateFacesCommand, CreateUserCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import type { RunningEmulator } from "pulumi-rekognition-faces/emulator";
import type { Roster } from "./seed.mts";

export interface ImperativeRun {
  readonly wallMs: number;
  readonly failed: number;
}

export async function imperativeCreate(
  emulator: RunningEmulator,
  roster: Roster,
  concurrency = 8,
): Promise<ImperativeRun> {
  const client = new RekognitionClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
    maxAttempts: 10,
    retryMode: "adaptive",
  });
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < roster.users.length) {
      const person = roster.users[next++]!;
      try {
        await client.send(
          new CreateUserCommand({ CollectionId: roster.collectionId, UserId: person.userId }),
        );
        await client.send(
          new AssociateFacesCommand({
            CollectionId: roster.collectionId,
            UserId: person.userId,
            FaceIds: person.faceIds,
          }),
        );
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  client.destroy();
  return { wallMs, failed };
}
