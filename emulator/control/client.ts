import type {
  Counters,
  FaceReasons,
  FaultConfig,
  QuotaConfig,
  RequestLogEntry,
  RequestLogPage,
} from "./types.js";

/** A typed client for the emulator's operator API under `/_emulator/`. */
export class EmulatorControl {
  private readonly base: string;

  constructor(endpoint: string) {
    this.base = `${endpoint.replace(/\/+$/, "")}/_emulator/`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
        : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /_emulator/${path} failed with ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  health(): Promise<{ ok: boolean }> {
    return this.call("GET", "health");
  }

  counters(): Promise<Counters> {
    return this.call("GET", "counters");
  }

  async resetCounters(): Promise<void> {
    await this.call("POST", "counters/reset");
  }

  faults(): Promise<FaultConfig> {
    return this.call("GET", "faults");
  }

  /** Replaces the fault rules; `{ rules: [] }` turns faults off. */
  async setFaults(config: FaultConfig): Promise<void> {
    await this.call("PUT", "faults", config);
  }

  /** Sets the per-operation quota; `null` removes it. */
  async setQuota(config: QuotaConfig | null): Promise<void> {
    if (config === null) await this.call("DELETE", "quota");
    else await this.call("PUT", "quota", config);
  }

  /** Makes AssociateFaces report `reason` for each listed face instead of associating it; `{}` clears. */
  async setFaceReasons(reasons: FaceReasons): Promise<void> {
    await this.call("PUT", "face-reasons", reasons);
  }

  /** Up to `limit` (1–1,000) of the newest requests, oldest first. */
  async requests(limit = 100): Promise<RequestLogEntry[]> {
    return (await this.requestLog(limit)).requests;
  }

  /** The newest requests, with how many were logged and how many older ones the log no longer holds. */
  requestLog(limit = 100): Promise<RequestLogPage> {
    return this.call("GET", `requests?limit=${encodeURIComponent(limit)}`);
  }
}
