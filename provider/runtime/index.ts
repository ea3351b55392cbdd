/**
 * The provider process's runtime: everything the resources of one `pulumi`
 * command share, because one provider process serves the whole command.
 *
 * - ./activity.ts: operations and checks in flight; every change is an event.
 * - ./quiet.ts: the one way to wait on those events (no polling).
 * - ./claims.ts: what the declarations of this deployment claim.
 * - ./handoff.ts: faces an association gives up to another in this deployment.
 * - ./people-at-once.ts: the bound on bulk people working at once.
 * - ./face-deletions.ts: DeleteFaces batched across the shards of a run.
 * - ./deleted-faces.ts: faces a roster's RetiredFaces records as deleted.
 * - ./handed-people.ts: people a bulk shard no longer declares, for the shard that does.
 * - ./run-progress.ts (+ ./run-tally.ts): one progress for the shards of a run.
 * - ./heap.ts: how far the process's heap grows between full collections.
 *
 * Each keeps its state in one binding, replaced by `resetRuntime` for tests.
 */
import { resetActivity } from "./activity.js";
import { resetClaims } from "./claims.js";
import { resetDeletedFaces } from "./deleted-faces.js";
import { resetFaceDeletions } from "./face-deletions.js";
import { resetHandedPeople } from "./handed-people.js";
import { resetHandoff } from "./handoff.js";
import { resetPeopleAtOnce } from "./people-at-once.js";
import { resetRunProgress } from "./run-progress.js";

/** For tests: a process that has done nothing yet. */
export function resetRuntime(): void {
  resetActivity();
  resetClaims();
  resetHandoff();
  resetPeopleAtOnce();
  resetFaceDeletions();
  resetDeletedFaces();
  resetHandedPeople();
  resetRunProgress();
}
