import { describe, expect, it } from "vitest";
import { cacheKey, rateLimiterFor, rekognitionClient } from "../../provider/aws/client.js";
import {
  configuredTps,
  FALLBACK_TPS,
  isThrottle,
  RateLimiter,
  REKOGNITION_OPERATIONS,
  type Clock,
} from "../../provider/aws/rate-limits.js";
import { ConfigurationError, readAwsSettings, readRateLimits } from "../../provider/aws/settings.js";

/** Time that moves only when told; sleepers wake in the order of their deadlines. */
class FakeClock implements Clock {
  private time = 0;
  private sleepers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ at: this.time + ms, wake }));
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > end) break;
      this.sleepers.shift();
      this.time = next.at;
      next.wake();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.time = end;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Starts `n` calls of an operation at once; resolves to when each got its slot, from now, in the order asked. */
async function slots(
  limiter: RateLimiter,
  clock: FakeClock,
  operation: string,
  n: number,
): Promise<number[]> {
  const start = clock.now();
  const times = Array.from({ length: n }, (): number => NaN);
  const calls = Array.from({ length: n }, (_, i) =>
    limiter.acquire(operation).then(() => (times[i] = clock.now() - start)),
  );
  await settle();
  await clock.advance(600_000);
  await Promise.all(calls);
  return times;
}

