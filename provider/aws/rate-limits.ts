/**
 * Client-side rate limits per Rekognition operation: a token bucket per
 * operation that every attempt of a call (the SDK's retries included) takes a
 * token from before it is sent, so that thousands of calls issued at once
 * leave at the rate the service's quota allows instead of being throttled.
 *
 * Pure: time comes from an injected clock, so the logic is tested without
 * waiting.
 */

/** The Rekognition operations of collections, faces and users: the ones a limit can name. */
export const REKOGNITION_OPERATIONS = [
  "CreateCollection",
  "DescribeCollection",
  "ListCollections",
  "DeleteCollection",
  "IndexFaces",
  "ListFaces",
  "DeleteFaces",
  "CreateUser",
  "DeleteUser",
  "ListUsers",
  "AssociateFaces",
  "DisassociateFaces",
  "SearchFaces",
  "SearchFacesByImage",
  "SearchUsers",
  "SearchUsersByImage",
  "TagResource",
  "UntagResource",
  "ListTagsForResource",
] as const;

/**
 * Transactions per second, by operation, when the configuration names none.
 *
 * Sources. AWS lists the default TPS of each operation per region on its
 * service-quotas page for Rekognition (General Reference, "Amazon Rekognition
 * endpoints and quotas"); that table could not be read where this was written,
 * so:
 * - IndexFaces, SearchFaces and SearchFacesByImage: 50, the default quoted for
 *   us-east-1 (also us-west-2, eu-west-1) in published accounts of the quota
 *   (5 in most other regions, where the adaptive rate finds the lower quota
 *   after the first throttles);
 * - every other operation: 5, the conservative fallback (the default of most
 *   face and user operations in most regions), not a documented us-east-1 value.
 * Stack configuration `rekognition-faces:rateLimits` overrides any of them.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, number>> = {
  IndexFaces: 50,
  SearchFaces: 50,
  SearchFacesByImage: 50,
};

/** The rate of an operation that neither the defaults above nor the configuration name. */
export const FALLBACK_TPS = 5;

/**
 * Configured rates: operation name → TPS, and `default` for the operations not
 * named. 0 turns limiting off for that operation.
 */
export type RateLimits = Readonly<Record<string, number>>;

