// What a UserFaceAssociation does, for any host (../engine.ts);
// ../dynamic/user-face-association.ts serves it to the dynamic provider host.
// Planning is pure (./plan.ts); this module carries it out and keeps the
// state truthful, whatever fails.
import { randomUUID } from "node:crypto";
import * as rekognition from "../aws/rekognition.js";
import { tracked } from "../runtime/activity.js";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { ActiveTimeoutError, collectionView } from "../aws/collection-view.js";
import { isAccessDenied, isNotFound, messageOf } from "../aws/errors.js";
import {
  claimFaces,
  claimSecretUser,
  isFaceClaimed,
  isUserDeclared,
  isUserSecret,
} from "../runtime/claims.js";
import { newLifetime } from "../idempotency.js";
import {
  disassociate,
  InterruptedApply,
  liveFaces,
  MissingUserError,
  type AppliedChange,
  type ApplyTarget,
  type Attempt,
  type CallOutcome,
} from "./apply.js";
import { activeTimeoutWords, changeUserFaces, isMissingUser } from "./change-user-faces.js";
import type { Truth } from "./truth.js";
import { announceRelease } from "../runtime/handoff.js";
import { associationId, hasUnknownFaces, type AssociationInputs, type AssociationState } from "./model.js";
import { diffAssociation, managedFaces, refreshedFaces, type FaceChange } from "./plan.js";
import { closings, failureSummary, interruptedChangeMessage, interruptedMessage } from "./report.js";
import { checkAssociation } from "./validate.js";
import { PartialFailure, type Props, type ResourceEngine } from "../engine.js";
import { redact, secretInputs } from "../sealing.js";
import { givenString, withSecretsHidden } from "../check.js";
import { redacted, seal, withSensitivity } from "./secrecy.js";
import { isUnknown } from "../unknown.js";

const implementation: ResourceEngine = tracked({
  async configure(config) {
    configureFromStack(config);
  },

  async check(olds: Props, news: Props) {
    const { inputs, failures } = checkAssociation(withIgnoredFaces(olds, news));
    // Another association that fails over this user's face must not print its ID either.
    if (inputs.sensitive.userId && !isUnknown(inputs.collectionId) && !isUnknown(inputs.userId))
      claimSecretUser(inputs.collectionId, inputs.userId);
    // A declaration that fails its check is never applied: it claims and gives up nothing.
    if (failures.length > 0) {
      const given = { ...inputs, userId: givenString(news, "userId") ?? inputs.userId };
      const shown = withSecretsHidden(failures, secretInputs(inputs.sensitive), (reason) =>
        redacted(reason, given),
      );
      return { inputs: seal({ ...inputs }, inputs.sensitive), failures: shown };
    }
    if (!isUnknown(inputs.collectionId) && !isUnknown(inputs.userId) && !hasUnknownFaces(inputs.faces)) {
      claimFaces(inputs.collectionId, inputs.userId, Object.keys(inputs.faces));
    }
    announceGivenUpFaces(olds, inputs);
    return { inputs: seal({ ...inputs }, inputs.sensitive), failures };
  },

  async diff(_id, olds: Props, news: Props) {
    return diffAssociation(olds as unknown as AssociationState, news as unknown as AssociationInputs);
  },

  async create(inputs: Props) {
    const declared = withSensitivity(inputs as unknown as AssociationInputs);
    const id = associationId(declared.collectionId, declared.userId, declared.sensitive.userId);
    const state = await reconcile(declared, undefined, newLifetime(), id);
    return { id, outs: seal(state, declared.sensitive) };
  },

  async update(id, olds: Props, news: Props) {
    const previous = olds as unknown as AssociationState;
    const declared = withSensitivity(news as unknown as AssociationInputs);
    // States written before lifetimes existed carry none: "" keeps their tokens apart.
    const state = await reconcile(declared, previous, previous.lifetime ?? "", id);
    return { outs: seal(state, declared.sensitive) };
  },

  async read(id, props: Props) {
    const recorded = props as unknown as AssociationState;
    // The reads of one refresh share a scan of the collection when that is fewer calls.
    const live = await collectionView(client(), recorded.collectionId).userFaces(recorded.userId);
    // The user or its collection is gone: so is the association.
    if (live === undefined) return { id: "", props: {} };
    const refreshed: AssociationState = { ...recorded, ...refreshedFaces(recorded, live) };
    const sensitive = withSensitivity(recorded).sensitive;
    return {
      id,
      props: seal({ ...props, ...refreshed }, sensitive),
      // Its inputs only: an output recorded as an input would preview as removed on the next run.
      inputs: seal({ ...inputsOf(refreshed) }, sensitive),
    };
  },

  async delete(_id, props: Props) {
    const recorded = props as unknown as AssociationState;
    const { collectionId, userId } = recorded;
    // A declaration of this deployment that gives the same user the same face
    // (this resource renamed, or moved into a component) keeps it.
    const release = [...Object.keys(managedFaces(recorded)), ...(recorded.pendingFaces ?? [])].filter(
      (faceId) => !isFaceClaimed(collectionId, userId, faceId),
    );
    if (release.length === 0) return;
    const target = applyTarget(recorded, { lifetime: recorded.lifetime ?? "", attempt: randomUUID() });
    let outcome: CallOutcome;
    try {
      outcome = await disassociate(target, release);
    } catch (err) {
      if (!(err instanceof InterruptedApply)) throw err;
      const message = interruptedMessage({
        collectionId,
        userId,
        cause: err.cause,
        associated: 0,
        disassociated: err.outcome.done.length,
        unsettled: err.unsettled.length,
        readBack: false,
      });
      // The engine keeps the association as it was: say so rather than promise a record.
      throw new Error(
        redacted(
          `${message.split("\n")[0]}\nThe association stays in the stack's state as it was; ` +
            "`pulumi refresh` reads what the user holds now, and `pulumi up` or `pulumi destroy` tries again.",
          withSensitivity(recorded),
        ),
        { cause: err },
      );
    }
    if (outcome.failures.length > 0) {
      throw new Error(
        redacted(
          failureSummary(
            {
              collectionId,
              userId,
              userMatchThreshold: recorded.userMatchThreshold,
              associate: { attempted: 0, failures: [] },
              disassociate: { attempted: release.length, failures: outcome.failures },
            },
            closings.delete,
          ),
          withSensitivity(recorded),
        ),
      );
    }
  },
});

