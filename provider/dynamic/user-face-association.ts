// The implementation behind UserFaceAssociation, loaded by name in the dynamic
// provider host (see ../shim.ts). Planning is pure (../association/plan.ts);
// this module carries it out and keeps the state truthful.
import { DescribeCollectionCommand } from "@aws-sdk/client-rekognition";
import { client, configureFromStack } from "../aws/configured.js";
import { sharedUserFaces } from "../aws/face-scan.js";
import { isNotFound } from "../aws/errors.js";
import { newLifetime } from "../idempotency.js";
import { ActiveTimeoutError, waitUntilActive } from "../aws/wait.js";
import {
  associate,
  disassociate,
  liveFaces,
  MissingUserError,
  type ApplyTarget,
} from "../association/apply.js";
import { announceRelease } from "../association/handoff.js";
import {
  associationId,
  faceIdsOf,
  faceSet,
  type AssociationInputs,
  type AssociationState,
  type FaceFailure,
  type FaceSet,
} from "../association/model.js";
import { diffAssociation, planFaceChange } from "../association/plan.js";
import { failureSummary } from "../association/report.js";
import { checkAssociation } from "../association/validate.js";
import { ResourceInitError } from "../init-error.js";
import type { ProviderImplementation } from "../shim.js";
import { isUnknown } from "../unknown.js";

type Props = Record<string, unknown>;

export const provider: ProviderImplementation = {
  async configure(req) {
    configureFromStack(req.config);
  },

  async check(olds: Props, news: Props) {
    const { inputs, failures } = checkAssociation(news);
    announceGivenUpFaces(olds, inputs);
    return { inputs: { ...inputs }, failures };
  },

  async diff(_id, olds: Props, news: Props) {
    return diffAssociation(olds as unknown as AssociationState, news as unknown as AssociationInputs);
  },

  async create(inputs: Props) {
    const declared = inputs as unknown as AssociationInputs;
    const id = associationId(declared.collectionId, declared.userId);
    const state = await reconcile(
      declared,
      {},
      { revision: 1, lifetime: newLifetime() },
      inputs["__provider"],
    );
    return { id, outs: state };
  },

  async update(id, olds: Props, news: Props) {
    const previous = olds as unknown as AssociationState;
    const declared = news as unknown as AssociationInputs;
    // States written before lifetimes existed carry none: "" keeps their tokens.
    const next = { revision: previous.revision + 1, lifetime: previous.lifetime ?? "" };
    return { outs: await reconcile(declared, previous.faces, next, news["__provider"], previous, id) };
  },

  async read(id, props: Props) {
    const recorded = props as unknown as AssociationState;
    // The reads of one refresh share a scan of the collection when that is fewer calls.
    const live = await sharedUserFaces(client(), recorded.collectionId, recorded.userId);
    // The user or its collection is gone: so is the association.
    if (live === undefined) return { id: "", props: {} };
    const faces = recorded.exclusive
      ? faceSet(live)
      : faceSet(live.filter((faceId) => recorded.faces[faceId]));
    const refreshed: AssociationState = { ...recorded, faces, faceIds: faceIdsOf(faces) };
    return { id, props: { ...props, ...refreshed }, inputs: { ...props, ...inputsOf(refreshed) } };
  },

  async delete(_id, props: Props) {
    const recorded = props as unknown as AssociationState;
    const target = applyTarget(recorded, {
      revision: recorded.revision + 1,
      lifetime: recorded.lifetime ?? "",
    });
    const outcome = await disassociate(target, faceIdsOf(recorded.faces));
    if (outcome.failures.length > 0) {
      throw new Error(
        failureSummary(
          "disassociated",
          recorded.collectionId,
          recorded.userId,
          Object.keys(recorded.faces).length,
          outcome.failures,
          recorded.userMatchThreshold,
        ),
      );
    }
  },
};

/**
 * Makes the service match the declaration, starting from `current` (the faces
 * the state says are associated here). Removed faces go first, then added
 * ones. When a face fails, the error carries the state as it really is now.
 */
