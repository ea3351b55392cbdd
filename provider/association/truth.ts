import { liveFaces, type AppliedChange, type ApplyTarget } from "./apply.js";
import type { AssociationInputs, FaceSet } from "./model.js";
import type { FaceChange } from "./plan.js";

// What is associated after an apply: from the calls' answers, or read back
// from the service when a call's outcome is unknown.

export interface Truth {
  /** Faces managed here and associated, sorted. */
  readonly managed: readonly string[];
  /** Exclusive mode: faces of the user this declaration does not manage. */
  readonly observed: string[];
  /** Faces whose outcome is unknown. */
  readonly unsettled: string[];
  /** Whether the truth was read back from the service. */
  readonly readBack: boolean;
}

/**
 * What is associated now. After a clean apply, the outcome says it. After an
 * interruption the outcome of the failed call may be unknown, so the user's
 * faces are read back; if that fails too, faces of the failed call are
 * recorded as unsettled for the next `pulumi up`.
 */
export async function truthAfter(
  target: ApplyTarget,
  base: FaceSet,
  previous: FaceSet,
  declared: Pick<AssociationInputs, "faces" | "exclusive">,
  change: FaceChange,
  outcome: AppliedChange,
  unsettledBefore: readonly string[],
): Promise<Truth> {
  const concerned = new Set([
    ...Object.keys(previous),
    ...Object.keys(declared.faces),
    ...change.disassociate,
  ]);
  if (outcome.interruption) {
    let live: string[] | undefined;
    try {
      live = (await liveFaces(target.client, target.collectionId, target.userId)) ?? [];
    } catch {
      live = undefined;
    }
    if (live !== undefined) {
      const managed = live.filter((id) => concerned.has(id));
      const observed = declared.exclusive ? live.filter((id) => !concerned.has(id)) : [];
      return { managed: managed.sort(), observed: observed.sort(), unsettled: [], readBack: true };
    }
  }
  const now: Record<string, true> = { ...base };
  for (const faceId of outcome.removed.done) delete now[faceId];
  for (const faceId of outcome.added.done) now[faceId] = true;
  const unsettled = new Set(outcome.interruption?.unsettled ?? []);
  // Faces the run never reached keep their standing: one left unsettled by an
  // earlier run stays unsettled.
  const reached = new Set([
    ...outcome.removed.done,
    ...outcome.added.done,
    ...outcome.removed.failures.map((f) => f.faceId),
    ...outcome.added.failures.map((f) => f.faceId),
  ]);
  for (const faceId of unsettledBefore) if (!reached.has(faceId)) unsettled.add(faceId);
  for (const faceId of unsettled) delete now[faceId];
  const managed = Object.keys(now).filter((id) => concerned.has(id));
  const observed = declared.exclusive ? Object.keys(now).filter((id) => !concerned.has(id)) : [];
  return {
    managed: managed.sort(),
    observed: observed.sort(),
    unsettled: [...unsettled].sort(),
    readBack: false,
  };
}
