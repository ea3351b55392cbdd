import {
  AssociateFacesCommand,
  DisassociateFacesCommand,
  paginateListFaces,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { awsErrorName, isNotFound } from "../aws/errors.js";
import { awaitRelease } from "./handoff.js";
import type { FaceFailure } from "./model.js";
import { batches, requestToken } from "./plan.js";

export interface ApplyTarget {
  readonly client: RekognitionClient;
  readonly collectionId: string;
  readonly userId: string;
  readonly userMatchThreshold: number;
  readonly revision: number;
  /** Drawn when the association is created; part of every request token. */
  readonly lifetime: string;
}

export interface CallOutcome {
  /** Faces whose change took effect (or already held). */
  readonly done: string[];
  readonly failures: FaceFailure[];
  readonly userStatus?: string;
}

/** The user, or its collection, does not exist. */
export class MissingUserError extends Error {}

/** How long an association waits for another one to announce that it gives a
 * face up before reporting the face as belonging to a different user. */
const handoffWaitMs = 5_000;

/**
 * Disassociates faces in batches. A face that is already not this user's
 * (FACE_NOT_FOUND, now another user's, or ignored as already disassociated)
 * has reached the goal: it counts as done. A missing user or collection means
 * every face is released.
 */
export async function disassociate(target: ApplyTarget, faceIds: readonly string[]): Promise<CallOutcome> {
  return inBatches(faceIds, async (batch) => {
    try {
      const out = await target.client.send(
        new DisassociateFacesCommand({
          CollectionId: target.collectionId,
          UserId: target.userId,
          FaceIds: batch,
          ClientRequestToken: requestToken("disassociate", target, batch),
        }),
      );
      // A face in neither list was already not this user's, which is the goal too.
      const failures: FaceFailure[] = [];
      for (const failed of out.UnsuccessfulFaceDisassociations ?? []) {
        const reasons: string[] = failed.Reasons ?? [];
        if (!failed.FaceId) continue;
        if (reasons.every((r) => r === "FACE_NOT_FOUND" || r === "ASSOCIATED_TO_A_DIFFERENT_USER")) continue;
        failures.push({ faceId: failed.FaceId, reason: reasons.join(", ") || "UNKNOWN" });
      }
      const failed = new Set(failures.map((f) => f.faceId));
      const done = batch.filter((id) => !failed.has(id));
      return { done, failures, ...(out.UserStatus && { userStatus: out.UserStatus }) };
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
  const movable = await facesGivenUp(target.collectionId, first.failures);
  if (movable.length === 0) return first;

  const released = await disassociateFrom(target, movable);
  const retried = await associateOnce(target, released, "associate-after-handoff");
  const retriedIds = new Set(released);
  return {
    done: [...first.done, ...retried.done],
    failures: [...first.failures.filter((f) => !retriedIds.has(f.faceId)), ...retried.failures],
    ...((retried.userStatus ?? first.userStatus) && { userStatus: retried.userStatus ?? first.userStatus }),
  };
}

async function associateOnce(
  target: ApplyTarget,
  faceIds: readonly string[],
  step: "associate" | "associate-after-handoff",
): Promise<CallOutcome> {
  return inBatches(faceIds, async (batch) => {
    try {
      const out = await target.client.send(
        new AssociateFacesCommand({
          CollectionId: target.collectionId,
          UserId: target.userId,
          FaceIds: batch,
          UserMatchThreshold: target.userMatchThreshold,
          ClientRequestToken: requestToken(step, target, batch),
        }),
      );
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
      const failed = new Set(failures.map((f) => f.faceId));
      const done = batch.filter((id) => !failed.has(id));
      return { done, failures, ...(out.UserStatus && { userStatus: out.UserStatus }) };
    } catch (err) {
      if (isNotFound(err)) throw new MissingUserError(err instanceof Error ? err.message : String(err));
      if (awsErrorName(err) !== "ServiceQuotaExceededException") throw err;
      return { done: [], failures: batch.map((faceId) => ({ faceId, reason: "USER_FACE_LIMIT" })) };
    }
  });
}

/** Runs one call per batch of face IDs, in order, and adds up the outcomes;
 * the user's status is the one the last call reported. */
async function inBatches(
  faceIds: readonly string[],
  call: (batch: string[]) => Promise<CallOutcome>,
): Promise<CallOutcome> {
  const done: string[] = [];
  const failures: FaceFailure[] = [];
  let userStatus: string | undefined;
  for (const batch of batches(faceIds)) {
    const outcome = await call(batch);
    done.push(...outcome.done);
    failures.push(...outcome.failures);
    userStatus = outcome.userStatus ?? userStatus;
  }
  return { done, failures, ...(userStatus && { userStatus }) };
}

async function facesGivenUp(
  collectionId: string,
  failures: readonly FaceFailure[],
): Promise<{ faceId: string; fromUserId: string }[]> {
  const candidates = failures.filter(
    (f): f is FaceFailure & { otherUserId: string } =>
      f.reason === "ASSOCIATED_TO_A_DIFFERENT_USER" && f.otherUserId !== undefined,
  );
  const given = await Promise.all(
    candidates.map(async (f) =>
      (await awaitRelease(collectionId, f.otherUserId, f.faceId, handoffWaitMs))
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

/** Every face associated with the user now, across pages. */
export async function liveFaces(
  client: RekognitionClient,
  collectionId: string,
  userId: string,
): Promise<string[] | undefined> {
  const ids: string[] = [];
  try {
    for await (const page of paginateListFaces(
      { client, pageSize: 4096 },
      { CollectionId: collectionId, UserId: userId },
    )) {
      for (const face of page.Faces ?? []) if (face.FaceId) ids.push(face.FaceId);
    }
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return ids.sort();
}
