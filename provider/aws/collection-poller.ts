import type { UserStatuses } from "./collection-reads.js";
import {
  activeTimeoutMessage,
  firstPollMs,
  firstScanAt,
  isSettled,
  missing,
  nextPollDelay,
  pollIntervalMs,
} from "./settle.js";

export class ActiveTimeoutError extends Error {}

export interface SettleOptions {
  /** The user should have faces now: CREATED then means "not yet", not "done". */
  readonly expectFaces: boolean;
  readonly timeoutMs: number;
}

interface Waiter extends SettleOptions {
  readonly userId: string;
  readonly deadline: number;
  resolve(status: string): void;
  reject(err: unknown): void;
}

/**
 * The ACTIVE poller of one collection (its view, ./collection-view.ts, owns
 * it): a scan at a time, while anyone waits. Rekognition has no call that
 * describes one user, so every poll is a ListUsers scan of the whole
 * collection; it answers every waiter at once, and scans are at least an
 * interval apart (./settle.ts), so a run's waits cost time, not people.
 */
export class CollectionPoller {
  private readonly waiting = new Set<Waiter>();
  private delayMs = firstPollMs;
  private joined = false;
  private scanning = false;
  private timer: NodeJS.Timeout | undefined;
  private nextPollAt = Infinity;
  private lastScanEndedAt = -Infinity;
  private intervalMs = pollIntervalMs(0);

  /** `scan` starts a new ListUsers scan: a poll waits for a change to show, so it never reuses one. */
  constructor(
    private readonly collectionId: string,
    private readonly scan: () => Promise<UserStatuses>,
  ) {}

  /**
   * Waits until the user's last change is applied: ACTIVE, or CREATED for a
   * user expected to have no faces. Resolves with that status, or "MISSING"
   * if the user is gone; throws ActiveTimeoutError after `timeoutMs`, and a
   * scan's own error (access denied, throttling past the SDK's retries) as it is.
   */
  awaitSettled(userId: string, options: SettleOptions): Promise<string> {
    return new Promise((resolve, reject) =>
      this.add({ userId, ...options, deadline: Date.now() + options.timeoutMs, resolve, reject }),
    );
  }

  private add(waiter: Waiter): void {
    this.waiting.add(waiter);
    this.joined = true;
    this.delayMs = firstPollMs;
    // A join brings the next poll closer, never pushes it back: waiters that
    // keep arriving must not starve the ones already waiting.
    if (!this.scanning) this.schedule(firstScanAt(Date.now(), this.lastScanEndedAt, this.intervalMs));
  }

  private schedule(at: number): void {
    if (at >= this.nextPollAt) return;
    clearTimeout(this.timer);
    this.nextPollAt = at;
    this.timer = setTimeout(() => void this.poll(), Math.max(0, at - Date.now()));
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.nextPollAt = Infinity;
    this.scanning = true;
    this.joined = false;
    // A scan only answers the waiters present when it starts: for one that
    // joins later, it may predate the change being waited for.
    const served = [...this.waiting];
    let statuses: UserStatuses | undefined;
    let failure: unknown;
    try {
      statuses = await this.scan();
    } catch (err) {
      failure = err;
    }
    this.scanning = false;
    this.lastScanEndedAt = Date.now();
    if (statuses) this.intervalMs = pollIntervalMs(statuses.size);
    this.delayMs = nextPollDelay(this.delayMs, this.joined, this.intervalMs);
    const nextPollAt = Date.now() + this.delayMs;

    for (const waiter of served) {
      if (!statuses) {
        this.waiting.delete(waiter);
        waiter.reject(failure);
        continue;
      }
      const status = statuses.get(waiter.userId);
      if (isSettled(status, waiter.expectFaces)) {
        this.waiting.delete(waiter);
        waiter.resolve(status ?? missing);
      } else if (nextPollAt > waiter.deadline) {
        this.waiting.delete(waiter);
        waiter.reject(
          new ActiveTimeoutError(
            activeTimeoutMessage(this.collectionId, waiter.userId, status ?? missing, waiter.timeoutMs),
          ),
        );
      }
    }
    if (this.waiting.size > 0) this.schedule(nextPollAt);
  }
}
