import { seededRandom } from "../photos/random.js";
import type { FaultConfig, FaultKind, FaultRule } from "./types.js";

const KINDS: readonly FaultKind[] = [
  "throttle",
  "server-error",
  "latency",
  "drop",
  "drop-after",
  "access-denied",
];

/** Checks an operator-supplied fault configuration; throws with a message naming the bad field. */
export function parseFaultConfig(value: unknown): FaultConfig {
  if (!value || typeof value !== "object") throw new Error("body must be an object with a rules array");
  const { rules, seed } = value as { rules?: unknown; seed?: unknown };
  if (!Array.isArray(rules)) throw new Error("rules must be an array");
  if (seed !== undefined && (typeof seed !== "number" || !Number.isInteger(seed)))
    throw new Error("seed must be an integer");
  const parsed = rules.map((r: unknown, i): FaultRule => {
    const rule = (r ?? {}) as Partial<FaultRule>;
    const ops = rule.operations;
    if (ops !== "*" && !(Array.isArray(ops) && ops.every((o) => typeof o === "string"))) {
      throw new Error(`rules[${i}].operations must be "*" or a list of operation names`);
    }
    if (typeof rule.rate !== "number" || rule.rate < 0 || rule.rate > 1)
      throw new Error(`rules[${i}].rate must be between 0 and 1`);
    if (!KINDS.includes(rule.kind as FaultKind))
      throw new Error(`rules[${i}].kind must be one of ${KINDS.join(", ")}`);
    if (rule.latencyMs !== undefined && (typeof rule.latencyMs !== "number" || rule.latencyMs < 0)) {
      throw new Error(`rules[${i}].latencyMs must be a non-negative number`);
    }
    return {
      operations: ops,
      rate: rule.rate,
      kind: rule.kind as FaultKind,
      ...(rule.latencyMs !== undefined ? { latencyMs: rule.latencyMs } : {}),
    };
  });
  return { rules: parsed, ...(seed !== undefined ? { seed } : {}) };
}

/** Parses the CLI form `operation:kind:rate[:latencyMs]` (operation may be `*`). */
export function parseFaultFlag(flag: string): FaultRule {
  const [op, kind, rate, latency] = flag.split(":");
  if (!op || !kind || rate === undefined)
    throw new Error(`--fault expects operation:kind:rate, got "${flag}"`);
  return parseFaultConfig({
    rules: [
      {
        operations: op === "*" ? "*" : op.split(","),
        kind,
        rate: Number(rate),
        ...(latency ? { latencyMs: Number(latency) } : {}),
      },
    ],
  }).rules[0]!;
}

/** Decides, request by request, which configured faults fire. */
export class FaultInjector {
  private config: FaultConfig = { rules: [] };
  private random: () => number = Math.random;

  set(config: FaultConfig): void {
    this.config = config;
    this.random = config.seed !== undefined ? seededRandom(config.seed) : Math.random;
  }

  get(): FaultConfig {
    return this.config;
  }

  /** The faults to apply to one request of `operation`. */
  roll(operation: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.config.rules) {
      if (rule.operations !== "*" && !rule.operations.includes(operation)) continue;
      if (this.random() < rule.rate) fired.push(rule);
    }
    return fired;
  }
}