describe("RateLimiter", () => {
  it("spaces an operation's calls at its rate after a burst of half a second's worth", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ CreateUser: 5 }, clock);
    // Burst of floor(5 × 0.5) = 2, then one slot every 200 ms.
    expect(await slots(limiter, clock, "CreateUser", 6)).toEqual([0, 0, 200, 400, 600, 800]);
  });

  it("gives the burst back after a quiet spell, never more", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ default: 10 }, clock);
    expect(await slots(limiter, clock, "ListUsers", 7)).toEqual([0, 0, 0, 0, 0, 100, 200]);
    expect(await slots(limiter, clock, "ListUsers", 7)).toEqual([0, 0, 0, 0, 0, 100, 200]);
  });

  it("keeps one bucket per operation: a busy one does not delay another", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ default: 2, IndexFaces: 50 }, clock);
    const busy = slots(limiter, clock, "CreateUser", 4);
    const other = slots(limiter, clock, "AssociateFaces", 2);
    expect(await busy).toEqual([0, 500, 1000, 1500]);
    expect(await other).toEqual([0, 500]);
    expect((await slots(limiter, clock, "IndexFaces", 27)).at(-1)).toBeCloseTo(40); // burst 25, then 20 ms apart
  });

  it("lets waiting calls through in the order they asked, each at its slot", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ DeleteUser: 4 }, clock);
    const order: [number, number][] = [];
    const calls = Array.from({ length: 6 }, (_, i) =>
      limiter.acquire("DeleteUser").then(() => order.push([i, clock.now()])),
    );
    await settle(); // the calls with no wait go first
    await clock.advance(5_000);
    await Promise.all(calls);
    expect(order).toEqual([
      [0, 0],
      [1, 0],
      [2, 250],
      [3, 500],
      [4, 750],
      [5, 1000],
    ]);
  });

  it("does not limit an operation configured 0, and still counts its calls", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ IndexFaces: 0, default: 1 }, clock);
    expect((await slots(limiter, clock, "IndexFaces", 100)).every((t) => t === 0)).toBe(true);
    expect(limiter.rate("IndexFaces")).toBe(0);
    limiter.throttled("IndexFaces");
    expect(limiter.counters()).toEqual({ IndexFaces: { calls: 100, throttles: 1 } });
  });

  it("drops an operation's rate ×0.7 on each throttle, to a floor, and leaves the others alone", () => {
    const limiter = new RateLimiter({ default: 5 }, new FakeClock());
    limiter.throttled("AssociateFaces");
    expect(limiter.rate("AssociateFaces")).toBeCloseTo(3.5);
    limiter.throttled("AssociateFaces");
    expect(limiter.rate("AssociateFaces")).toBeCloseTo(2.45);
    for (let i = 0; i < 20; i++) limiter.throttled("AssociateFaces");
    expect(limiter.rate("AssociateFaces")).toBe(0.5);
    expect(limiter.rate("CreateUser")).toBe(5);
    // A configured rate below the floor is its own floor.
    const slow = new RateLimiter({ default: 0.2 }, new FakeClock());
    slow.throttled("ListFaces");
    expect(slow.rate("ListFaces")).toBe(0.2);
  });

  it("lowers the rate once for a volley of throttles of attempts paced at the old rate", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ default: 10 }, clock);
    const attempts = Array.from({ length: 8 }, () => limiter.acquire("CreateUser"));
    await settle();
    await clock.advance(1_000);
    const volley = await Promise.all(attempts);
    for (const epoch of volley) limiter.throttled("CreateUser", epoch);
    expect(limiter.rate("CreateUser")).toBeCloseTo(7);
    // An attempt paced at the new rate that is throttled lowers it again.
    const retry = await limiter.acquire("CreateUser");
    limiter.throttled("CreateUser", retry);
    expect(limiter.rate("CreateUser")).toBeCloseTo(4.9);
    expect(limiter.counters()["CreateUser"]).toEqual({ calls: 9, throttles: 9 });
  });

  it("spaces calls at the lowered rate after a throttle", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ CreateUser: 2 }, clock);
    const epoch = await limiter.acquire("CreateUser"); // burst 1 at 2 TPS
    limiter.throttled("CreateUser", epoch); // 1.4 TPS: the service's bucket gets one interval to refill
    const [first, second] = await slots(limiter, clock, "CreateUser", 2);
    expect(first).toBeCloseTo(500 + 1000 / 1.4);
    expect(second! - first!).toBeCloseTo(1000 / 1.4);
  });

  it("re-paces the calls already waiting when the rate drops", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ default: 10 }, clock);
    const times: number[] = [];
    const calls = Array.from({ length: 12 }, () =>
      limiter.acquire("AssociateFaces").then((epoch) => (times.push(clock.now()), epoch)),
    );
    await settle(); // the burst of 5 is out
    limiter.throttled("AssociateFaces", 0); // 7 TPS
    await clock.advance(60_000);
    await Promise.all(calls);
    const gaps = times.slice(5).map((t, i) => t - times[4 + i]!);
    expect(gaps.slice(2).every((gap) => Math.abs(gap - 1000 / 7) < 1e-6)).toBe(true);
  });

  it("climbs back additively after runs of successes, never above the configured rate", () => {
    const limiter = new RateLimiter({ default: 5 }, new FakeClock());
    for (let i = 0; i < 3; i++) limiter.throttled("CreateUser"); // 5 × 0.7³ = 1.715
    const low = limiter.rate("CreateUser");
    expect(low).toBeCloseTo(1.715);
    // Each run of ceil(rate) successes adds a tenth of the configured rate.
    limiter.succeeded("CreateUser");
    expect(limiter.rate("CreateUser")).toBe(low);
    limiter.succeeded("CreateUser");
    expect(limiter.rate("CreateUser")).toBeCloseTo(low + 0.5);
    for (let i = 0; i < 200; i++) limiter.succeeded("CreateUser");
    expect(limiter.rate("CreateUser")).toBe(5);
    // A throttle resets the run.
    limiter.throttled("CreateUser");
    limiter.succeeded("CreateUser");
    limiter.succeeded("CreateUser");
    limiter.succeeded("CreateUser");
    expect(limiter.rate("CreateUser")).toBeCloseTo(3.5);
    limiter.succeeded("CreateUser");
    expect(limiter.rate("CreateUser")).toBeCloseTo(4);
  });

  it("counts attempts and throttles by operation", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({}, clock);
    await slots(limiter, clock, "CreateUser", 3);
    await slots(limiter, clock, "IndexFaces", 2);
    limiter.throttled("CreateUser");
    limiter.succeeded("IndexFaces");
    expect(limiter.counters()).toEqual({
      CreateUser: { calls: 3, throttles: 1 },
      IndexFaces: { calls: 2, throttles: 0 },
    });
  });

  it("recognises the service's throttling answers and nothing else", () => {
    expect(isThrottle({ name: "ThrottlingException" })).toBe(true);
    expect(isThrottle({ name: "ProvisionedThroughputExceededException" })).toBe(true);
    expect(isThrottle({ name: "Other", $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottle({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isThrottle({ name: "InternalServerError", $metadata: { httpStatusCode: 500 } })).toBe(false);
  });
});

describe("configured rates", () => {
  it("takes the operation's own value, then default, then the built-in defaults", () => {
    expect(configuredTps({}, "IndexFaces")).toBe(50);
    expect(configuredTps({}, "CreateUser")).toBe(FALLBACK_TPS);
    expect(configuredTps({ default: 8 }, "IndexFaces")).toBe(8);
    expect(configuredTps({ default: 8, CreateUser: 0 }, "CreateUser")).toBe(0);
  });
});

describe("rekognition-faces:rateLimits", () => {
  const key = "rekognition-faces:rateLimits";
  const failure = (raw: string): string => {
    try {
      readRateLimits(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigurationError);
      return (err as Error).message;
    }
    throw new Error(`expected a configuration error for ${raw}`);
  };

  it("reads operation rates, default, 0 and off, and is absent when not set", () => {
    expect(readRateLimits(undefined)).toBeUndefined();
    expect(readRateLimits("")).toBeUndefined();
    expect(readRateLimits('{"default": 3, "IndexFaces": 40, "CreateUser": "off", "ListUsers": 0}')).toEqual({
      default: 3,
      IndexFaces: 40,
      CreateUser: 0,
      ListUsers: 0,
    });
    // `pulumi config set --path` may store a number as text.
    expect(readRateLimits('{"AssociateFaces": "2.5"}')).toEqual({ AssociateFaces: 2.5 });
    const settings = readAwsSettings({ get: (k) => (k === key ? '{"default": 2}' : undefined) });
    expect(settings.rateLimits).toEqual({ default: 2 });
    expect(readAwsSettings({ get: () => undefined }).rateLimits).toBeUndefined();
  });

  it("names the key, the value and the fix when it is not an object", () => {
    expect(failure("5")).toBe(
      `${key} must be an object of operation name to transactions per second, such as {"default": 5, "IndexFaces": 50}, got 5`,
    );
    expect(failure("{default: 5")).toMatch(
      /^rekognition-faces:rateLimits must be an object .* got \{default: 5$/,
    );
  });

  it("refuses an unknown operation, with a suggestion and every valid name", () => {
    const message = failure('{"indexfaces": 10}');
    expect(message).toContain(`${key} names an unknown operation "indexfaces": did you mean "IndexFaces"?`);
    expect(message).toContain(`Valid names: default, ${REKOGNITION_OPERATIONS.join(", ")}`);
    expect(failure('{"DetectLabels": 10}')).toMatch(
      /unknown operation "DetectLabels" Valid names: default, /,
    );
  });

  it("refuses a rate that is negative, not a number or another word", () => {
    expect(failure('{"CreateUser": -1}')).toBe(
      `${key}.CreateUser must be a number of transactions per second (0 or "off" for no limit), got -1`,
    );
    expect(failure('{"default": "fast"}')).toContain(`${key}.default must be a number`);
    expect(failure('{"default": null}')).toContain("got null");
    expect(failure('{"default": true}')).toContain("got true");
  });
});

describe("the limiter of a configuration", () => {
  const base = { region: "us-east-1", endpoint: "http://127.0.0.1:9", maxAttempts: 10 };

  it("is shared by the clients of the same settings, whatever their attempts, and by no other", () => {
    const limiter = rateLimiterFor(base);
    expect(rateLimiterFor({ ...base, maxAttempts: 1 })).toBe(limiter);
    expect(rateLimiterFor({ ...base, rateLimits: { default: 1 } })).not.toBe(limiter);
    expect(rateLimiterFor({ ...base, region: "eu-west-1" })).not.toBe(limiter);
    // The client cache keys on the rates too.
    expect(cacheKey({ ...base, rateLimits: { default: 1 } })).not.toBe(cacheKey(base));
    expect(rekognitionClient({ ...base, rateLimits: { default: 1 } })).not.toBe(rekognitionClient(base));
    expect(rekognitionClient({ ...base, rateLimits: { default: 1 } })).toBe(
      rekognitionClient({ ...base, rateLimits: { default: 1 } }),
    );
  });
});
