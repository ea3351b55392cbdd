import { describe, expect, it } from "vitest";
import type { OperationCounters } from "../../provider/aws/rate-limits.js";
import { callCounters, engineLogSink, progressLine, startProgress } from "../../provider/progress.js";

/** A progress whose clock ticks when told, with counters the test sets. */
function harness() {
  const lines: [string, boolean][] = [];
  let counters: Record<string, OperationCounters> = {};
  let tick: (() => void) | undefined;
  let stopped = false;
  return {
    lines,
    setCounters: (c: Record<string, OperationCounters>) => (counters = c),
    tick: () => tick?.(),
    stopped: () => stopped,
    options: {
      emit: (line: string, final: boolean) => lines.push([line, final]),
      counters: () => counters,
      every: (_ms: number, fn: () => void) => {
        tick = fn;
        return () => {
          stopped = true;
          tick = undefined;
        };
      },
    },
  };
}

describe("progress lines", () => {
  it("shows done/total, calls by operation (most first) and throttles", () => {
    expect(
      progressLine("roster staff", 1200, 5000, {
        CreateUser: { calls: 400, throttles: 1 },
        IndexFaces: { calls: 1200, throttles: 2 },
        AssociateFaces: { calls: 400, throttles: 0 },
      }),
    ).toBe(
      "roster staff: 1200/5000 people, calls: IndexFaces 1200, AssociateFaces 400, CreateUser 400, throttled: 3",
    );
    expect(progressLine("roster staff", 0, 10, {})).toBe(
      "roster staff: 0/10 people, calls: none, throttled: 0",
    );
  });

  it("emits a line at each tick and a last one at finish, counting only calls since the start", () => {
    const h = harness();
    h.setCounters({ ListUsers: { calls: 7, throttles: 1 } });
    const progress = startProgress("roster staff", 4, h.options);
    progress.advance();
    h.setCounters({ ListUsers: { calls: 8, throttles: 1 }, CreateUser: { calls: 3, throttles: 2 } });
    h.tick();
    progress.advance(3);
    h.setCounters({ ListUsers: { calls: 8, throttles: 1 }, CreateUser: { calls: 5, throttles: 2 } });
    progress.finish();
    progress.finish();
    h.tick();
    expect(h.lines).toEqual([
      ["roster staff: 1/4 people, calls: CreateUser 3, ListUsers 1, throttled: 2", false],
      ["roster staff: 4/4 people, calls: CreateUser 5, ListUsers 1, throttled: 2", true],
    ]);
    expect(h.stopped()).toBe(true);
  });

  it("reads this process's counters by default, and has no engine to log to outside the provider host", () => {
    expect(callCounters()).toEqual({});
    expect(engineLogSink(undefined)).toBeUndefined();
  });
});
