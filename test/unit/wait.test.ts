import { ListUsersCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { firstScanAt, isSettled, nextPollDelay, pollIntervalMs } from "../../provider/aws/settle.js";
import { ActiveTimeoutError, collectionView } from "../../provider/aws/collection-view.js";

describe("settle rules", () => {
  it("settles on ACTIVE, and on a user that is gone", () => {
    expect(isSettled("ACTIVE", true)).toBe(true);
    expect(isSettled("ACTIVE", false)).toBe(true);
    expect(isSettled(undefined, true)).toBe(true);
  });

  it("settles on CREATED only when the user is expected to have no faces", () => {
    // On AWS a user is briefly CREATED right after faces were added.
    expect(isSettled("CREATED", true)).toBe(false);
    expect(isSettled("CREATED", false)).toBe(true);
  });

  it("never settles on UPDATING or CREATING", () => {
    for (const expectFaces of [true, false]) {
      expect(isSettled("UPDATING", expectFaces)).toBe(false);
      expect(isSettled("CREATING", expectFaces)).toBe(false);
    }
  });

  it("spaces scans half a second per ListUsers page", () => {
    expect(pollIntervalMs(0)).toBe(500);
    expect(pollIntervalMs(500)).toBe(500);
    expect(pollIntervalMs(501)).toBe(1000);
    expect(pollIntervalMs(10_000)).toBe(10_000);
  });

  it("pauses one interval after a scan during which a waiter joined, else doubles up to 5 s", () => {
    const delays = [250];
    for (let i = 0; i < 5; i++) delays.push(nextPollDelay(delays.at(-1)!, false, 500));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000]);
    expect(nextPollDelay(5000, true, 500)).toBe(500);
    // A large collection is never scanned more often than its interval.
    expect(nextPollDelay(250, false, 10_000)).toBe(10_000);
  });

  it("scans soon after a join, but never sooner than an interval after the last scan", () => {
    expect(firstScanAt(10_000, -Infinity, 500)).toBe(10_250);
    expect(firstScanAt(10_000, 9_900, 500)).toBe(10_400);
    expect(firstScanAt(10_000, 9_500, 2_000)).toBe(11_500);
  });
});

/**
 * A client whose ListUsers answers from `statuses` as it is at the time of
 * the call, in pages of `pageSize`, counting the calls.
 */
