import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { notify, tracked } from "../../provider/runtime/activity.js";
import {
  countLabelled,
  declareShardPeople,
  haveLabelledClaimed,
  isPersonReconciled,
  isShardPerson,
  personReconciled,
  recordShardRoster,
  shardDiffed,
  shardRostersOf,
  wasShardDiffed,
} from "../../provider/runtime/claims.js";
import { deleteFaces } from "../../provider/runtime/face-deletions.js";
import { resetRuntime } from "../../provider/runtime/index.js";
import { checksSettled, decideWhen, othersFinished, type Decision } from "../../provider/runtime/quiet.js";
import { eachInTurn } from "../../provider/runtime/people-at-once.js";

// The batcher's one effect: a DeleteFaces call, recorded here (vi.mock is hoisted above the imports).
const sent = vi.hoisted(() => [] as string[][]);
vi.mock("../../provider/aws/rekognition.js", () => ({
  deleteFaces: (_client: unknown, input: { FaceIds: string[] }) => {
    sent.push(input.FaceIds);
    return Promise.resolve({ DeletedFaces: input.FaceIds });
  },
}));
vi.mock("../../provider/aws/configured.js", () => ({ client: () => ({}) }));

/** A resource whose operations run until the test lets them end. */
function operation(): { start: () => Promise<void>; end: () => void; check: () => Promise<void> } {
  let release!: () => void;
  const ops = tracked({
    configure: () => Promise.resolve(),
    check: () => Promise.resolve(),
    diff: () => Promise.resolve(),
    create: () => new Promise<void>((resolve) => (release = resolve)),
    read: () => Promise.resolve(),
    update: () => Promise.resolve(),
    delete: () => Promise.resolve(),
  });
  return { start: () => ops.create(), end: () => release(), check: () => ops.check() };
}

const flushed = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  resetRuntime();
  sent.length = 0;
});
afterEach(() => vi.useRealTimers());

describe("waiting on the process", () => {
  it("decides on events, with no timer while nothing can change the answer", async () => {
    let ready = false;
    let answered = false;
    void decideWhen((): Decision<true> => (ready ? { answer: true } : {})).then(() => (answered = true));
    expect(vi.getTimerCount()).toBe(0);
    ready = true;
    await flushed();
    expect(answered).toBe(false);
    notify();
    await flushed();
    expect(answered).toBe(true);
  });

  it("checks settle once none runs and none arrived for the quiet time", async () => {
    const op = operation();
    let settled = false;
    await op.check();
    void checksSettled(500).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(400);
    await op.check(); // A later check starts the quiet time again.
    await vi.advanceTimersByTimeAsync(400);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(true);
  });

  it("two failing operations waiting for the others to finish do not wait for each other", async () => {
    const [a, b, c] = [operation(), operation(), operation()];
    const running = [a.start(), b.start(), c.start()];
    const done: string[] = [];
    // a and b are the failing ones: each waits inside its own operation.
    void othersFinished(500).then(() => done.push("a"));
    void othersFinished(500).then(() => done.push("b"));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(done).toEqual([]);
    c.end();
    await vi.advanceTimersByTimeAsync(600);
    // One reports and ends its operation; then the other's turn comes.
    expect(done).toEqual(["a"]);
    a.end();
    await vi.advanceTimersByTimeAsync(600);
    expect(done).toEqual(["a", "b"]);
    b.end();
    await Promise.all(running);
  });
});