// A configuration it cannot use fails every call, not only the first.
export const engine: ResourceEngine = failClosed(implementation);

/**
 * Makes the service match the declaration, starting from what `recorded` says
 * this association manages (./change-user-faces.ts). Whatever fails after the
 * first change, the error carries the state as it really is, so the next
 * `pulumi up` starts from the truth.
 */
async function reconcile(
  declared: AssociationInputs,
  recorded: AssociationState | undefined,
  lifetime: string,
  id: string,
): Promise<AssociationState> {
  const target = applyTarget(declared, { lifetime, attempt: randomUUID() });
  let live: string[] | undefined;
  if (declared.exclusive) {
    live = await liveFaces(target.client, declared.collectionId, declared.userId);
    if (live === undefined) throw new Error(redacted((await missingUserError(declared)).message, declared));
  }
  const result = await changeUserFaces({
    target,
    managed: recorded ? managedFaces(recorded) : {},
    ...(live && { live }),
    desired: declared.faces,
    exclusive: declared.exclusive,
    pending: recorded?.pendingFaces ?? [],
    userStatus: recorded?.userStatus ?? "UNKNOWN",
    wait: {
      forActive: declared.waitForActive,
      timeoutSeconds: declared.activeTimeoutSeconds,
      resume: recorded?.awaitingActive === true,
      afterFailures: false,
    },
  });
  const { user } = result;
  const state: AssociationState = {
    ...declared,
    faces: user.faces,
    faceIds: user.managed,
    observedFaces: user.observed,
    pendingFaces: user.pending,
    userStatus: user.userStatus,
    failedFaces: user.failed,
    revision: (recorded?.revision ?? 0) + 1,
    lifetime,
    ...(user.awaitingActive !== undefined && { awaitingActive: user.awaitingActive }),
  };
  const fail = failureFor(declared, id);
  if (result.applied) {
    const failure = await applyFailure(declared, result.change, result.applied, state, fail);
    if (failure) throw failure;
  }
  if (result.waitError !== undefined) throw fail(waitFailureMessage(target, result.waitError), state);
  return state;
}

/** The partial failure of this association, with `state` sealed and its message redacted. */
function failureFor(
  declared: AssociationInputs,
  id: string,
): (message: string, state: AssociationState) => PartialFailure {
  return (message, state) => {
    // A face held by a user whose ID is secret in its own declaration names that user.
    const holders = state.failedFaces.flatMap((f) =>
      f.otherUserId !== undefined && isUserSecret(declared.collectionId, f.otherUserId)
        ? [f.otherUserId]
        : [],
    );
    return new PartialFailure(
      redact(redacted(message, declared), holders),
      id,
      seal(state, declared.sensitive, holders.length > 0),
    );
  };
}

/**
 * Why an applied change did not finish, as the error to throw; undefined when
 * it did. An interruption that changed nothing is a plain error: the state
 * as it was is still true.
 */