function scriptedClient(statuses: Map<string, string>, pageSize = 500) {
  const client = new RekognitionClient({
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
  const calls = { listUsers: 0 };
  let failWith: Error | undefined;
  client.send = ((command: unknown) => {
    if (!(command instanceof ListUsersCommand)) throw new Error("unexpected command");
    calls.listUsers++;
    if (failWith) return Promise.reject(failWith);
    const users = [...statuses].map(([UserId, UserStatus]) => ({ UserId, UserStatus }));
    const start = Number(command.input.NextToken ?? 0);
    const end = start + pageSize;
    return Promise.resolve({
      Users: users.slice(start, end),
      ...(end < users.length && { NextToken: String(end) }),
    });
  }) as RekognitionClient["send"];
  return { client, calls, failNextScansWith: (err: Error | undefined) => (failWith = err) };
}

/** Settles a promise's outcome into a value the test can inspect later. */
function track<T>(promise: Promise<T>) {
  const outcome: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then(
    (value) => Object.assign(outcome, { value, done: true }),
    (error: unknown) => Object.assign(outcome, { error, done: true }),
  );
  return outcome;
}

describe("a view's ACTIVE poller: one per collection", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("answers every waiter of a collection from one scan per poll", async () => {
    const statuses = new Map(Array.from({ length: 40 }, (_, i) => [`u${i}`, "UPDATING"]));
    const { client, calls } = scriptedClient(statuses);
    const waits = [...statuses.keys()].map((userId) =>
      track(collectionView(client, "c").awaitSettled(userId, { expectFaces: true, timeoutMs: 60_000 })),
    );

    await vi.advanceTimersByTimeAsync(250);
    expect(calls.listUsers).toBe(1);
    expect(waits.some((w) => w.done)).toBe(false);

    for (const userId of statuses.keys()) statuses.set(userId, "ACTIVE");
    await vi.advanceTimersByTimeAsync(500);
    expect(calls.listUsers).toBe(2);
    expect(waits.every((w) => w.value === "ACTIVE")).toBe(true);

    // Nobody waits any more: no more scans.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.listUsers).toBe(2);
  });

  it("scans every page of a large collection on each poll", async () => {
    const statuses = new Map(
      Array.from({ length: 1200 }, (_, i) => [`u${String(i).padStart(4, "0")}`, "ACTIVE"]),
    );
    const { client, calls } = scriptedClient(statuses);
    const last = track(
      collectionView(client, "c").awaitSettled("u1199", { expectFaces: true, timeoutMs: 60_000 }),
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(last.value).toBe("ACTIVE");
    expect(calls.listUsers).toBe(3);
  });

  it("keeps a user expected to have faces waiting while it is CREATED", async () => {
    const statuses = new Map([
      ["emptied", "CREATED"],
      ["filled", "CREATED"],
    ]);
    const { client } = scriptedClient(statuses);
    const emptied = track(
      collectionView(client, "c").awaitSettled("emptied", { expectFaces: false, timeoutMs: 60_000 }),
    );
    const filled = track(
      collectionView(client, "c").awaitSettled("filled", { expectFaces: true, timeoutMs: 60_000 }),
    );

    await vi.advanceTimersByTimeAsync(250);
    expect(emptied.value).toBe("CREATED");
    expect(filled.done).toBe(false);

    statuses.set("filled", "ACTIVE");
    await vi.advanceTimersByTimeAsync(500);
    expect(filled.value).toBe("ACTIVE");
  });

  it("reports a user deleted while waited for as MISSING", async () => {
    const { client } = scriptedClient(new Map([["other", "ACTIVE"]]));
    const gone = track(
      collectionView(client, "c").awaitSettled("gone", { expectFaces: true, timeoutMs: 60_000 }),
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(gone.value).toBe("MISSING");
  });

  it("grows the interval, and polls again within an interval after a new waiter joins", async () => {
    const statuses = new Map([
      ["slow", "UPDATING"],
      ["late", "UPDATING"],
    ]);
    const { client, calls } = scriptedClient(statuses);
    track(collectionView(client, "c").awaitSettled("slow", { expectFaces: true, timeoutMs: 600_000 }));
    await vi.advanceTimersByTimeAsync(250 + 500 + 1000 + 2000);
    expect(calls.listUsers).toBe(4);
    // The next poll is 4 s away; a new waiter brings it to one interval (500 ms) after the last scan.
    const late = track(
      collectionView(client, "c").awaitSettled("late", { expectFaces: true, timeoutMs: 600_000 }),
    );
    statuses.set("late", "ACTIVE");
    await vi.advanceTimersByTimeAsync(499);
    expect(calls.listUsers).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.listUsers).toBe(5);
    expect(late.value).toBe("ACTIVE");
  });

  it("costs one scan per interval of a run, not one per waiter", async () => {
    // 1,000 people finish their changes over 10 s, each UPDATING for 2 s.
    const statuses = new Map<string, string>();
    const { client, calls } = scriptedClient(statuses, 500);
    const waits: ReturnType<typeof track<string>>[] = [];
    for (let i = 0; i < 1000; i++) {
      const userId = `p${i}`;
      statuses.set(userId, "UPDATING");
      setTimeout(() => statuses.set(userId, "ACTIVE"), 2_000);
      waits.push(
        track(collectionView(client, "c").awaitSettled(userId, { expectFaces: true, timeoutMs: 600_000 })),
      );
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(5_000);
    expect(waits.every((w) => w.value === "ACTIVE")).toBe(true);
    // About 13 s of waiting: at most two ListUsers calls a second, whatever the number of people.
    expect(calls.listUsers).toBeLessThanOrEqual(2 * 14);
  });

  it("does not let a scan that started before a waiter joined settle it", async () => {
    const statuses = new Map([
      ["first", "UPDATING"],
      ["second", "ACTIVE"],
    ]);
    const base = scriptedClient(statuses);
    // The scan is slow: the second waiter joins (its user changes) meanwhile.
    let releaseScan: () => void = () => undefined;
    const send = base.client.send.bind(base.client);
    base.client.send = ((command: ListUsersCommand) => {
      const answer = send(command);
      return new Promise<unknown>((resolve) => (releaseScan = () => resolve(answer)));
    }) as RekognitionClient["send"];

    track(collectionView(base.client, "c").awaitSettled("first", { expectFaces: true, timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(250);
    expect(base.calls.listUsers).toBe(1);
    const second = track(
      collectionView(base.client, "c").awaitSettled("second", { expectFaces: true, timeoutMs: 60_000 }),
    );
    statuses.set("second", "UPDATING");
    releaseScan();
    await vi.advanceTimersByTimeAsync(0);
    expect(second.done).toBe(false);

    statuses.set("second", "ACTIVE");
    await vi.advanceTimersByTimeAsync(500);
    releaseScan();
    await vi.advanceTimersByTimeAsync(0);
    expect(base.calls.listUsers).toBe(2);
    expect(second.value).toBe("ACTIVE");
  });

  it("fails a wait that outlasts its timeout with the user, the status and the fix", async () => {
    const { client } = scriptedClient(new Map([["alice", "UPDATING"]]));
    const wait = track(
      collectionView(client, "staff").awaitSettled("alice", { expectFaces: true, timeoutMs: 2_000 }),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(wait.error).toBeInstanceOf(ActiveTimeoutError);
    expect((wait.error as Error).message).toBe(
      "user 'alice' in collection 'staff' was still UPDATING after 2 s: its faces are associated; " +
        "raise activeTimeoutSeconds, or set waitForActive: false",
    );
  });

  it("rejects the waiters of a failed scan with its error, and keeps polling for later ones", async () => {
    const statuses = new Map([
      ["a", "UPDATING"],
      ["b", "ACTIVE"],
    ]);
    const { client, failNextScansWith } = scriptedClient(statuses);
    const denied = Object.assign(new Error("not allowed to ListUsers"), { name: "AccessDeniedException" });
    failNextScansWith(denied);
    const a = track(collectionView(client, "c").awaitSettled("a", { expectFaces: true, timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(250);
    expect(a.error).toBe(denied);

    failNextScansWith(undefined);
    const b = track(collectionView(client, "c").awaitSettled("b", { expectFaces: true, timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(500);
    expect(b.value).toBe("ACTIVE");
  });

  it("keeps collections apart", async () => {
    const { client, calls } = scriptedClient(new Map([["u", "ACTIVE"]]));
    const one = track(
      collectionView(client, "one").awaitSettled("u", { expectFaces: true, timeoutMs: 60_000 }),
    );
    const two = track(
      collectionView(client, "two").awaitSettled("u", { expectFaces: true, timeoutMs: 60_000 }),
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(calls.listUsers).toBe(2);
    expect([one.value, two.value]).toEqual(["ACTIVE", "ACTIVE"]);
  });
});
