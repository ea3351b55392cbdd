import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { userFaces } from "../aws/collection-reads.js";
import * as rekognition from "../aws/rekognition.js";
import { awsErrorName, isNotFound, wasRefused } from "../aws/errors.js";
import { awaitRelease } from "../runtime/handoff.js";
import { lifetimeToken } from "../idempotency.js";
import { maxFacesPerCall, type FaceFailure } from "./model.js";
import type { FaceChange } from "./plan.js";

// Carries out a planned face change (./plan.ts): the association calls, in
// batches, each with its request token.

export function batches<T>(items: readonly T[], size = maxFacesPerCall): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Which apply a call belongs to: part of every request token. */
export interface Attempt {
  /** Drawn when the association is created. */
  readonly lifetime: string;
  /** Drawn for each apply: a later run never repeats an earlier run's tokens. */
  readonly attempt: string;
}

/**
 * The ClientRequestToken of one association call. It covers the whole
 * request (step, user, threshold, faces) and the apply it belongs to, so the
 * SDK's own retries of a call are answered from the service's record and
 * never applied twice, while no token is ever sent again with another
 * request, in this run or a later one (which the service would refuse with
 * IdempotentParameterMismatchException).
 */
export function requestToken(
  step: "associate" | "associate-after-handoff" | "disassociate",
  target: Attempt & { collectionId: string; userId: string; userMatchThreshold?: number },
  faceIds: readonly string[],
): string {
  return lifetimeToken(
    step,
    target.lifetime,
    target.attempt,
    target.collectionId,
    target.userId,
    step === "disassociate" ? "" : String(target.userMatchThreshold ?? ""),
    ...faceIds,
  );
}

export interface ApplyTarget extends Attempt {
  readonly client: RekognitionClient;
  readonly collectionId: string;
  readonly userId: string;
  readonly userMatchThreshold: number;
}

export interface CallOutcome {
  /** Faces whose change took effect (or already held). */
  readonly done: string[];
  readonly failures: FaceFailure[];
  readonly userStatus?: string;
}

/** The user, or its collection, does not exist. */
export class MissingUserError extends Error {}

/**
 * A call failed as a whole after earlier calls of the apply took effect.
 * `outcome` holds what those did; `unsettled` the faces of the failed call
 * when its outcome is unknown (no answer, or a 5xx: it may have been
 * applied), empty when the service refused it (nothing was applied).
 */
export class InterruptedApply extends Error {
  constructor(
    readonly outcome: CallOutcome,
    readonly unsettled: readonly string[],
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "InterruptedApply";
  }
}

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

/**
 * Disassociates faces in batches. A face that is already not this user's
 * (FACE_NOT_FOUND, now another user's, or ignored as already disassociated)
 * has reached the goal: it counts as done. A missing user or collection means
 * every face is released.
 */
export async function disassociate(target: ApplyTarget, faceIds: readonly string[]): Promise<CallOutcome> {
  return inBatches(faceIds, async (batch) => {
    try {
      const out = await rekognition.disassociateFaces(target.client, request("disassociate", target, batch));
      // A face in neither list was already not this user's, which is the goal too.
      const failures: FaceFailure[] = [];
      for (const failed of out.UnsuccessfulFaceDisassociations ?? []) {
        const reasons: string[] = failed.Reasons ?? [];
        if (!failed.FaceId) continue;
        if (reasons.every((r) => r === "FACE_NOT_FOUND" || r === "ASSOCIATED_TO_A_DIFFERENT_USER")) continue;
        failures.push({ faceId: failed.FaceId, reason: reasons.join(", ") || "UNKNOWN" });
      }
      return outcomeOf(batch, failures, out.UserStatus);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return { done: batch, failures: [] };
    }
  });
}

/**
 * Associates faces in batches. Faces the service does not list as
 * unsuccessful are associated (a face already with this user is in neither
 * list). A face held by a user whose association gives it up in this same
 * deployment is released from that user and associated here.
 */
export async function associate(target: ApplyTarget, faceIds: readonly string[]): Promise<CallOutcome> {
  const first = await associateOnce(target, faceIds, "associate");
  const movable = await facesGivenUp(target, first.failures);
  if (movable.length === 0) return first;

  const moved = new Set(movable.map((m) => m.faceId));
  const before: CallOutcome = { ...first, failures: first.failures.filter((f) => !moved.has(f.faceId)) };
  const released = await continuing(before, () => disassociateFrom(target, movable));
  const retried = await continuing(before, () => associateOnce(target, released, "associate-after-handoff"));
  const notReleased = movable.filter((m) => !released.includes(m.faceId)).map((m) => m.faceId);
  return {
    done: [...first.done, ...retried.done],
    failures: [
      ...first.failures.filter((f) => !moved.has(f.faceId) || notReleased.includes(f.faceId)),
      ...retried.failures,
    ],
    ...((retried.userStatus ?? first.userStatus) && { userStatus: retried.userStatus ?? first.userStatus }),
  };
}

