// One progress for every shard of a run in this process: its total is known
// from the shards' diffs, before most of them start, and it prints exactly
// one last line, once every shard that has work has finished.
import { checksSettled } from "./quiet.js";
import { startProgress, type Progress, type ProgressOptions } from "../progress.js";
import { RunTally } from "./run-tally.js";

/**
 * How long the last line waits for a shard whose diff found work but that
 * has not started, when nothing else runs. The engine starts a shard right
 * after its diff, so this only passes when it is not coming (a `--target`
 * run, say).
 */
const lateShardMs = 30_000;

// Process-wide by design: one run's shards share one progress.
let tally = new RunTally();
let progress: Progress | undefined;
let stopping = false;
let lateTimer: NodeJS.Timeout | undefined;
let options: ProgressOptions = {};

/** A shard's key in the run: its collection and its place in the roster. */
export function shardKey(collectionId: string, shard: string): string {
  return `${collectionId}\u0000${shard}`;
}

/** The shard's diff (or a new shard's check) found `people` with work. */
export function expectShard(key: string, people: number): void {
  tally.expect(key, people);
}

/** The key of a collection's retired faces (../retired/), which its roster deletes once every shard is done. */
export function retiredKey(collectionId: string): string {
  return `${collectionId}\u0000retired`;
}

/** A shard handed faces over: the run's last line waits for their deletion (and counts its calls). */
export function expectRetirement(collectionId: string): void {
  tally.expectFollowUp(retiredKey(collectionId));
}

/** The retired faces found nothing to delete: the run's last line waits no longer. */
export function retirementNotComing(collectionId: string): void {
  tally.expect(retiredKey(collectionId), 0);
  void settle();
}

export interface ShardProgress {
  /** One more person of the shard is done. */
  advance(): void;
  /**
   * The shard's work is over (done or failed). The last shard of the run
   * resolves once the last line is out: before its operation returns, and
   * with it the run, while the engine still listens.
   */
  finish(): Promise<void>;
}

/** The shard starts on `people` (the run's progress starts with the first shard). */
export function startShard(key: string, people: number): ShardProgress {
  tally.start(key, people);
  clearTimeout(lateTimer);
  const counted = tally;
  const run = (progress ??= startProgress("roster", () => counted.total(), options));
  let finished = false;
  return {
    advance: () => run.advance(),
    finish: async () => {
      if (finished) return;
      finished = true;
      tally.finish(key);
      await settle();
    },
  };
}

/**
 * A shard fails once the others have finished (../activity.ts, othersFinished):
 * the engine starts no other step, so the shards not started are not coming,
 * and the last line is due now, before the engine ends the run.
 */
export function runStopping(): void {
  stopping = true;
  if (progress && tally.running() === 0) lastLine();
}

async function settle(): Promise<void> {
  if (!progress || tally.running() > 0) return;
  // A diff arriving now still belongs to this run: let the checks go quiet first.
  await checksSettled();
  if (!progress || tally.running() > 0) return;
  if (tally.waiting() > 0 && !stopping) {
    clearTimeout(lateTimer);
    lateTimer = setTimeout(lastLine, lateShardMs);
    lateTimer.unref();
    return;
  }
  lastLine();
}

function lastLine(): void {
  clearTimeout(lateTimer);
  const run = progress;
  progress = undefined;
  tally = new RunTally();
  stopping = false;
  run?.finish();
}

/** For tests: no run in progress. */
export function resetRunProgress(): void {
  clearTimeout(lateTimer);
  tally = new RunTally();
  progress = undefined;
  stopping = false;
}

/** Tests: where lines go and how often. */
export function setRunProgressOptions(next: ProgressOptions): void {
  options = next;
}
