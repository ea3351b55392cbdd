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
  /** Counts the decreases: an attempt reserved before the last one carries an older epoch. */
  epoch: number;
  readonly counters: OperationCounters;
}

/**
 * A token bucket per operation, in reserve-the-next-slot form: each attempt
 * reserves the earliest free slot of its operation and waits for it, so callers
 * leave in the order they asked (FIFO) and nothing polls. The rate is adaptive
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
   * the slot's epoch, to hand to `throttled` if the service throttles it.
   */
  async acquire(operation: string): Promise<number> {
    const { wait, epoch } = this.reserve(operation);
    if (wait > 0) await this.clock.sleep(wait);
    return epoch;
  }

  /**
   * Reserves the operation's next slot and counts the attempt: how long to
   * wait for it, in milliseconds (0: go now), and the rate's epoch.
   */
  reserve(operation: string): { wait: number; epoch: number } {
    const bucket = this.bucket(operation);
    bucket.counters.calls++;
    if (bucket.configured === 0) return { wait: 0, epoch: bucket.epoch };
    const now = this.clock.now();
    const interval = 1000 / bucket.rate;
    const burst = Math.max(1, Math.floor(bucket.rate * this.adaptive.burstSeconds));
    const tolerance = (burst - 1) * interval;
    const tat = Math.max(bucket.tat, now);
    const start = Math.max(now, tat - tolerance);
    bucket.tat = tat + interval;
    return { wait: start - now, epoch: bucket.epoch };
  }

  /**
   * The service throttled an attempt of this operation: lower its rate. An
   * attempt reserved before the last decrease (an older `epoch`) was paced at
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
