import type { QuotaConfig } from "./types.js";

export function parseQuotaConfig(value: unknown): QuotaConfig | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object") throw new Error("body must be an object");
  const { perOperationTps, operations } = value as Partial<QuotaConfig>;
  if (perOperationTps === undefined && operations === undefined) return undefined;
  if (typeof perOperationTps !== "number" || !(perOperationTps > 0))
    throw new Error("perOperationTps must be a positive number");
  if (
    operations !== undefined &&
    !(Array.isArray(operations) && operations.every((o) => typeof o === "string"))
  ) {
    throw new Error("operations must be a list of operation names");
  }
  return { perOperationTps, ...(operations ? { operations } : {}) };
}

/** A token bucket per operation: `perOperationTps` tokens a second, bursting to the same number. */
export class Quota {
  private config: QuotaConfig | undefined;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  set(config: QuotaConfig | undefined): void {
    this.config = config;
    this.buckets.clear();
  }

  get(): QuotaConfig | undefined {
    return this.config;
  }

  /** Takes a token for one request; false when the operation is over its quota. */
  take(operation: string, now = performance.now()): boolean {
    const config = this.config;
    if (!config || (config.operations && !config.operations.includes(operation))) return true;
    const capacity = Math.max(1, config.perOperationTps);
    const bucket = this.buckets.get(operation) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * config.perOperationTps);
    bucket.at = now;
    this.buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