/** Runs a later step; if it is interrupted, what came before still counts. */
async function continuing<T>(before: CallOutcome, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof InterruptedApply) {
      throw new InterruptedApply(merge(before, err.outcome), err.unsettled, err.cause);
    }
    if (err instanceof MissingUserError) throw err;
    throw new InterruptedApply(before, [], err);
  }
}

function merge(a: CallOutcome, b: CallOutcome): CallOutcome {
  const userStatus = b.userStatus ?? a.userStatus;
  return {
    done: [...a.done, ...b.done],
    failures: [...a.failures, ...b.failures],
    ...(userStatus && { userStatus }),
  };
}

async function associateOnce(
  target: ApplyTarget,
  faceIds: readonly string[],
  step: "associate" | "associate-after-handoff",
): Promise<CallOutcome> {
  return inBatches(faceIds, async (batch) => {
    try {
      const out = await rekognition.associateFaces(target.client, {
        ...request(step, target, batch),
        UserMatchThreshold: target.userMatchThreshold,
      });
      const failures: FaceFailure[] = (out.UnsuccessfulFaceAssociations ?? []).flatMap((f) =>
        f.FaceId
          ? [
              {
                faceId: f.FaceId,
                reason: (f.Reasons ?? []).join(", ") || "UNKNOWN",
                ...(f.UserId && { otherUserId: f.UserId }),
                ...(f.Confidence !== undefined && { confidence: f.Confidence }),
              },
            ]
          : [],
      );
      return outcomeOf(batch, failures, out.UserStatus);
    } catch (err) {
      if (isNotFound(err)) throw new MissingUserError(err instanceof Error ? err.message : String(err));
      if (awsErrorName(err) !== "ServiceQuotaExceededException") throw err;
      return { done: [], failures: batch.map((faceId) => ({ faceId, reason: "USER_FACE_LIMIT" })) };
    }
  });
}

/** The parts of an AssociateFaces or DisassociateFaces request that both share. */
function request(step: Parameters<typeof requestToken>[0], target: ApplyTarget, batch: string[]) {
  return {
    CollectionId: target.collectionId,
    UserId: target.userId,
    FaceIds: batch,
    ClientRequestToken: requestToken(step, target, batch),
  };
}

/** A call's outcome: every face of its batch that did not fail is done. */
function outcomeOf(
  batch: readonly string[],
  failures: FaceFailure[],
  userStatus: string | undefined,
): CallOutcome {
  const failed = new Set(failures.map((f) => f.faceId));
  const done = batch.filter((id) => !failed.has(id));
  return { done, failures, ...(userStatus && { userStatus }) };
}

/**
 * Runs one call per batch of face IDs, in order, and adds up the outcomes;
 * the user's status is the one the last call reported. A call that fails as
 * a whole ends the run with InterruptedApply, carrying what earlier calls did.
 */
async function inBatches(
  faceIds: readonly string[],
  call: (batch: string[]) => Promise<CallOutcome>,
): Promise<CallOutcome> {
  let total: CallOutcome = { done: [], failures: [] };
  for (const batch of batches(faceIds)) {
    try {
      total = merge(total, await call(batch));
    } catch (err) {
      if (err instanceof MissingUserError && total.done.length === 0) throw err;
      throw new InterruptedApply(total, wasRefused(err) ? [] : batch, err);
    }
  }
  return total;
}

/**
 * The faces of `failures` that another user holds and whose association, in
 * this deployment, gives them up. The holder is the user the service names,
 * whatever the reason string says (the developer guide's own sample reports
 * ASSOCIATED_TO_A_DIFFERENT_IDENTITY).
 */
async function facesGivenUp(
  target: ApplyTarget,
  failures: readonly FaceFailure[],
): Promise<{ faceId: string; fromUserId: string }[]> {
  const candidates = failures.filter(
    (f): f is FaceFailure & { otherUserId: string } =>
      f.otherUserId !== undefined && f.otherUserId !== target.userId,
  );
  const given = await Promise.all(
    candidates.map(async (f) =>
      (await awaitRelease(target.collectionId, f.otherUserId, f.faceId))
        ? [{ faceId: f.faceId, fromUserId: f.otherUserId }]
        : [],
    ),
  );
  return given.flat();
}

async function disassociateFrom(
  target: ApplyTarget,
  moves: readonly { faceId: string; fromUserId: string }[],
): Promise<string[]> {
  const byUser = new Map<string, string[]>();
  for (const { faceId, fromUserId } of moves)
    byUser.set(fromUserId, [...(byUser.get(fromUserId) ?? []), faceId]);
  const released: string[] = [];
  for (const [fromUserId, faceIds] of byUser) {
    const outcome = await disassociate({ ...target, userId: fromUserId }, faceIds);
    released.push(...outcome.done);
  }
  return released;
}

/** Every face associated with the user now, across pages; undefined when the
 * user or its collection does not exist. */
export const liveFaces = userFaces;
