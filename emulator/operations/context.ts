import type { FaceModel } from "../model/index.js";
import type { Store } from "../store/store.js";
import type { CollectionRecord, UserRecord } from "../store/types.js";
import { ServiceError } from "../protocol/errors.js";

/** Everything an operation may use besides its input. */
export interface OperationContext {
  store: Store;
  /** The region the caller signed for; collection ARNs name it. */
  region: string;
  accountId: string;
  now(): number;
  /** How long a user reports UPDATING after an association change. */
  updatingWindowMs: number;
  /** Reads an object of a bucket mapped to a local folder; undefined when there is none. */
  readS3Object(bucket: string, name: string): Buffer | undefined;
  /** Finds faces in images and scores vectors against each other (synthetic or real). */
  faceModel: FaceModel;
  /** A reason AssociateFaces must report for this face instead of associating it (operator override). */
  faceReasonOverride(faceId: string): string | undefined;
}

export type UserStatus = "CREATED" | "UPDATING" | "ACTIVE";

export function requireCollection(ctx: OperationContext, id: string): CollectionRecord {
  const c = ctx.store.collection(id);
  if (!c) throw new ServiceError("ResourceNotFoundException", `The collection id: ${id} does not exist`);
  return c;
}

export function requireUser(c: CollectionRecord, userId: string): UserRecord {
  const u = c.users.get(userId);
  if (!u)
    throw new ServiceError(
      "ResourceNotFoundException",
      `The user id: ${userId} does not exist in collection ${c.id}`,
    );
  return u;
}

/**
 * UPDATING for a while after an association change, then ACTIVE while the user has
 * faces and CREATED once it has none (the reference: "a UserID has been created, but
 * has no FaceID(s) associated with it").
 */
export function userStatus(ctx: OperationContext, user: UserRecord): UserStatus {
  if (user.updatedAt !== undefined && ctx.now() - user.updatedAt < ctx.updatingWindowMs) return "UPDATING";
  return user.faceIds.size > 0 ? "ACTIVE" : "CREATED";
}

/** The status a user will report right after a call that changed its faces (or not). */
export function statusAfter(
  ctx: OperationContext,
  user: UserRecord,
  changed: boolean,
  facesAfter: number,
): UserStatus {
  if (!changed) return userStatus(ctx, user);
  if (ctx.updatingWindowMs > 0) return "UPDATING";
  return facesAfter > 0 ? "ACTIVE" : "CREATED";
}
