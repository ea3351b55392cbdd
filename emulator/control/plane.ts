import { setTimeout as delay } from "node:timers/promises";
import { ServiceError } from "../protocol/errors.js";
import type { FinishedRequest, RequestObserver } from "../protocol/server.js";
import { FaultInjector } from "./faults.js";
import { Quota } from "./quota.js";
import { formatLogLine, RequestLog } from "./request-log.js";
import type { Counters, FaceReasons, FaultConfig, QuotaConfig } from "./types.js";

export interface ControlPlaneOptions {
  faults?: FaultConfig;
  quota?: QuotaConfig;
  /** Print one line per request. */
  log?: boolean | ((line: string) => void);
}

/**
 * Operator state: faults and quotas applied before each operation runs, counters
 * and a request log fed after each request, and reasons to force on AssociateFaces.
 */
export class ControlPlane implements RequestObserver {
  readonly faults = new FaultInjector();
  readonly quota = new Quota();
  readonly log = new RequestLog();
  faceReasons: FaceReasons = {};
  private counters: Counters = { total: 0, byOperation: {}, throttled: 0, faults: 0 };
  private readonly print: ((line: string) => void) | undefined;

  constructor(opts: ControlPlaneOptions = {}) {
    if (opts.faults) this.faults.set(opts.faults);
    this.quota.set(opts.quota);
    this.print =
      typeof opts.log === "function" ? opts.log : opts.log ? (line) => console.log(line) : undefined;
  }

  getCounters(): Counters {
    return { ...this.counters, byOperation: { ...this.counters.byOperation } };
  }

  resetCounters(): void {
    this.counters = { total: 0, byOperation: {}, throttled: 0, faults: 0 };
  }

  async admit(operation: string): Promise<"proceed" | "drop" | "drop-after"> {
    const fired = this.faults.roll(operation);
    if (fired.length > 0) this.counters.faults++;
    for (const rule of fired) {
      if (rule.kind === "latency") await delay(rule.latencyMs ?? 200);
    }
    for (const rule of fired) {
      if (rule.kind === "drop") return "drop";
      if (rule.kind === "drop-after") return "drop-after";
      if (rule.kind === "access-denied") {
        throw new ServiceError(
          "AccessDeniedException",
          `User: arn:aws:iam::123456789012:user/local is not authorized to perform: rekognition:${operation}`,
          400,
        );
      }
      if (rule.kind === "server-error") {
        throw new ServiceError(
          "InternalServerError",
          "Amazon Rekognition experienced a service issue. Try your call again.",
          500,
        );
      }
      if (rule.kind === "throttle") {
        this.counters.throttled++;
        throw new ServiceError("ThrottlingException", "Rate exceeded", 400);
      }
    }
    if (!this.quota.take(operation)) {
      this.counters.throttled++;
      throw new ServiceError("ProvisionedThroughputExceededException", "Provisioned rate exceeded", 400);
    }
    return "proceed";
  }

  finished(r: FinishedRequest): void {
    this.counters.total++;
    this.counters.byOperation[r.operation] = (this.counters.byOperation[r.operation] ?? 0) + 1;
    const entry = { time: new Date().toISOString(), ...r };
    this.log.add(entry);
    this.print?.(formatLogLine(entry));
  }
}