async function applyFailure(
  declared: AssociationInputs,
  change: FaceChange,
  applied: { outcome: AppliedChange; truth: Truth },
  state: AssociationState,
  fail: (message: string, state: AssociationState) => PartialFailure,
): Promise<Error | undefined> {
  const { outcome } = applied;
  if (outcome.interruption) {
    // Nothing was changed: a plain error leaves the state as it was, which is still true.
    if (isMissingUser(outcome))
      return new Error(redacted((await missingUserError(declared)).message, declared));
    const message =
      outcome.interruption.cause instanceof MissingUserError
        ? (await missingUserError(declared)).message
        : interruptedChangeMessage(declared.collectionId, declared.userId, applied);
    return fail(message, state);
  }
  if (state.failedFaces.length > 0) {
    return fail(
      failureSummary(
        {
          collectionId: declared.collectionId,
          userId: declared.userId,
          userMatchThreshold: declared.userMatchThreshold,
          associate: { attempted: change.associate.length, failures: outcome.added.failures },
          disassociate: { attempted: change.disassociate.length, failures: outcome.removed.failures },
          holders: {
            isSecret: (userId) => isUserSecret(declared.collectionId, userId),
            isDeclared: (userId) => isUserDeclared(declared.collectionId, userId),
          },
        },
        closings.apply,
      ),
      state,
    );
  }
  return undefined;
}

/** Why the wait for ACTIVE did not finish, and that the next `pulumi up` resumes it. */
function waitFailureMessage(target: ApplyTarget, err: unknown): string {
  return err instanceof ActiveTimeoutError
    ? activeTimeoutWords(err)
    : `the faces of user '${target.userId}' in collection '${target.collectionId}' are changed as recorded, ` +
        `but waiting for the user to become ACTIVE failed: ${messageOf(err)}` +
        (isAccessDenied(err) ? " (grant the credentials rekognition:ListUsers)" : "") +
        "; the next `pulumi up` resumes the wait";
}

function applyTarget(
  inputs: Pick<AssociationInputs, "collectionId" | "userId" | "userMatchThreshold">,
  attempt: Attempt,
): ApplyTarget {
  return {
    client: client(),
    collectionId: inputs.collectionId,
    userId: inputs.userId,
    userMatchThreshold: inputs.userMatchThreshold,
    ...attempt,
  };
}

const inputKeys = [
  "collectionId",
  "userId",
  "faces",
  "userMatchThreshold",
  "exclusive",
  "waitForActive",
  "activeTimeoutSeconds",
  "sensitive",
] as const satisfies readonly (keyof AssociationInputs)[];

function inputsOf(state: AssociationState): AssociationInputs {
  return Object.fromEntries(inputKeys.map((key) => [key, state[key]])) as unknown as AssociationInputs;
}

/**
 * `ignoreChanges: ["faceIds"]` makes the engine carry the old value of
 * `faceIds` over, but the checked inputs keep the faces as the set `faces`:
 * so a missing `faceIds` with a recorded set means "keep the recorded set".
 */
function withIgnoredFaces(olds: Props, news: Props): Props {
  if (news["faceIds"] !== undefined) return news;
  const recorded = olds["faces"];
  if (!recorded || typeof recorded !== "object" || Array.isArray(recorded) || isUnknown(recorded))
    return news;
  return { ...news, faceIds: Object.keys(recorded) };
}

/** Tells the associations being applied alongside this one which faces this
 * declaration gives up, so that a face can move between users in one run. */
function announceGivenUpFaces(olds: Props, news: AssociationInputs): void {
  const before = olds as Partial<AssociationInputs>;
  if (!before.faces || typeof before.collectionId !== "string" || typeof before.userId !== "string") return;
  if (hasUnknownFaces(before.faces)) return;
  const sameUser = before.collectionId === news.collectionId && before.userId === news.userId;
  if (sameUser && hasUnknownFaces(news.faces)) return;
  const kept = sameUser ? news.faces : {};
  announceRelease(
    before.collectionId,
    before.userId,
    Object.keys(before.faces).filter((faceId) => !kept[faceId]),
  );
}

async function missingUserError(declared: AssociationInputs): Promise<Error> {
  const { collectionId, userId } = declared;
  try {
    await rekognition.describeCollection(client(), { CollectionId: collectionId });
  } catch (err) {
    if (isNotFound(err)) {
      return new Error(rekognition.collectionMissingMessage(collectionId, { passTo: "this association" }));
    }
    if (isAccessDenied(err)) {
      return new Error(
        `user '${userId}' or collection '${collectionId}' was not found, and DescribeCollection was denied, so which one ` +
          `is missing cannot be told: ${messageOf(err)} (grant the credentials rekognition:DescribeCollection, ` +
          "or check that the collection and the user exist)",
      );
    }
  }
  return new Error(
    `user '${userId}' does not exist in collection '${collectionId}': declare it ` +
      `(new User("${userId}", { collectionId: "${collectionId}", userId: "${userId}" })) and pass its userId output ` +
      "to this association, so the user is created first",
  );
}
