import { OPERATIONS } from "../operations/index.js";
import type { QuotaConfig } from "./types.js";

function checkOperationName(name: string, where: string): void {
  if (!Object.hasOwn(OPERATIONS, name)) {
    throw new Error(`${where}: unknown operation "${name}"; valid: ${Object.keys(OPERATIONS).join(", ")}`);
  }
}

export function parseQuotaConfig(value: unknown): QuotaConfig | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object") throw new Error("body must be an object");
  const { perOperationTps, byOperation, operations } = value as Partial<QuotaConfig>;
  if (perOperationTps === undefined && byOperation === undefined && operations === undefined)
    return undefined;
  if (perOperationTps !== undefined && (typeof perOperationTps !== "number" || !(perOperationTps > 0)))
    throw new Error("perOperationTps must be a positive number");
  if (byOperation !== undefined) {
    if (byOperation === null || typeof byOperation !== "object" || Array.isArray(byOperation))
      throw new Error("byOperation must be an object of operation name to requests per second");
    for (const [name, tps] of Object.entries(byOperation)) {
      checkOperationName(name, "byOperation");
      if (typeof tps !== "number" || !(tps >= 0))
        throw new Error(`byOperation.${name} must be a number of requests per second (0: no quota)`);
    }
  }
  if (perOperationTps === undefined && byOperation === undefined)
    throw new Error("perOperationTps must be a positive number");
  if (
    operations !== undefined &&
    !(Array.isArray(operations) && operations.every((o) => typeof o === "string"))
  ) {
    throw new Error("operations must be a list of operation names");
  }
  return {
    ...(perOperationTps !== undefined ? { perOperationTps } : {}),
    ...(byOperation ? { byOperation: { ...byOperation } } : {}),
    ...(operations ? { operations } : {}),
  };
}

/**
 * The command line's `--quota`: one rate for every operation (`5`), or a
 * profile (`default=5,IndexFaces=50`) where `default` is the rate of the
 * operations not named.
 */
export function parseQuotaFlag(text: string): QuotaConfig {
  const fix = `--quota takes requests per second for every operation (--quota 5) or a profile such as --quota default=5,IndexFaces=50`;
  const rate = (value: string, what: string, allowZero: boolean): number => {
    const n = value.trim() === "" ? NaN : Number(value);
    if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
      throw new Error(
        `${what} must be a ${allowZero ? "non-negative" : "positive"} number, got "${value}": ${fix}`,
      );
    return n;
  };
  if (!text.includes("=")) return { perOperationTps: rate(text, "--quota", false) };
  const config: { perOperationTps?: number; byOperation: Record<string, number> } = { byOperation: {} };
  for (const part of text.split(",")) {
    const [name, value] = part.split("=", 2).map((s) => s.trim()) as [string, string | undefined];
    if (!name || value === undefined)
      throw new Error(`--quota has "${part}" where NAME=TPS is expected: ${fix}`);
    if (name === "default") config.perOperationTps = rate(value, "--quota default", false);
    else {
      checkOperationName(name, "--quota");
      config.byOperation[name] = rate(value, `--quota ${name}`, true);
    }
  }
  return parseQuotaConfig(config)!;
}

/** The rate of an operation under a quota; undefined when the quota does not limit it. */
export function quotaTps(config: QuotaConfig, operation: string): number | undefined {
  const own = config.byOperation?.[operation];
  if (own !== undefined) return own > 0 ? own : undefined;
  if (config.perOperationTps === undefined) return undefined;
  if (config.operations && !config.operations.includes(operation)) return undefined;
  return config.perOperationTps;
}

/**
 * A token bucket per operation: its rate (`byOperation`, else
 * `perOperationTps`) in tokens a second, bursting to the same number.
 */
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
    const tps = this.config && quotaTps(this.config, operation);
    if (tps === undefined) return true;
    const capacity = Math.max(1, tps);
    const bucket = this.buckets.get(operation) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * tps);
    bucket.at = now;
    this.buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
