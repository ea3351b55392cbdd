// What a User does, for any host (../engine.ts); ../dynamic/user.ts serves it
// to the dynamic provider host. Validation and planning are pure
// (./validate.ts, ./plan.ts).
import * as rekognition from "../aws/rekognition.js";
import { tracked } from "../runtime/activity.js";
import { deletesOnDestroy, type Origin } from "../adoption/ownership.js";
import { claimUser, isUserClaimed, isUserDeclared } from "../runtime/claims.js";
import { stackUserToken } from "../scope-marks.js";
import { isUnknown } from "../unknown.js";
import { lifetimeToken, newLifetime } from "../idempotency.js";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { awsErrorName, isAccessDenied, isNotFound, messageOf } from "../aws/errors.js";
import { collectionView } from "../aws/collection-view.js";
import { currentMark } from "../aws/write-log.js";
import { PartialFailure, type Props, type ResourceEngine } from "../engine.js";
import { userResourceId, type UserInputs, type UserState } from "./model.js";
import { diffUser } from "./plan.js";
import { missingCollectionMessage, userExistsMessage, userStillDeclaredMessage } from "./report.js";
import { checkUser } from "./validate.js";
import { redact, sealProperties, secretInputs } from "../sealing.js";
import { givenString, withSecretsHidden } from "../check.js";

/** A message about the user, with its ID hidden when the program marked it secret. */
const shown = (message: string, user: Pick<UserInputs, "userId" | "sensitive">): string =>
  user.sensitive?.userId ? redact(message, [user.userId]) : message;

/** A User's state or inputs, with `userId` sealed when the program marked it secret. */
const sealUser = <T extends Record<string, unknown>>(props: T, user: Pick<UserInputs, "sensitive">): T =>
  user.sensitive?.userId ? sealProperties(props, ["userId"]) : props;

/**
 * Creates the user, so that a create interrupted after the service made the
 * user (a killed `pulumi up`) heals on the next run: the first call's token is
 * the same for this stack, collection and user every time, so the service
 * answers a repeat from its record. Its record may also be of a user this
 * stack deleted since; a second CreateUser with a fresh token tells: a
 * ConflictException means the user is there, success means it was not, and
 * now is. ConflictException on the first call: someone else's user. (The
 * two answers are the same whether the first call made the user or replayed
 * an earlier create of this stack, so the create reads the user's status: one
 * taken over this way may have faces already.)
 */
async function createUser(declared: UserInputs, lifetime: string): Promise<void> {
  const { collectionId, userId, scope } = declared;
  const send = (token: string) =>
    rekognition.createUser(client(), {
      CollectionId: collectionId,
      UserId: userId,
      ClientRequestToken: token,
    });
  if (!scope) {
    await send(lifetimeToken("create-user", lifetime, collectionId, userId));
    return;
  }
  await send(stackUserToken(scope, collectionId, userId));
  try {
    await send(lifetimeToken("create-user", lifetime, collectionId, userId));
  } catch (err) {
    if (awsErrorName(err) !== "ConflictException") throw err;
  }
}