describe("DeleteFaces batched across the shards of a run", () => {
  it("waits for every operation in flight, then sends one call for all", async () => {
    const [a, b] = [operation(), operation()];
    const running = [a.start(), b.start()];
    const first = deleteFaces("c", ["f1", "f2"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([]);
    const second = deleteFaces("c", ["f3"]);
    await flushed();
    expect(sent).toEqual([["f1", "f2", "f3"]]);
    expect((await first).size + (await second).size).toBe(0);
    a.end();
    b.end();
    await Promise.all(running);
  });

  it("holds the batch while a declaration is checked, and until all has been still for a moment", async () => {
    const a = operation();
    const running = a.start();
    let endCheck!: () => void;
    const checking = tracked({
      configure: () => Promise.resolve(),
      check: () => new Promise<void>((resolve) => (endCheck = resolve)),
      diff: () => Promise.resolve(),
      create: () => Promise.resolve(),
      read: () => Promise.resolve(),
      update: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    }).check();
    void deleteFaces("c", ["f1"]);
    // The engine is checking another shard of the run: it may queue faces too.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    endCheck();
    await checking;
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([["f1"]]);
    a.end();
    await running;
  });

  it("sends a full batch at once and the rest when everyone waits", async () => {
    const [a, b] = [operation(), operation()];
    const running = [a.start(), b.start()];
    const faces = Array.from({ length: 4097 }, (_, i) => `f${i}`);
    void deleteFaces("c", faces);
    await flushed();
    expect(sent.map((batch) => batch.length)).toEqual([4096]);
    a.end();
    await vi.advanceTimersByTimeAsync(250);
    expect(sent.map((batch) => batch.length)).toEqual([4096, 1]);
    b.end();
    await Promise.all(running);
  });

  it("never holds a deletion longer than 30 s", async () => {
    const [a, b] = [operation(), operation()];
    const running = [a.start(), b.start()];
    void deleteFaces("c", ["f1"]);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([["f1"]]);
    a.end();
    b.end();
    await Promise.all(running);
  });
});

describe("people at once", () => {
  it("runs 40 people at once, and a person waiting for ACTIVE gives its turn to the next", async () => {
    const started: number[] = [];
    const ends: (() => void)[] = [];
    const giveBacks: (() => void)[] = [];
    const people = Array.from({ length: 41 }, (_, i) => i);
    const all = eachInTurn(people, async (i, giveBack) => {
      started.push(i);
      giveBacks.push(giveBack);
      await new Promise<void>((resolve) => ends.push(resolve));
    });
    await flushed();
    expect(started).toHaveLength(40);
    // The first person now only waits (no call): the 41st starts while it still runs.
    giveBacks[0]!();
    giveBacks[0]!();
    await flushed();
    expect(started).toEqual([...people]);
    let finished = false;
    void all.then(() => (finished = true));
    for (const end of ends.slice(0, 40)) end();
    await flushed();
    // The first person still waits: the run is not over before it is.
    expect(finished).toBe(false);
    ends[40]!();
    await all;
  });

  it("bounds the people at once across every list of the process", async () => {
    let running = 0;
    let most = 0;
    const person = async (): Promise<void> => {
      most = Math.max(most, ++running);
      await flushed();
      running--;
    };
    await Promise.all([
      eachInTurn(Array.from({ length: 100 }), person),
      eachInTurn(Array.from({ length: 100 }), person),
    ]);
    expect(most).toBe(40);
  });

  it("gives turns to the lists in the order they came: the first list's people all start before the next's", async () => {
    const started: string[] = [];
    const person =
      (list: string) =>
      async (i: number): Promise<void> => {
        started.push(`${list}${i}`);
        await flushed();
      };
    const fifty = Array.from({ length: 50 }, (_, i) => i);
    await Promise.all([eachInTurn(fifty, person("a")), eachInTurn(fifty, person("b"))]);
    expect(started).toEqual([...fifty.map((i) => `a${i}`), ...fifty.map((i) => `b${i}`)]);
  });

  it("starts nobody after a person fails, and throws once the started ones are done", async () => {
    const started: number[] = [];
    const ends: (() => void)[] = [];
    const all = eachInTurn(
      Array.from({ length: 100 }, (_, i) => i),
      async (i) => {
        started.push(i);
        if (i === 0) throw new Error("person 0 failed");
        await new Promise<void>((resolve) => ends.push(resolve));
      },
    );
    const outcome = all.then(
      () => "resolved",
      (err: Error) => err.message,
    );
    let settled: string | undefined;
    void outcome.then((o) => (settled = o));
    await flushed();
    // Person 0's failure waits for the 39 people already at work.
    expect(settled).toBeUndefined();
    for (const end of ends) end();
    expect(await outcome).toBe("person 0 failed");
    // The first 40 had their turns at once; nobody started after the failure.
    expect(started).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});

describe("what a deleted shard needs to know", () => {
  it("the IndexedFaces of a label have all claimed only once as many claimed as were checked", () => {
    expect(haveLabelledClaimed("staff", "ann")).toBe(true);
    countLabelled("staff", "ann", "declared");
    countLabelled("staff", "ann", "declared");
    countLabelled("staff", "ann", "claimed");
    expect(haveLabelledClaimed("staff", "ann")).toBe(false);
    expect(haveLabelledClaimed("other", "ann")).toBe(true);
    countLabelled("staff", "ann", "claimed");
    expect(haveLabelledClaimed("staff", "ann")).toBe(true);
  });

  it("a shard diffed in this process is known by its ID, and its recorded people by collection", () => {
    expect(wasShardDiffed("id-1")).toBe(false);
    shardDiffed("id-1");
    expect(wasShardDiffed("id-1")).toBe(true);
    recordShardRoster("staff", "ann: …");
    expect(shardRostersOf("staff")).toEqual(["ann: …"]);
    expect(shardRostersOf("other")).toEqual([]);
    resetRuntime();
    expect(wasShardDiffed("id-1")).toBe(false);
    expect(shardRostersOf("staff")).toEqual([]);
  });
});

describe("the people bulk shards declare", () => {
  it("are known by collection and user ID, own keys only", () => {
    declareShardPeople("staff", { cy: {}, di: {} });
    expect(isShardPerson("staff", "cy")).toBe(true);
    expect(isShardPerson("staff", "ann")).toBe(false);
    expect(isShardPerson("other", "cy")).toBe(false);
    // A person named like an Object property is not declared by every shard.
    expect(isShardPerson("staff", "constructor")).toBe(false);
  });

  it("are reconciled only once a shard says so, and forgotten with the rest of the runtime", () => {
    declareShardPeople("staff", { cy: {} });
    expect(isPersonReconciled("staff", "cy")).toBe(false);
    personReconciled("staff", "cy");
    expect(isPersonReconciled("staff", "cy")).toBe(true);
    expect(isPersonReconciled("other", "cy")).toBe(false);
    resetRuntime();
    expect(isShardPerson("staff", "cy")).toBe(false);
    expect(isPersonReconciled("staff", "cy")).toBe(false);
  });
});
