import type { RequestLogEntry } from "./types.js";

/** The most recent requests, oldest overwritten first. */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private next = 0;

  constructor(private readonly capacity = 1000) {}

  add(entry: RequestLogEntry): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Up to `limit` entries, newest last. */
  recent(limit = 100): RequestLogEntry[] {
    const ordered =
      this.entries.length < this.capacity
        ? this.entries
        : [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    return ordered.slice(Math.max(0, ordered.length - limit));
  }

  clear(): void {
    this.entries.length = 0;
    this.next = 0;
  }
}

export function formatLogLine(e: RequestLogEntry): string {
  return `${e.time} ${e.operation} ${e.status}${e.errorType ? ` ${e.errorType}` : ""} ${e.durationMs}ms ${e.requestId}`;
}
