import { describe, expect, it } from "vitest";
import {
  expectRetirement,
  expectShard,
  retirementNotComing,
  runStopping,
  setRunProgressOptions,
  shardKey,
  startRetirement,
  startShard,
} from "../../provider/runtime/run-progress.js";
import { RunTally } from "../../provider/runtime/run-tally.js";

describe("a run's tally of shards", () => {
  it("knows the total from the diffs before the shards start, and is over once each has finished", () => {
    const tally = new RunTally();
    tally.expect("a", 14);
    tally.expect("b", 6);
    tally.expect("c", 0);
    expect(tally.total()).toBe(20);
    tally.start("a", 14);
    tally.finish("a");
    // Shard b has not started: not over, though nothing runs.
    expect(tally.running()).toBe(0);
    expect(tally.over()).toBe(false);
    tally.start("b", 6);
    tally.finish("b");
    expect(tally.over()).toBe(true);
    expect(tally.total()).toBe(20);
  });

  it("takes a later diff's count, a shard's own count when it starts, and adds a shard with no diff", () => {
    const tally = new RunTally();
    tally.expect("a", 10);
    tally.expect("a", 4);
    expect(tally.total()).toBe(4);
    tally.start("a", 3);
    // A diff after the start does not change a running shard.
    tally.expect("a", 50);
    expect(tally.total()).toBe(3);
    // A delete (destroy) has no diff: it counts from its start.
    tally.start("gone", 7);
    expect(tally.total()).toBe(10);
    // A diff that finds nothing to do drops an earlier expectation.
    tally.expect("b", 5);
    tally.expect("b", 0);
    expect(tally.waiting()).toBe(0);
  });
});

describe("a run's progress across shards", () => {
  const lines: [string, boolean][] = [];
  setRunProgressOptions({
    emit: (line, final) => lines.push([line, final]),
    counters: () => ({}),
    every: () => () => {},
  });
  const settled = () => new Promise((resolve) => setTimeout(resolve, 700));

  it("prints one last line once every shard with work is done, with the total known from the start", async () => {
    lines.length = 0;
    // Two rosters' shards at the same place of one collection: told apart by their declarations.
    const [a, b] = [shardKey("staff", "0/2", "declaration a"), shardKey("staff", "0/2", "declaration b")];
    expectShard(a, 14);
    expectShard(b, 6);
    const first = startShard(a, 14);
    for (let i = 0; i < 14; i++) first.advance();
    void first.finish();
    await settled();
    // Shard b is still to come: no last line "14/14".
    expect(lines).toEqual([]);
    const second = startShard(b, 6);
    for (let i = 0; i < 6; i++) second.advance();
    await second.finish();
    await second.finish();
    // Out by the time the last shard's finish resolves.
    expect(lines).toEqual([["roster: 20/20 people, calls: none, throttled: 0", true]]);
  });

  it("after a failure, ends with the people done of the total: the engine starts no other shard", async () => {
    lines.length = 0;
    expectShard(shardKey("staff", "0/2", "d0"), 5);
    expectShard(shardKey("staff", "1/2", "d1"), 6);
    const first = startShard(shardKey("staff", "0/2", "d0"), 5);
    for (let i = 0; i < 5; i++) first.advance();
    void first.finish();
    runStopping();
    await settled();
    expect(lines).toEqual([["roster: 5/11 people, calls: none, throttled: 0", true]]);
  });

  /** One shard does `people` and hands faces over; resolves once it has finished and all is still. */
  const shardHandingOver = async (people: number): Promise<void> => {
    lines.length = 0;
    const shard = shardKey("staff", "0/1", "d");
    expectShard(shard, people);
    const run = startShard(shard, people);
    for (let i = 0; i < people; i++) run.advance();
    expectRetirement("staff", ["face 1", "face 2"]);
    await run.finish();
    await settled();
  };

  it("waits for the retired faces a shard handed over, and counts their deletion in its one last line", async () => {
    await shardHandingOver(2);
    // The deletion after the shards has not run: no last line yet.
    expect(lines).toEqual([]);
    const retired = startRetirement("staff", "staff's retired faces", ["face 0", "face 1", "face 2"]);
    await retired.finish();
    expect(lines).toEqual([["roster: 2/2 people, calls: none, throttled: 0", true]]);
  });

  it("ends at once when the retired faces find nothing to delete", async () => {
    await shardHandingOver(1);
    expect(lines).toEqual([]);
    retirementNotComing("staff", ["face 1", "face 2"]);
    await settled();
    expect(lines).toEqual([["roster: 1/1 people, calls: none, throttled: 0", true]]);
  });

  it("waits for its own roster's retired faces, not another roster's in the same collection", async () => {
    await shardHandingOver(1);
    // The other roster's RetiredFaces, given other faces, has nothing to delete.
    retirementNotComing("staff", ["guest face"]);
    await settled();
    expect(lines).toEqual([]);
    // The other roster deletes some of its own: still not those handed over here.
    const theirs = startRetirement("staff", "guests' retired faces", ["guest face"]);
    await theirs.finish();
    expect(lines).toEqual([]);
    const ours = startRetirement("staff", "staff's retired faces", ["face 1", "face 2"]);
    await ours.finish();
    expect(lines).toEqual([["roster: 1/1 people, calls: none, throttled: 0", true]]);
  });
});
