import type { RequestLogEntry } from "./types.js";

/** The log's capacity: it keeps the last this many requests. */
export const REQUEST_LOG_CAPACITY = 1000;

/** The most recent requests, oldest overwritten first, and a count of those overwritten. */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private next = 0;
  private logged = 0;

  constructor(readonly capacity = REQUEST_LOG_CAPACITY) {}

  add(entry: RequestLogEntry): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.logged++;
  }

  /** Up to `limit` entries, newest last. */
  recent(limit = 100): RequestLogEntry[] {
    const ordered =
      this.entries.length < this.capacity
        ? this.entries
        : [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    return ordered.slice(Math.max(0, ordered.length - limit));
  }

  /** Requests logged since the start (or the last clear), and how many of them are no longer kept. */
  totals(): { logged: number; evicted: number } {
    return { logged: this.logged, evicted: this.logged - this.entries.length };
  }

  clear(): void {
    this.entries.length = 0;
    this.next = 0;
    this.logged = 0;
  }
}

export function formatLogLine(e: RequestLogEntry): string {
  return `${e.time} ${e.operation} ${e.status}${e.errorType ? ` ${e.errorType}` : ""} ${e.durationMs}ms ${e.requestId}`;
}