const implementation: ResourceEngine = tracked({
  async configure(config) {
    configureFromStack(config);
  },

  async check(_olds: Props, news: Props) {
    const { inputs, failures } = checkUser(news);
    if (!isUnknown(inputs.collectionId) && !isUnknown(inputs.userId))
      claimUser(inputs.collectionId, inputs.userId);
    const given = { userId: givenString(news, "userId") ?? "", sensitive: inputs.sensitive };
    const reported = withSecretsHidden(failures, secretInputs(inputs.sensitive), (reason) =>
      shown(reason, given),
    );
    return { inputs: sealUser({ ...inputs }, inputs), failures: reported };
  },

  async diff(_id, olds: Props, news: Props) {
    return diffUser(olds as unknown as UserState, news as unknown as UserInputs);
  },

  async create(inputs: Props) {
    const declared = inputs as unknown as UserInputs;
    const { collectionId, userId } = declared;
    const lifetime = newLifetime();
    let origin: Origin = "created";
    const began = currentMark();
    try {
      await createUser(declared, lifetime);
    } catch (err) {
      if (isNotFound(err))
        throw new Error(shown(missingCollectionMessage(collectionId, userId), declared), { cause: err });
      if (awsErrorName(err) !== "ConflictException") throw err;
      if (!declared.adopt)
        throw new Error(shown(userExistsMessage(collectionId, userId), declared), { cause: err });
      origin = "adopted";
    }
    // A user made by a fresh token has no faces yet; an adopted one, or one that
    // the stack's own token may have taken over (renamed, or a killed create),
    // is read as it was when this create began: its own CreateUser calls
    // change nothing but whether a user with no faces is there.
    const id = userResourceId(collectionId, userId, declared.sensitive?.userId);
    let status: string | undefined = "CREATED";
    try {
      if (origin === "adopted" || declared.scope)
        status = await collectionView(client(), collectionId).userStatus(userId, began);
    } catch (err) {
      // The user is there now: record it, so that nothing is lost while the cause is fixed.
      throw new PartialFailure(
        shown(
          `user '${userId}' in collection '${collectionId}' is this stack's now, but reading its status failed: ` +
            `${messageOf(err)}${isAccessDenied(err) ? " (grant the credentials rekognition:ListUsers)" : ""}; ` +
            "the state records userStatus UNKNOWN until `pulumi refresh` reads it",
          declared,
        ),
        id,
        sealUser({ ...declared, userStatus: "UNKNOWN", origin, lifetime }, declared),
      );
    }
    const state: UserState = { ...declared, userStatus: status ?? "CREATED", origin, lifetime };
    return { id, outs: sealUser({ ...state }, declared) };
  },

  async read(id, props: Props) {
    const recorded = props as unknown as UserState;
    let status: string | undefined;
    try {
      status = await collectionView(client(), recorded.collectionId).userStatus(recorded.userId);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    // The user, or its whole collection, is gone: refresh drops it.
    if (status === undefined) return { id: "", props: {} };
    return { id, props: sealUser({ ...props, userStatus: status }, recorded) };
  },

  async update(_id, olds: Props, news: Props) {
    const recorded = olds as unknown as UserState;
    const declared = news as unknown as UserInputs;
    const { deleteOnDestroy: _previous, ...kept } = recorded;
    const { sensitive: _was, ...rest } = kept;
    const state: UserState = {
      ...rest,
      ...(declared.deleteOnDestroy !== undefined && { deleteOnDestroy: declared.deleteOnDestroy }),
      ...(declared.sensitive && { sensitive: declared.sensitive }),
    };
    return { outs: sealUser({ ...state }, state) };
  },

  async delete(_id, props: Props) {
    const recorded = props as unknown as UserState;
    if (!deletesOnDestroy(recorded.origin, recorded.deleteOnDestroy)) return;
    // Another User of this deployment declares the same user (this one
    // renamed, or moved into a component): it stays.
    if (isUserClaimed(recorded.collectionId, recorded.userId)) return;
    // An association of this deployment still declares faces for this user:
    // deleting the user would release them behind its back.
    if (isUserDeclared(recorded.collectionId, recorded.userId)) {
      throw new Error(shown(userStillDeclaredMessage(recorded.collectionId, recorded.userId), recorded));
    }
    try {
      await rekognition.deleteUser(client(), {
        CollectionId: recorded.collectionId,
        UserId: recorded.userId,
        ClientRequestToken: lifetimeToken(
          "delete-user",
          recorded.lifetime,
          recorded.collectionId,
          recorded.userId,
        ),
      });
    } catch (err) {
      // Already gone, with its collection or on its own: that is deleted.
      if (!isNotFound(err)) throw err;
    }
  },
});

// A configuration it cannot use fails every call, not only the first.
export const engine: ResourceEngine = failClosed(implementation);
