import { centroid } from "../model/index.js";
import { ServiceError } from "../protocol/errors.js";
import type { Mutation } from "../store/types.js";
import { requireCollection, requireUser, statusAfter, userStatus, type OperationContext } from "./context.js";
import { idempotent } from "./idempotency.js";
import { page } from "./pagination.js";
import {
  clientRequestToken,
  collectionId,
  faceIdRule,
  nextToken,
  optionalNumber,
  requiredUserId,
  stringList,
  type Input,
} from "./validate.js";

export const MAX_FACES_PER_USER = 100;

export function createUser(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const userId = requiredUserId(input);
  const token = clientRequestToken(input);
  return idempotent(ctx, "CreateUser", input, token, () => {
    const c = requireCollection(ctx, id);
    if (c.users.has(userId))
      throw new ServiceError(
        "ConflictException",
        `The user id: ${userId} already exists in collection ${id}`,
      );
    return {
      response: {},
      mutations: [{ type: "createUser", collectionId: id, userId, createdAt: ctx.now() }],
    };
  });
}

export function deleteUser(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const userId = requiredUserId(input);
  const token = clientRequestToken(input);
  return idempotent(ctx, "DeleteUser", input, token, () => {
    requireUser(requireCollection(ctx, id), userId);
    return { response: {}, mutations: [{ type: "deleteUser", collectionId: id, userId }] };
  });
}

export function listUsers(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const max = optionalNumber(input, "MaxResults", { min: 1, max: 500, integer: true }) ?? 500;
  const token = nextToken(input);
  const c = requireCollection(ctx, id);
  const result = page("users", c.userOrder, token, max, (userId) => {
    const u = c.users.get(userId);
    return u ? { UserId: u.userId, UserStatus: userStatus(ctx, u) } : undefined;
  });
  return { Users: result.items, ...(result.nextToken ? { NextToken: result.nextToken } : {}) };
}

interface Unsuccessful {
  FaceId: string;
  UserId?: string;
  Confidence?: number;
  Reasons: string[];
}

/**
 * Associates faces with a user. Faces already the user's are ignored; missing ones,
 * another user's, and (once the user has a face) ones below UserMatchThreshold are
 * reported unsuccessful. A call that would take the user past 100 faces is refused
 * whole with ServiceQuotaExceededException and associates nothing.
 */
export function associateFaces(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const userId = requiredUserId(input);
  const faceIds = stringList(input, "FaceIds", { required: true, min: 1, max: 100, item: faceIdRule })!;
  const threshold = optionalNumber(input, "UserMatchThreshold", { min: 0, max: 100 }) ?? 75;
  const token = clientRequestToken(input);
  return idempotent(ctx, "AssociateFaces", input, token, () => {
    const c = requireCollection(ctx, id);
    const user = requireUser(c, userId);
    const current =
      user.faceIds.size > 0 ? (user.centroid ??= centroid(vectorsOf(c, user.faceIds))) : undefined;
    const associated: string[] = [];
    const unsuccessful: Unsuccessful[] = [];
    for (const faceId of new Set(faceIds)) {
      const face = c.faces.get(faceId);
      const override = ctx.faceReasonOverride(faceId);
      if (override !== undefined) {
        const owner = face?.userId !== undefined && face.userId !== userId ? { UserId: face.userId } : {};
        unsuccessful.push({ FaceId: faceId, ...owner, Reasons: [override] });
      } else if (!face) {
        unsuccessful.push({ FaceId: faceId, Reasons: ["FACE_NOT_FOUND"] });
      } else if (face.userId === userId) {
        continue;
      } else if (face.userId !== undefined) {
        unsuccessful.push({
          FaceId: faceId,
          UserId: face.userId,
          Reasons: ["ASSOCIATED_TO_A_DIFFERENT_USER"],
        });
      } else if (current && ctx.faceModel.similarity(face.vector, current) < threshold) {
        unsuccessful.push({
          FaceId: faceId,
          Confidence: ctx.faceModel.similarity(face.vector, current),
          Reasons: ["LOW_MATCH_CONFIDENCE"],
        });
      } else {
        associated.push(faceId);
      }
    }
    if (
      user.faceIds.size >= MAX_FACES_PER_USER ||
      user.faceIds.size + associated.length > MAX_FACES_PER_USER
    ) {
      throw new ServiceError(
        "ServiceQuotaExceededException",
        `User ${userId} has ${user.faceIds.size} faces; associating ${associated.length} more would exceed the limit of ${MAX_FACES_PER_USER} faces per user`,
      );
    }
    const changed = associated.length > 0;
    const mutations: Mutation[] = changed
      ? [{ type: "associate", collectionId: id, userId, faceIds: associated, at: ctx.now() }]
      : [];
    return {
      mutations,
      response: {
        AssociatedFaces: associated.map((FaceId) => ({ FaceId })),
        UnsuccessfulFaceAssociations: unsuccessful,
        UserStatus: statusAfter(ctx, user, changed, user.faceIds.size + associated.length),
      },
    };
  });
}

/**
 * Removes faces from a user. As the reference says, a face that is not associated
 * with the user is ignored; one of another user is reported with that user's id;
 * one that is not in the collection is FACE_NOT_FOUND.
 */
export function disassociateFaces(ctx: OperationContext, input: Input) {
  const id = collectionId(input);
  const userId = requiredUserId(input);
  const faceIds = stringList(input, "FaceIds", { required: true, min: 1, max: 100, item: faceIdRule })!;
  const token = clientRequestToken(input);
  return idempotent(ctx, "DisassociateFaces", input, token, () => {
    const c = requireCollection(ctx, id);
    const user = requireUser(c, userId);
    const removed: string[] = [];
    const unsuccessful: Unsuccessful[] = [];
    for (const faceId of new Set(faceIds)) {
      const face = c.faces.get(faceId);
      if (!face) unsuccessful.push({ FaceId: faceId, Reasons: ["FACE_NOT_FOUND"] });
      else if (face.userId === userId) removed.push(faceId);
      else if (face.userId !== undefined) {
        unsuccessful.push({
          FaceId: faceId,
          UserId: face.userId,
          Reasons: ["ASSOCIATED_TO_A_DIFFERENT_USER"],
        });
      }
    }
    const changed = removed.length > 0;
    return {
      mutations: changed
        ? [{ type: "disassociate", collectionId: id, userId, faceIds: removed, at: ctx.now() }]
        : [],
      response: {
        DisassociatedFaces: removed.map((FaceId) => ({ FaceId })),
        UnsuccessfulFaceDisassociations: unsuccessful,
        UserStatus: statusAfter(ctx, user, changed, user.faceIds.size - removed.length),
      },
    };
  });
}

export function* vectorsOf(c: { faces: Map<string, { vector: Float32Array }> }, faceIds: Iterable<string>) {
  for (const id of faceIds) {
    const f = c.faces.get(id);
    if (f) yield f.vector;
  }
}
