import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  CreateCollectionCommand,
  ListCollectionsCommand,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { clientFor, sdkError, startWithClient } from "./helpers.js";

let emu: RunningEmulator;
let client: RekognitionClient;
const lines: string[] = [];

beforeAll(async () => {
  ({ emu, client } = await startWithClient({ log: (line) => lines.push(line) }));
});
afterEach(async () => {
  await emu.control.setFaults({ rules: [] });
  await emu.control.setQuota(null);
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

describe("operator API", () => {
  test("health", async () => {
    expect(await emu.control.health()).toEqual({ ok: true });
  });

  test("counters count every request by operation, including rejected ones, and reset", async () => {
    await emu.control.resetCounters();
    await client.send(new ListCollectionsCommand({}));
    await client.send(new CreateCollectionCommand({ CollectionId: "counted" }));
    await sdkError(() => client.send(new CreateCollectionCommand({ CollectionId: "counted" })));
    await fetch(emu.endpoint, { method: "POST", body: "{}" }); // no target, unsigned
    const counters = await emu.control.counters();
    expect(counters.total).toBe(4);
    expect(counters.byOperation).toEqual({ ListCollections: 1, CreateCollection: 2, "(unknown)": 1 });
    expect(counters.throttled).toBe(0);
    await emu.control.resetCounters();
    expect((await emu.control.counters()).total).toBe(0);
  });

  test("throttling at rate 0.3: the SDK's retries still succeed, and the counters show the extra attempts", async () => {
    const patient = clientFor(emu, { maxAttempts: 10 });
    await emu.control.resetCounters();
    await emu.control.setFaults({
      rules: [{ operations: ["ListCollections"], rate: 0.3, kind: "throttle" }],
      seed: 7,
    });
    let attempts = 0;
    const calls = 12;
    for (let i = 0; i < calls; i++) {
      const out = await patient.send(new ListCollectionsCommand({}));
      attempts += out.$metadata.attempts ?? 1;
    }
    const counters = await emu.control.counters();
    expect(counters.byOperation.ListCollections).toBe(attempts);
    expect(counters.throttled).toBe(attempts - calls);
    expect(counters.faults).toBe(attempts - calls);
    expect(attempts).toBeGreaterThan(calls);
  });

  test("a throttled request is ThrottlingException as the SDK sees it when retries run out", async () => {
    await emu.control.setFaults({ rules: [{ operations: "*", rate: 1, kind: "throttle" }] });
    const once = clientFor(emu, { maxAttempts: 1 });
    const err = await sdkError(() => once.send(new ListCollectionsCommand({})));
    expect(err.name).toBe("ThrottlingException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test("server-error faults are InternalServerError (500)", async () => {
    await emu.control.setFaults({
      rules: [{ operations: ["ListCollections"], rate: 1, kind: "server-error" }],
    });
    const once = clientFor(emu, { maxAttempts: 1 });
    const err = await sdkError(() => once.send(new ListCollectionsCommand({})));
    expect(err.name).toBe("InternalServerError");
    expect(err.$metadata?.httpStatusCode).toBe(500);
  });

  test("latency faults delay the answer", async () => {
    await emu.control.setFaults({
      rules: [{ operations: ["ListCollections"], rate: 1, kind: "latency", latencyMs: 150 }],
    });
    const start = performance.now();
    await client.send(new ListCollectionsCommand({}));
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
  });

  test("drop faults close the connection without an answer; the SDK retries past them", async () => {
    await emu.control.setFaults({ rules: [{ operations: ["ListCollections"], rate: 1, kind: "drop" }] });
    const raw = await fetch(emu.endpoint, {
      method: "POST",
      headers: { "x-amz-target": "RekognitionService.ListCollections" },
      body: "{}",
    }).then(
      () => "answered",
      () => "dropped",
    );
    // Unsigned: refused before faults apply.
    expect(raw).toBe("answered");
    const once = clientFor(emu, { maxAttempts: 1 });
    await expect(once.send(new ListCollectionsCommand({}))).rejects.toThrow();
    await emu.control.setFaults({
      rules: [{ operations: ["ListCollections"], rate: 0.5, kind: "drop" }],
      seed: 3,
    });
    const patient = clientFor(emu, { maxAttempts: 10 });
    for (let i = 0; i < 5; i++) await patient.send(new ListCollectionsCommand({}));
  });

  test("the fault configuration reads back, and bad configurations are refused", async () => {
    const config = {
      rules: [{ operations: ["AssociateFaces"], rate: 0.3, kind: "throttle" as const }],
      seed: 1,
    };
    await emu.control.setFaults(config);
    expect(await emu.control.faults()).toEqual(config);
    await expect(
      emu.control.setFaults({ rules: [{ operations: "*", rate: 2, kind: "throttle" }] }),
    ).rejects.toThrow(/rate/);
    await expect(
      emu.control.setFaults({ rules: [{ operations: "*", rate: 0.1, kind: "explode" as never }] }),
    ).rejects.toThrow(/kind/);
  });

  test("the quota refuses requests beyond the rate with ProvisionedThroughputExceededException", async () => {
    await emu.control.setQuota({ perOperationTps: 3, operations: ["ListCollections"] });
    await emu.control.resetCounters();
    const once = clientFor(emu, { maxAttempts: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => once.send(new ListCollectionsCommand({}))),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused.length).toBeLessThanOrEqual(5);
    for (const r of refused) expect((r.reason as Error).name).toBe("ProvisionedThroughputExceededException");
    expect((await emu.control.counters()).throttled).toBe(refused.length);
    // Other operations are not limited.
    for (let i = 0; i < 5; i++)
      await once.send(new CreateCollectionCommand({ CollectionId: `quota-free-${i}` }));
    await emu.control.setQuota(null);
    for (let i = 0; i < 5; i++) await once.send(new ListCollectionsCommand({}));
  });

  test("the request log lists recent requests with status and error type, and --log prints them", async () => {
    await sdkError(() => client.send(new CreateCollectionCommand({ CollectionId: "bad id" })));
    await client.send(new ListCollectionsCommand({}));
    const recent = await emu.control.requests(2);
    expect(recent).toHaveLength(2);
    expect(recent[0]).toMatchObject({
      operation: "CreateCollection",
      status: 400,
      errorType: "InvalidParameterException",
    });
    expect(recent[1]).toMatchObject({ operation: "ListCollections", status: 200 });
    expect(recent[1]!.errorType).toBeUndefined();
    expect(typeof recent[1]!.durationMs).toBe("number");
    expect(Date.parse(recent[1]!.time)).not.toBeNaN();
    expect(lines.at(-1)).toContain("ListCollections 200");
  });

  test("the request log says how many older requests it no longer holds, and refuses a limit beyond its 1,000", async () => {
    const before = await emu.control.requestLog(1);
    // Unsigned GETs: answered and logged at once, and they change nothing.
    for (let i = 0; i < 1005; i++) await fetch(emu.endpoint + "/");
    const page = await emu.control.requestLog(1000);
    expect(page.requests).toHaveLength(1000);
    expect(page.capacity).toBe(1000);
    expect(page.logged).toBe(before.logged + 1005);
    expect(page.evicted).toBe(page.logged - 1000);
    expect(page.requests.at(-1)).toMatchObject({
      operation: "(unknown)",
      errorType: "UnknownOperationException",
    });
    expect(await emu.control.requests()).toHaveLength(100);

    for (const limit of ["100000", "1001", "0", "-1", "1.5", "ten", ""]) {
      const res = await fetch(`${emu.endpoint}/_emulator/requests?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe(
        `limit must be a whole number from 1 to 1000, got '${limit}': the log keeps only the last 1000 requests ` +
          `("evicted" in the answer counts the older ones), so ask for 1000 or fewer`,
      );
    }
    await expect(emu.control.requests(100000)).rejects.toThrow(/limit must be a whole number from 1 to 1000/);
  });

  test("faults and quota can be set at start-up", async () => {
    const faulty = await startEmulator({
      port: 0,
      faults: { rules: [{ operations: "*", rate: 1, kind: "server-error" }] },
    });
    try {
      const once = clientFor(faulty, { maxAttempts: 1 });
      expect((await sdkError(() => once.send(new ListCollectionsCommand({})))).name).toBe(
        "InternalServerError",
      );
      expect((await faulty.control.counters()).faults).toBe(1);
    } finally {
      await faulty.stop();
    }
  });

  test("unknown control routes are 404 and malformed control bodies 400", async () => {
    expect((await fetch(`${emu.endpoint}/_emulator/nothing`)).status).toBe(404);
    expect((await fetch(`${emu.endpoint}/_emulator/faults`, { method: "PUT", body: "{oops" })).status).toBe(
      400,
    );
    expect(
      (await fetch(`${emu.endpoint}/_emulator/face-reasons`, { method: "PUT", body: '{"x": 1}' })).status,
    ).toBe(400);
  });
});