async function reconcile(
  declared: AssociationInputs,
  current: FaceSet,
  generation: Generation,
  serializedProvider: unknown,
  previous?: AssociationState,
  existingId?: string,
): Promise<AssociationState> {
  const id = existingId ?? associationId(declared.collectionId, declared.userId);
  const target = applyTarget(declared, generation);
  const live = declared.exclusive
    ? await liveFaces(target.client, declared.collectionId, declared.userId)
    : undefined;
  if (declared.exclusive && live === undefined) throw await missingUserError(declared);
  // Exclusive mode starts from what the service lists, additive mode from the state.
  const base = live ? faceSet(live) : current;

  const change = planFaceChange(base, declared.faces);
  if (change.associate.length === 0 && change.disassociate.length === 0) {
    return {
      ...declared,
      faces: base,
      faceIds: faceIdsOf(base),
      ...unchangedStatus(previous),
      ...generation,
    };
  }

  const removed = await disassociate(target, change.disassociate);
  let added;
  try {
    added = await associate(target, change.associate);
  } catch (err) {
    if (err instanceof MissingUserError) throw await missingUserError(declared);
    throw err;
  }

  const truth: Record<string, true> = { ...base };
  for (const faceId of removed.done) delete truth[faceId];
  for (const faceId of added.done) truth[faceId] = true;
  const failures: FaceFailure[] = [...removed.failures, ...added.failures];
  let state: AssociationState = {
    ...declared,
    faces: truth,
    faceIds: faceIdsOf(truth),
    userStatus: added.userStatus ?? removed.userStatus ?? previous?.userStatus ?? "UNKNOWN",
    failedFaces: failures,
    ...generation,
  };

  if (failures.length > 0) {
    const attempted = change.associate.length + change.disassociate.length;
    throw new ResourceInitError(
      failureSummary(
        "associated",
        declared.collectionId,
        declared.userId,
        attempted,
        failures,
        declared.userMatchThreshold,
      ),
      id,
      { ...state, __provider: serializedProvider },
    );
  }

  if (declared.waitForActive && state.userStatus !== "ACTIVE") {
    try {
      const status = await waitUntilActive(
        target.client,
        declared.collectionId,
        declared.userId,
        declared.activeTimeoutSeconds * 1000,
      );
      state = { ...state, userStatus: status };
    } catch (err) {
      if (err instanceof ActiveTimeoutError) {
        throw new ResourceInitError(err.message, id, { ...state, __provider: serializedProvider });
      }
      throw err;
    }
  }
  return state;
}

function unchangedStatus(previous?: AssociationState): Pick<AssociationState, "userStatus" | "failedFaces"> {
  return { userStatus: previous?.userStatus ?? "UNKNOWN", failedFaces: [] };
}

/** Which apply this is: part of every request token. */
type Generation = Pick<AssociationState, "revision" | "lifetime">;

function applyTarget(
  inputs: Pick<AssociationInputs, "collectionId" | "userId" | "userMatchThreshold">,
  generation: Generation,
): ApplyTarget {
  return {
    client: client(),
    collectionId: inputs.collectionId,
    userId: inputs.userId,
    userMatchThreshold: inputs.userMatchThreshold,
    ...generation,
  };
}

function inputsOf(state: AssociationState): AssociationInputs {
  const { collectionId, userId, faces, userMatchThreshold, exclusive, waitForActive, activeTimeoutSeconds } =
    state;
  return { collectionId, userId, faces, userMatchThreshold, exclusive, waitForActive, activeTimeoutSeconds };
}

/** Tells the associations being applied alongside this one which faces this
 * declaration gives up, so that a face can move between users in one run. */
function announceGivenUpFaces(olds: Props, news: AssociationInputs): void {
  const before = olds as Partial<AssociationInputs>;
  if (!before.faces || typeof before.collectionId !== "string" || typeof before.userId !== "string") return;
  if (isUnknown(before.faces)) return;
  const sameUser = before.collectionId === news.collectionId && before.userId === news.userId;
  const kept = sameUser && !isUnknown(news.faces) ? news.faces : {};
  if (sameUser && isUnknown(news.faces)) return;
  announceRelease(
    before.collectionId,
    before.userId,
    Object.keys(before.faces).filter((faceId) => !kept[faceId]),
  );
}

async function missingUserError(declared: AssociationInputs): Promise<Error> {
  const { collectionId, userId } = declared;
  try {
    await client().send(new DescribeCollectionCommand({ CollectionId: collectionId }));
  } catch (err) {
    if (isNotFound(err)) {
      return new Error(
        `collection '${collectionId}' does not exist: declare it (new Collection("${collectionId}", { collectionId: "${collectionId}" }), ` +
          "or aws.rekognition.Collection) and pass its collectionId output to this association",
      );
    }
  }
  return new Error(
    `user '${userId}' does not exist in collection '${collectionId}': declare it ` +
      `(new User("${userId}", { collectionId: "${collectionId}", userId: "${userId}" })) and pass its userId output ` +
      "to this association, so the user is created first",
  );
}
