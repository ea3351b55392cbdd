import { CreateCollectionCommand, CreateUserCommand } from "@aws-sdk/client-rekognition";
import { afterEach, describe, expect, it } from "vitest";
import { rateLimiterFor, rekognitionClient } from "../../provider/aws/client.js";
import type { AwsSettings } from "../../provider/aws/settings.js";
import { startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";

// Calls go through rekognitionClient(), the one client every resource uses,
// to rekognition-local under a quota; the emulator's counters say what the
// service saw.
describe("rekognitionClient() under rekognition-local's quota", () => {
  let local: LocalRekognition | undefined;
  afterEach(async () => {
    await local?.stop();
    local = undefined;
  });

  const settingsFor = (local: LocalRekognition, rateLimits: Record<string, number>): AwsSettings => ({
    region: local.emulator.region,
    endpoint: local.emulator.endpoint,
    credentials: local.emulator.credentials,
    maxAttempts: 10,
    rateLimits,
  });

  async function createUsers(settings: AwsSettings, n: number): Promise<void> {
    const client = rekognitionClient(settings);
    await client.send(new CreateCollectionCommand({ CollectionId: "rates" }));
    await local!.emulator.control.resetCounters();
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        client.send(new CreateUserCommand({ CollectionId: "rates", UserId: `user-${i}` })),
      ),
    );
  }

  it("sends many concurrent calls at a rate within the quota: nothing is throttled", async () => {
    local = await startLocalRekognition({ quota: { perOperationTps: 20 } });
    const settings = settingsFor(local, { CreateUser: 20 });
    await createUsers(settings, 80);
    const seen = await local.emulator.control.counters();
    expect(seen.throttled).toBe(0);
    expect(seen.byOperation).toEqual({ CreateUser: 80 });
    expect(rateLimiterFor(settings).counters()["CreateUser"]).toEqual({ calls: 80, throttles: 0 });
  });

  it("configured above the quota, counts every throttle the service answered and still completes", async () => {
    local = await startLocalRekognition({ quota: { perOperationTps: 5, byOperation: { CreateUser: 10 } } });
    const settings = settingsFor(local, { CreateUser: 40 });
    await createUsers(settings, 60);
    const seen = await local.emulator.control.counters();
    const counted = rateLimiterFor(settings).counters()["CreateUser"]!;
    expect(seen.throttled).toBeGreaterThan(0);
    expect(counted).toEqual({ calls: seen.byOperation["CreateUser"], throttles: seen.throttled });
    expect(counted.calls - counted.throttles).toBe(60);
  });

  it("the client with retries and the one without share one bucket per operation", async () => {
    local = await startLocalRekognition({ quota: { perOperationTps: 10 } });
    const settings = settingsFor(local, { default: 10 });
    const withRetries = rekognitionClient(settings);
    const withoutRetries = rekognitionClient({ ...settings, maxAttempts: 1 });
    expect(withoutRetries).not.toBe(withRetries);
    await withRetries.send(new CreateCollectionCommand({ CollectionId: "shared" }));
    await local.emulator.control.resetCounters();
    // Together they would be twice the quota if each had its own bucket; the
    // client without retries would then fail.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? withRetries : withoutRetries).send(
          new CreateUserCommand({ CollectionId: "shared", UserId: `u-${i}` }),
        ),
      ),
    );
    expect((await local.emulator.control.counters()).throttled).toBe(0);
    expect(rateLimiterFor(settings).counters()["CreateUser"]).toEqual({ calls: 40, throttles: 0 });
  });
});
