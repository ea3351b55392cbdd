/** The shapes of the operator API under /_emulator/, shared by the server and the client. */

/**
 * throttle: ThrottlingException; server-error: InternalServerError (500);
 * latency: a delay; drop: the connection closes before the operation runs;
 * drop-after: the operation runs, then the connection closes unanswered (a
 * response lost on the way back); access-denied: AccessDeniedException.
 */
export type FaultKind = "throttle" | "server-error" | "latency" | "drop" | "drop-after" | "access-denied";

export interface FaultRule {
  /** Operation names, or "*" for every operation. */
  operations: string[] | "*";
  /** Probability, 0 to 1, that a matching request gets the fault. */
  rate: number;
  kind: FaultKind;
  /** Added delay for "latency" faults (default 200 ms). */
  latencyMs?: number;
}

export interface FaultConfig {
  rules: FaultRule[];
  /** Makes the sequence of injected faults repeatable. */
  seed?: number;
}

export interface QuotaConfig {
  /**
   * Requests per second allowed per operation (a token bucket with this
   * burst), for every operation that `byOperation` does not name. Omitted:
   * only the operations `byOperation` names are limited.
   */
  perOperationTps?: number;
  /** Requests per second of particular operations, e.g. `{ IndexFaces: 50 }`; 0: no quota for it. */
  byOperation?: Record<string, number>;
  /** Operations `perOperationTps` applies to; all when omitted. */
  operations?: string[];
}

export interface Counters {
  /** Every Rekognition request received, whatever its outcome. */
  total: number;
  byOperation: Record<string, number>;
  /** Requests refused with a throttling error (injected throttles and the quota). */
  throttled: number;
  /** Requests that received an injected fault of any kind. */
  faults: number;
}

export interface RequestLogEntry {
  time: string;
  requestId: string;
  operation: string;
  /** HTTP status; 0 when the connection was dropped without an answer. */
  status: number;
  errorType?: string;
  durationMs: number;
}

/** `GET /_emulator/requests`: the newest requests and what the log no longer holds. */
export interface RequestLogPage {
  /** Up to `limit` of the newest requests, oldest first. */
  requests: RequestLogEntry[];
  /** Requests logged since the endpoint started. */
  logged: number;
  /** Older requests the log no longer holds (it keeps the last `capacity`). */
  evicted: number;
  capacity: number;
}

/** Reasons AssociateFaces reports for given faces instead of associating them. */
export type FaceReasons = Record<string, string>;