/** The configured TPS of an operation (0: not limited). */
export function configuredTps(limits: RateLimits, operation: string): number {
  return limits[operation] ?? limits["default"] ?? DEFAULT_RATE_LIMITS[operation] ?? FALLBACK_TPS;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface AdaptiveOptions {
  /** A throttle multiplies the operation's rate by this (default 0.7). */
  readonly decrease: number;
  /** The rate never drops below this many TPS (default 0.5), nor below the configured rate if lower. */
  readonly floorTps: number;
  /** After about one second's worth of successes in a row, the rate climbs by this share of the configured rate (default 0.1). */
  readonly increaseShare: number;
  /** The burst, in seconds' worth of calls at the current rate, at least one call (default 0.5, at most 1). */
  readonly burstSeconds: number;
}

const defaultAdaptive: AdaptiveOptions = {
  decrease: 0.7,
  floorTps: 0.5,
  increaseShare: 0.1,
  burstSeconds: 0.5,
};

export interface OperationCounters {
  /** Attempts sent (every retry counts). */
  calls: number;
  /** Attempts the service answered with a throttling error. */
  throttles: number;
}

interface Bucket {
  /** TPS from configuration; 0: not limited. */
  readonly configured: number;
  /** TPS now: the configured rate, lowered by throttles and climbing back. */
  rate: number;
  /** Theoretical arrival time of the next call at the current rate (GCRA). */
  tat: number;
  /** Successes since the last throttle or increase. */
  successes: number;
  /** Counts the decreases: an attempt released before the last one carries an older epoch. */
  epoch: number;
  /** Attempts waiting for a slot, first come first served. */
  readonly queue: ((epoch: number) => void)[];
  /** Whether a timer is set to release the head of the queue. */
  timed: boolean;
  readonly counters: OperationCounters;
}

/** Below this a wait is rounding, not time. */
const epsilonMs = 1e-6;

/**
 * A token bucket per operation: each attempt takes the operation's next slot,
 * first come first served, and waits for it on one timer per operation (no
 * polling). A slot is given when it comes, at the rate of that moment, so a
 * lowered rate also spaces the calls already waiting. The rate is adaptive
 * (AIMD): a throttling answer lowers the operation's rate multiplicatively,
 * and runs of successes raise it additively back to, never above, the
 * configured rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly adaptive: AdaptiveOptions;

  constructor(
    private readonly limits: RateLimits = {},
    private readonly clock: Clock = systemClock,
    adaptive: Partial<AdaptiveOptions> = {},
  ) {
    this.adaptive = { ...defaultAdaptive, ...adaptive };
    this.adaptive = { ...this.adaptive, burstSeconds: Math.min(1, this.adaptive.burstSeconds) };
  }

  /**
   * Waits for the operation's next slot, and counts the attempt. Resolves to
   * the rate's epoch when the slot came, to hand to `throttled` if the
   * service throttles the attempt.
   */
  acquire(operation: string): Promise<number> {
    const bucket = this.bucket(operation);
    bucket.counters.calls++;
    if (bucket.configured === 0) return Promise.resolve(bucket.epoch);
    if (bucket.queue.length === 0 && this.wait(bucket) <= epsilonMs) {
      return Promise.resolve(this.release(bucket));
    }
    return new Promise((resolve) => {
      bucket.queue.push(resolve);
      this.setTimer(bucket);
    });
  }

  /** Milliseconds until the bucket's next slot (0 or less: now). */
  private wait(bucket: Bucket): number {
    const now = this.clock.now();
    const interval = 1000 / bucket.rate;
    const burst = Math.max(1, Math.floor(bucket.rate * this.adaptive.burstSeconds));
    return Math.max(bucket.tat, now) - (burst - 1) * interval - now;
  }

  private release(bucket: Bucket): number {
    bucket.tat = Math.max(bucket.tat, this.clock.now()) + 1000 / bucket.rate;
    return bucket.epoch;
  }

  private setTimer(bucket: Bucket): void {
    if (bucket.timed) return;
    bucket.timed = true;
    void this.clock.sleep(Math.max(0, this.wait(bucket))).then(() => {
      bucket.timed = false;
      while (bucket.queue.length > 0 && this.wait(bucket) <= epsilonMs) {
        bucket.queue.shift()!(this.release(bucket));
      }
      if (bucket.queue.length > 0) this.setTimer(bucket);
    });
  }

  /**
   * The service throttled an attempt of this operation: lower its rate. An
   * attempt released before the last decrease (an older `epoch`) was paced at
   * a rate already given up, so it is counted but lowers nothing: a volley of
   * throttles lowers the rate once, not once per throttle.
   */
  throttled(operation: string, epoch?: number): void {
    const bucket = this.bucket(operation);
    bucket.counters.throttles++;
    bucket.successes = 0;
    if (bucket.configured === 0) return;
    if (epoch !== undefined && epoch !== bucket.epoch) return;
    bucket.epoch++;
    const floor = Math.min(bucket.configured, this.adaptive.floorTps);
    bucket.rate = Math.max(floor, bucket.rate * this.adaptive.decrease);
    // The service's bucket is empty: leave it one interval at the new rate to refill.
    bucket.tat = Math.max(bucket.tat, this.clock.now()) + 1000 / bucket.rate;
  }

  /** An attempt of this operation was not throttled: after a run of them, raise its rate. */
  succeeded(operation: string): void {
    const bucket = this.bucket(operation);
    if (bucket.configured === 0 || bucket.rate >= bucket.configured) return;
    bucket.successes++;
    if (bucket.successes < Math.ceil(bucket.rate)) return;
    bucket.successes = 0;
    bucket.rate = Math.min(bucket.configured, bucket.rate + bucket.configured * this.adaptive.increaseShare);
  }

  /** The operation's rate now, in TPS (0: not limited). */
  rate(operation: string): number {
    const bucket = this.bucket(operation);
    return bucket.configured === 0 ? 0 : bucket.rate;
  }

  /** Attempts and throttles by operation, for the operations called so far. */
  counters(): Record<string, OperationCounters> {
    return Object.fromEntries([...this.buckets].map(([name, b]) => [name, { ...b.counters }]));
  }

  private bucket(operation: string): Bucket {
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      const configured = configuredTps(this.limits, operation);
      bucket = {
        configured,
        rate: configured,
        tat: -Infinity,
        successes: 0,
        epoch: 0,
        queue: [],
        timed: false,
        counters: { calls: 0, throttles: 0 },
      };
      this.buckets.set(operation, bucket);
    }
    return bucket;
  }
}

/** Whether an SDK error is the service refusing a call for its rate. */
export function isThrottle(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const { name, $metadata } = err as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    name === "ThrottlingException" ||
    name === "ProvisionedThroughputExceededException" ||
    $metadata?.httpStatusCode === 429
  );
}
