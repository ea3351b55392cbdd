import {
  associate,
  disassociate,
  InterruptedApply,
  liveFaces,
  MissingUserError,
  type ApplyTarget,
  type CallOutcome,
} from "./apply.js";
import type { AssociationInputs, FaceSet } from "./model.js";
import type { FaceChange } from "./plan.js";

// How an apply's calls are carried out and what is true afterwards, shared by
// UserFaceAssociation and the bulk roster.

export interface AppliedChange {
  readonly removed: CallOutcome;
  readonly added: CallOutcome;
  /** A call that failed as a whole, and the faces it left unsettled. */
  readonly interruption?: { readonly cause: unknown; readonly unsettled: readonly string[] };
}

const nothing: CallOutcome = { done: [], failures: [] };

/** Disassociates, then associates; stops at the first call that fails as a whole. */
export async function applyChange(target: ApplyTarget, change: FaceChange): Promise<AppliedChange> {
  let removed: CallOutcome;
  try {
    removed = await disassociate(target, change.disassociate);
  } catch (err) {
    if (!(err instanceof InterruptedApply)) throw err;
    return {
      removed: err.outcome,
      added: nothing,
      interruption: { cause: err.cause, unsettled: err.unsettled },
    };
  }
  try {
    return { removed, added: await associate(target, change.associate) };
  } catch (err) {
    if (err instanceof InterruptedApply) {
      return { removed, added: err.outcome, interruption: { cause: err.cause, unsettled: err.unsettled } };
    }
    if (err instanceof MissingUserError)
      return { removed, added: nothing, interruption: { cause: err, unsettled: [] } };
    throw err;
  }
}

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
