// The people a run of bulk shards has to do, shard by shard. Pure: the
// run's progress (./run-progress.ts) asks it for the total and whether the
// run is over.

/** How a shard stands in the run. */
interface ShardEntry {
  /** People with work: from the shard's diff (or check, for a new shard), then from its run. */
  people: number;
  state: "expected" | "running" | "finished";
}

export class RunTally {
  private readonly shards = new Map<string, ShardEntry>();

  /** A shard's diff (or a new shard's check) found `people` with work; a later diff replaces it. */
  expect(key: string, people: number): void {
    const entry = this.shards.get(key);
    if (entry && entry.state !== "expected") return;
    if (people === 0) this.shards.delete(key);
    else this.shards.set(key, { people, state: "expected" });
  }

  /** Work with no people of its own (a roster's retired faces) will follow: the run is not over before it. */
  expectFollowUp(key: string): void {
    if (!this.shards.has(key)) this.shards.set(key, { people: 0, state: "expected" });
  }

  /** The shard starts on its `people`: they replace what its diff said (a delete has no diff). */
  start(key: string, people: number): void {
    this.shards.set(key, { people, state: "running" });
  }

  finish(key: string): void {
    const entry = this.shards.get(key);
    if (entry) entry.state = "finished";
  }

  /** The people the run has to do: every shard's, started or not. */
  total(): number {
    let total = 0;
    for (const entry of this.shards.values()) total += entry.people;
    return total;
  }

  running(): number {
    return [...this.shards.values()].filter((e) => e.state === "running").length;
  }

  /** Shards whose diff found work and that have not started. */
  waiting(): number {
    return [...this.shards.values()].filter((e) => e.state === "expected").length;
  }

  /** Nothing runs and nothing expected is left: the run's last line is due. */
  over(): boolean {
    return this.running() === 0 && this.waiting() === 0;
  }
}
