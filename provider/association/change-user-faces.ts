// Carries out one user's face change, for a UserFaceAssociation (./engine.ts)
// and for each person of a roster shard (../bulk/apply.ts) alike: plan, calls,
// the truth read back, the wait for ACTIVE and the record of what holds now.
// The words a user reads stay with each caller.
import { ActiveTimeoutError, collectionView } from "../aws/collection-view.js";
import { applyChange, MissingUserError, type AppliedChange, type ApplyTarget } from "./apply.js";
import { faceIdsOf, faceSet, type FaceFailure, type FaceSet } from "./model.js";
import { planFaceChange, type FaceChange } from "./plan.js";
import { truthAfter, type Truth } from "./truth.js";

export interface FaceChangeRequest {
  readonly target: ApplyTarget;
  /** The faces this declaration manages as recorded: additive mode starts from them. */
  readonly managed: FaceSet;
  /** The user's faces as the service lists them: exclusive mode starts from them. */
  readonly live?: readonly string[];
  readonly desired: FaceSet;
  readonly exclusive: boolean;
  /** Faces an earlier call left without an answer. */
  readonly pending: readonly string[];
  /** The user's status as known before the change. */
  readonly userStatus: string;
  readonly wait: ActiveWait;
  /**
   * Makes the user when the change finds it missing before anything changed;
   * the change is then applied again. A failure of either is a UserNotMade.
   */
  readonly makeUser?: () => Promise<void>;
  /** Called before the wait for ACTIVE, which makes no call of its own: a roster gives its person's turn back. */
  readonly beforeWait?: () => void;
}

export interface ActiveWait {
  /** waitForActive as declared. */
  readonly forActive: boolean;
  readonly timeoutSeconds: number;
  /** An earlier run's wait did not finish: it is resumed even with no change. */
  readonly resume: boolean;
  /** Wait even when faces failed (a roster records its failures; an association stops at them). */
  readonly afterFailures: boolean;
}

/** What holds for the user after the change. */
export interface UserFaces {
  /** The managed faces associated now, plus the observed ones. */
  readonly faces: FaceSet;
  /** The managed faces associated now, sorted. */
  readonly managed: readonly string[];
  /** Exclusive mode: faces of the user this declaration does not manage. */
  readonly observed: readonly string[];
  /** Faces whose outcome is unknown. */
  readonly pending: readonly string[];
  readonly userStatus: string;
  /** Faces that failed: the disassociations', then the associations'. */
  readonly failed: readonly FaceFailure[];
  /** Whether the wait for ACTIVE is still to finish; undefined when there was none. */
  readonly awaitingActive?: boolean;
}

export interface FaceChangeResult {
  readonly user: UserFaces;
  readonly change: FaceChange;
  /** The calls' outcome and the truth after them; undefined when nothing was to change. */
  readonly applied?: { readonly outcome: AppliedChange; readonly truth: Truth };
  /** Why the wait for ACTIVE did not finish (ActiveTimeoutError, or the scan's error). */
  readonly waitError?: unknown;
}

/** The user was missing and making it (or applying the change after) failed. */
export class UserNotMade extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "UserNotMade";
  }
}

/**
 * Makes the user's faces match `desired`: removals first, then additions,
 * then the wait for ACTIVE. Whatever fails, `user` says what really holds,
 * so that the next `pulumi up` starts from the truth.
 */
export async function changeUserFaces(request: FaceChangeRequest): Promise<FaceChangeResult> {
  const { target, exclusive } = request;
  // Exclusive mode starts from what the service lists, and the listing has
  // already settled what was unsettled.
  const base = exclusive ? faceSet(request.live ?? []) : request.managed;
  const unsettled = exclusive ? [] : request.pending;
  const change = planFaceChange(base, request.desired, unsettled);
  if (change.associate.length === 0 && change.disassociate.length === 0) {
    const user: UserFaces = {
      faces: base,
      managed: faceIdsOf(base),
      observed: [],
      pending: [],
      userStatus: request.userStatus,
      failed: [],
    };
    return { change, ...(await waitIfDue(request, user, request.wait.resume)) };
  }

  const outcome = await applyWithUser(request, change);
  const declared = { faces: request.desired, exclusive };
  const truth = await truthAfter(target, base, request.managed, declared, change, outcome, unsettled);
  const user: UserFaces = {
    faces: faceSet([...truth.managed, ...truth.observed]),
    managed: truth.managed,
    observed: truth.observed,
    pending: truth.unsettled,
    userStatus: outcome.added.userStatus ?? outcome.removed.userStatus ?? request.userStatus,
    failed: [...outcome.removed.failures, ...outcome.added.failures],
  };
  const changed = outcome.added.done.length + outcome.removed.done.length > 0;
  const failed = outcome.interruption !== undefined || user.failed.length > 0;
  const due = (changed || request.wait.resume) && (!failed || request.wait.afterFailures);
  return { change, applied: { outcome, truth }, ...(await waitIfDue(request, user, due)) };
}

/** Applies the change; a user found missing is made (when the caller can) and the change applied again. */
async function applyWithUser(request: FaceChangeRequest, change: FaceChange): Promise<AppliedChange> {
  const outcome = await applyChange(request.target, change);
  if (!request.makeUser || !isMissingUser(outcome)) return outcome;
  try {
    await request.makeUser();
    return await applyChange(request.target, change);
  } catch (err) {
    throw new UserNotMade(err);
  }
}

/** Nothing changed because the user or its collection does not exist. */
export function isMissingUser(outcome: AppliedChange): boolean {
  return (
    outcome.interruption?.cause instanceof MissingUserError &&
    outcome.added.done.length + outcome.removed.done.length === 0
  );
}

/**
 * Waits, when `due` and declared, until the user's change is applied (ACTIVE,
 * or CREATED with no faces). A wait that does not finish leaves the faces as
 * recorded and marks the wait unfinished, for the next `pulumi up` to resume.
 */
async function waitIfDue(
  request: FaceChangeRequest,
  user: UserFaces,
  due: boolean,
): Promise<{ user: UserFaces; waitError?: unknown }> {
  if (!due || !request.wait.forActive) return { user };
  if (user.userStatus === "ACTIVE") return { user: { ...user, awaitingActive: false } };
  const { client, collectionId, userId } = request.target;
  request.beforeWait?.();
  try {
    const status = await collectionView(client, collectionId).awaitSettled(userId, {
      expectFaces: Object.keys(user.faces).length > 0,
      timeoutMs: request.wait.timeoutSeconds * 1000,
    });
    return { user: { ...user, userStatus: status, awaitingActive: false } };
  } catch (err) {
    return { user: { ...user, awaitingActive: true }, waitError: err };
  }
}

/** The words for an unfinished wait's timeout: the next `up` picks it up. */
export function activeTimeoutWords(err: ActiveTimeoutError): string {
  return `${err.message}; the next \`pulumi up\` resumes the wait`;
}
