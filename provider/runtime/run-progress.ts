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

/**
 * A shard's key in the run: its collection, its place in its roster, and what
 * tells it from the shard of another roster at the same place in the same
 * collection: the digest of its checked declaration (the same from its check
 * to its update), or, for a delete, its lifetime.
 */
export function shardKey(collectionId: string, shard: string, identity: string): string {
  return `${collectionId}\u0000${shard}\u0000${identity}`;
}

/** The shard's diff (or a new shard's check) found `people` with work. */
export function expectShard(key: string, people: number): void {
  tally.expect(key, people);
}

/**
 * The handovers whose deletion the run's last line waits for: each shard's,
 * with its collection and faces. Two rosters in one collection each have
 * their RetiredFaces, and each takes (as its input) exactly the faces its own
 * shards hand over, so the faces tell whose deletion a shard waits for.
 */
const retirements = new Map<string, { collectionId: string; faces: readonly string[] }>();
let retirementsExpected = 0;

/** A shard handed `faces` over: the run's last line waits for their deletion (and counts its calls). */
export function expectRetirement(collectionId: string, faces: readonly string[]): void {
  const key = `${collectionId}\u0000retiring\u0000${retirementsExpected++}`;
  retirements.set(key, { collectionId, faces });
  tally.expectFollowUp(key);
}

/**
 * The handovers a RetiredFaces given `given` covers: it starts deleting them,
 * or has nothing to delete; either way the last line no longer waits on them.
 */
function takeRetirements(collectionId: string, given: readonly string[]): void {
  const its = new Set(given);
  for (const [key, expected] of retirements) {
    if (expected.collectionId !== collectionId || !expected.faces.every((faceId) => its.has(faceId)))
      continue;
    retirements.delete(key);
    tally.expect(key, 0);
  }
}

/** The RetiredFaces given `given` found nothing to delete: the run's last line waits no longer for them. */
export function retirementNotComing(collectionId: string, given: readonly string[]): void {
  takeRetirements(collectionId, given);
  void settle();
}

/** The RetiredFaces `id`, given `given`, starts deleting: the run's last line waits for it instead. */
export function startRetirement(collectionId: string, id: string, given: readonly string[]): ShardProgress {
  takeRetirements(collectionId, given);
  return startShard(`${collectionId}\u0000retired\u0000${id}`, 0);
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
  retirements.clear();
  stopping = false;
  run?.finish();
}

/** For tests: no run in progress. */
export function resetRunProgress(): void {
  clearTimeout(lateTimer);
  tally = new RunTally();
  retirements.clear();
  progress = undefined;
  stopping = false;
}

/** Tests: where lines go and how often. */
export function setRunProgressOptions(next: ProgressOptions): void {
  options = next;
}
