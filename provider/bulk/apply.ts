// Carries out a shard's work, person by person: each person's calls run in
// order (user, photos, association; removals the other way round) and many
// people run at once; the per-operation rate limits of the client pace them.
// The association calls are UserFaceAssociation's own (../association/).
import { randomUUID } from "node:crypto";
import * as rekognition from "../aws/rekognition.js";
import { deletesOnDestroy, type Origin } from "../adoption/ownership.js";
import { disassociate, InterruptedApply, MissingUserError, type ApplyTarget } from "../association/apply.js";
import {
  activeTimeoutWords,
  changeUserFaces,
  UserNotMade,
  type FaceChangeRequest,
  type FaceChangeResult,
} from "../association/change-user-faces.js";
import { faceSet, type FaceSet } from "../association/model.js";
import { managedFaces } from "../association/plan.js";
import { interruptedChangeMessage } from "../association/report.js";
import { checksSettled } from "../runtime/quiet.js";
import { eachInTurn, type GiveBack } from "../runtime/people-at-once.js";
import { deleteRetired, type NotDeletedFace } from "../retired/deletion.js";
import { client } from "../aws/configured.js";
import { facesByLabel, facesOfUsers, type CollectionFaces } from "../aws/collection-reads.js";
import { ActiveTimeoutError, collectionView } from "../aws/collection-view.js";
import { awsErrorName, isNotFound } from "../aws/errors.js";
import {
  claimFaces,
  claimIndexedFace,
  claimHandedOver,
  isFaceClaimed,
  isFaceHeld,
  isIndexedFaceClaimed,
  isIndexedFaceTakenOver,
  isPersonReconciled,
  isShardPerson,
  isUserClaimed,
  isUserDeclared,
  isUserSecret,
  haveLabelledClaimed,
  personReconciled,
  shardRostersOf,
} from "../runtime/claims.js";
import {
  deleteIndexed,
  factsOf,
  imageToSend,
  indexOnce,
  leftBehind,
  type IndexTarget,
} from "../face/indexing.js";
import type { QualityFilter } from "../face/model.js";
import { faceCountProblem } from "../face/report.js";
import { lifetimeToken } from "../idempotency.js";
import { parsePhotoRef } from "../roster/plan.js";
import { stackUserToken } from "../scope-marks.js";
import { missingCollectionMessage } from "../user/report.js";
import type {
  IndexedPhoto,
  PersonFailure,
  PersonInputs,
  PersonRecord,
  ShardInputs,
  ShardState,
} from "./model.js";
import { deleteFaces } from "../runtime/face-deletions.js";
import { recordedPerson, type StoredRoster } from "./encoding.js";
import { desiredFaces, keptPhotos, planPerson, type PersonWork } from "./plan.js";
import { takeHandedPerson } from "../runtime/handed-people.js";
import { callFailure, faceFailure, personFailure } from "./report.js";
import { expectRetirement, startShard } from "../runtime/run-progress.js";
import { byCodeUnit } from "../order.js";

export interface ShardRun {
  readonly declared: ShardInputs;
  /** The recorded truth the run starts from. */
  readonly roster: ShardState["roster"];
  readonly lifetime: string;
  /** The shard's key in the run's progress (../runtime/run-progress.ts, `shardKey`). */
  readonly progressKey: string;
  /** The faces the state lists as handed over to the roster's RetiredFaces. */
  readonly handedOver?: readonly string[];
  /**
   * The shard is deleted because nothing declares it any more (not a
   * replacement's delete): it had no diff, so it handed nobody over, and the
   * faces of people it records that the declarations now having them did not
   * take are its to retire (`dropUnclaimedFaces`).
   */
  readonly deleted?: boolean;
}

export interface ShardOutcome {
  readonly roster: Record<string, PersonRecord>;
  readonly failures: PersonFailure[];
  readonly handedOver: readonly string[];
  /** Listed faces a shard no longer handing over failed to delete (they stay listed). */
  readonly notDeleted: readonly NotDeletedFace[];
}

/** What the run knows of the collection before it changes anything. */
interface Context extends ShardRun {
  readonly attempt: string;
  readonly users?: ReadonlyMap<string, string | undefined>;
  readonly liveFaces: ReadonlyMap<string, readonly string[]>;
  readonly labelled: ReadonlyMap<string, readonly string[]>;
}

/** One person's result, and the faces its photos leave to delete. */
interface PersonResult {
  readonly record?: PersonRecord;
  readonly failures: PersonFailure[];
  readonly retire: readonly string[];
}

export class CollectionMissingError extends Error {}

/**
 * Applies `work` to the shard and returns the truth for every person, with
 * what failed. Throws before changing anything when the collection cannot be
 * read at all.
 */
export async function reconcileShard(run: ShardRun, work: readonly PersonWork[]): Promise<ShardOutcome> {
  const listed = run.handedOver ?? [];
  // A shard that no longer hands over has its listed faces to delete, even with no person to change.
  if (work.length === 0 && (run.declared.handOver || listed.length === 0))
    return { roster: { ...run.roster }, failures: [], handedOver: listed, notDeleted: [] };
  // The run's progress (./run-progress.ts): every 10 s, and one last line when every shard is done.
  const progress = startShard(run.progressKey, work.length);
  try {
    return await reconcile(run, work, () => progress.advance());
  } finally {
    await progress.finish();
  }
}

async function reconcile(
  run: ShardRun,
  work: readonly PersonWork[],
  onPersonDone: () => void,
): Promise<ShardOutcome> {
  const { collectionId } = run.declared;
  const needUsers = work.some((w) => w.createUser);
  const needFaces = run.declared.exclusive || work.some((w) => w.createUser || w.index.length > 0);
  let users: ReadonlyMap<string, string | undefined> | undefined;
  let faces: CollectionFaces | undefined;
  const people = work.map((w) => w.userId);
  try {
    // Shared by every shard of the run: each reads its people before it writes them (../aws/collection-view.ts).
    const view = collectionView(client(), collectionId);
    users = needUsers ? await view.userStatuses(people) : undefined;
    faces = needFaces ? await view.collectionFaces(people) : new Map();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!faces)
    throw new CollectionMissingError(
      rekognition.collectionMissingMessage(collectionId, {
        blocked: "no person of the roster can be created in it",
        passTo: "the FaceRoster",
      }),
    );
  // Faces this shard records for people it still declares are held: no photo
  // takes one of them as left behind. Those of people it no longer declares
  // are free for the declaration they moved to.
  for (const [userId, record] of Object.entries(run.roster)) {
    if (!run.declared.people[userId]) continue;
    for (const photo of Object.values(record.photos)) claimIndexedFace(collectionId, photo.faceId);
  }
  // Faces handed over are the roster's RetiredFaces' to delete: no photo takes one back.
  for (const faceId of run.handedOver ?? []) claimHandedOver(collectionId, faceId);
  const ownPeople = new Set(people);
  const context: Context = {
    ...run,
    attempt: randomUUID(),
    ...(users && { users }),
    // The scan is the whole collection's: index only this shard's people.
    liveFaces: facesOfUsers(faces, ownPeople),
    labelled: facesByLabel(faces, ownPeople),
  };
  // A person removed here may have moved to another declaration of this
  // deployment: wait until every declaration has been checked (and claimed).
  if (work.some((w) => w.remove)) await checksSettled();

  const results = new Map<string, PersonResult>();
  await eachInTurn(work, async (item, giveBack) => {
    results.set(item.userId, await applyPerson(context, item, giveBack));
    onPersonDone();
  });

  const retired = [...results].flatMap(([userId, r]) => r.retire.map((faceId) => ({ userId, faceId })));
  // A run that scanned anyway drops the faces it listed that are gone; one that did not keeps them all.
  const listed = (run.handedOver ?? []).filter((faceId) => !needFaces || faces.has(faceId));
  let handedOver: readonly string[];
  let notDeleted: Awaited<ReturnType<typeof retireFaces>> = [];
  let listedNotDeleted: readonly NotDeletedFace[] = [];
  if (run.declared.handOver)
    handedOver = handOver(
      collectionId,
      listed,
      retired.map((f) => f.faceId),
    );
  else {
    // No longer handing over: what it listed goes, in the same batch as what it retires now.
    const [people, earlier] = await Promise.all([
      retireFaces(context, retired),
      deleteRetired(collectionId, listed),
    ]);
    notDeleted = people;
    listedNotDeleted = earlier.failed;
    handedOver = earlier.failed.map((f) => f.faceId);
  }
  const roster: Record<string, PersonRecord> = { ...run.roster };
  const failures: PersonFailure[] = [];
  for (const item of work) {
    const result = results.get(item.userId)!;
    failures.push(...result.failures);
    const leftover = notDeleted.filter((f) => f.userId === item.userId);
    failures.push(...leftover.map((f) => f.failure));
    let record = result.record;
    if (leftover.length > 0) {
      record = {
        ...(record ?? { origin: "created", photos: {}, faces: {}, userStatus: "DELETED" }),
        leftover: leftover.map((f) => f.faceId).sort(),
      };
    }
    if (record) roster[item.userId] = record;
    else delete roster[item.userId];
  }
  return { roster, failures, handedOver, notDeleted: listedNotDeleted };
}

/**
 * What the shard hands over to its roster's RetiredFaces, which deletes it
 * once every shard is done: the faces it listed that the run's scan still
 * shows, and the faces retired now (one another declaration of this
 * deployment took over stays with that declaration).
 */
function handOver(collectionId: string, stillThere: readonly string[], retired: readonly string[]): string[] {
  const given = retired.filter((faceId) => !isIndexedFaceTakenOver(collectionId, faceId));
  // The run's last progress line counts the deletion that follows.
  if (given.length > 0) expectRetirement(collectionId, given);
  return [...new Set([...stillThere, ...given])].sort(byCodeUnit);
}

async function applyPerson(context: Context, planned: PersonWork, giveBack: GiveBack): Promise<PersonResult> {
  const declared = context.declared.people[planned.userId];
  if (planned.remove || !declared) return removePerson(context, planned, context.roster[planned.userId]!);
  const taken = await takeOver(context, planned, declared);
  if ("settled" in taken) return { record: taken.settled, failures: [], retire: [] };
  const { work, recorded } = taken;
  const { userId } = work;

  let user: UserMade = { origin: recorded?.origin ?? "created", existed: false };
  if (work.createUser) {
    const made = await ensureUser(context, userId, recorded !== undefined);
    if ("failure" in made)
      return { ...(recorded && { record: recorded }), failures: [made.failure], retire: [] };
    user = made;
  }
  const { photos, failures } = await indexPhotos(context, work, keptPhotos(declared, recorded));
  const desired = desiredFaces(declared, photos);
  claimFaces(context.declared.collectionId, userId, Object.keys(desired));
  personReconciled(context.declared.collectionId, userId);
  let result: FaceChangeResult;
  try {
    // The wait for ACTIVE makes no call: the person's turn goes to the next person.
    const change = faceChangeOf(context, work, recorded, user, desired);
    result = await changeUserFaces({ ...change, beforeWait: giveBack });
  } catch (err) {
    if (!(err instanceof UserNotMade)) throw err;
    // The user is missing and could not be made: its photos' faces stay
    // recorded, and the next `up` makes the user (userStatus MISSING). No
    // user holds the faces of removed photos: they go.
    const missing: PersonRecord = { origin: user.origin, photos, faces: {}, userStatus: "MISSING" };
    const failure = callFailure(userId, "CreateUser", err.cause);
    return { record: missing, failures: [...failures, failure], retire: work.retire.map((p) => p.faceId) };
  }
  failures.push(...changeFailures(context, userId, result));
  const associated = new Set(result.user.managed);
  // A removed photo's face is deleted once it is no longer associated.
  const retire = work.retire.map((p) => p.faceId).filter((faceId) => !associated.has(faceId));
  const notRetired = work.retire.map((p) => p.faceId).filter((faceId) => associated.has(faceId));
  const { faces, observed, pending, userStatus, awaitingActive } = result.user;
  const record: PersonRecord = {
    origin: user.origin,
    photos,
    faces,
    ...(observed.length > 0 && { observed }),
    ...(pending.length > 0 && { pending }),
    ...(notRetired.length > 0 && { leftover: notRetired }),
    userStatus,
    ...(awaitingActive && { awaitingActive }),
  };
  return { record, failures, retire };
}

/** Every face a shard's record of a person names, managed or not. */
function facesOfRecord(person: PersonRecord): string[] {
  return [
    ...Object.keys(person.faces),
    ...Object.values(person.photos).map((photo) => photo.faceId),
    ...(person.observed ?? []),
    ...(person.pending ?? []),
    ...(person.leftover ?? []),
  ];
}

/**
 * A person a deleted shard records whom another declaration of this
 * deployment now has (a smaller shard count, a renamed roster, per-resource
 * mode). Not declared any more, the shard had no diff, so it handed nobody
 * over, and it is deleted after every create and update of the run: by then
 * each declaration that took one of the person's faces has claimed it (a bulk
 * shard claims what it reconciled in this process; one that did not,
 * settled, records them, and its diff showed that record). The faces of their
 * photos that none claimed or records (a photo dropped on the way) leave the
 * user and are retired. Where a declaration that may hold them showed nothing
 * in this process (`pulumi up --target`), every face stays.
 */
async function dropUnclaimedFaces(
  context: Context,
  userId: string,
  recorded: PersonRecord,
): Promise<PersonResult> {
  const { collectionId } = context.declared;
  const none: PersonResult = { failures: [], retire: [] };
  if (!haveLabelledClaimed(collectionId, userId)) return none;
  const held = new Set<string>();
  if (isShardPerson(collectionId, userId) && !isPersonReconciled(collectionId, userId)) {
    const records = shardRostersOf(collectionId).flatMap((stored) => {
      const person = recordedPerson(stored as StoredRoster, userId);
      return person ? [person] : [];
    });
    if (records.length === 0) return none;
    for (const faceId of records.flatMap(facesOfRecord)) held.add(faceId);
  }
  const dropped = [
    ...Object.values(recorded.photos).map((photo) => photo.faceId),
    ...(recorded.leftover ?? []),
  ].filter(
    (faceId) =>
      !held.has(faceId) &&
      !isIndexedFaceClaimed(collectionId, faceId) &&
      !isFaceClaimed(collectionId, userId, faceId),
  );
  if (dropped.length === 0) return none;
  // Named as the declaration that has them names them: hidden where it marks the user ID secret.
  const named = isUserSecret(collectionId, userId) ? "[secret]" : userId;
  try {
    const out = await disassociate(applyTarget(context, userId), dropped);
    const failed = new Set(out.failures.map((f) => f.faceId));
    if (failed.size === 0) return { failures: [], retire: dropped };
    return {
      record: { ...recorded, faces: faceSet([...failed]), pending: [] },
      failures: out.failures.map((f) =>
        faceFailure(named, f, "disassociated from", context.declared.userMatchThreshold),
      ),
      retire: dropped.filter((faceId) => !failed.has(faceId)),
    };
  } catch (err) {
    if (err instanceof MissingUserError) return { failures: [], retire: dropped };
    if (!(err instanceof InterruptedApply)) throw err;
    return { record: recorded, failures: [callFailure(named, "DisassociateFaces", err.cause)], retire: [] };
  }
}

/**
 * The person's work, and the record it starts from. One new to this shard
 * whose user exists may come from another shard of this deployment (another
 * roster, or another shard count), which handed their record over in its diff
 * (../runtime/handed-people.ts): once every declaration has been checked, the
 * person is planned from that record, so the faces it lists are managed here
 * and the photos this declaration dropped are retired.
 */
async function takeOver(
  context: Context,
  work: PersonWork,
  declared: PersonInputs,
): Promise<{ work: PersonWork; recorded?: PersonRecord } | { settled: PersonRecord }> {
  const { collectionId, exclusive } = context.declared;
  const recorded = context.roster[work.userId];
  if (recorded || !work.createUser || !context.users?.has(work.userId))
    return { work, ...(recorded && { recorded }) };
  await checksSettled();
  const handed = takeHandedPerson(collectionId, work.userId);
  if (!handed) return { work };
  for (const photo of Object.values(handed.photos)) claimIndexedFace(collectionId, photo.faceId);
  personReconciled(collectionId, work.userId);
  const replanned = planPerson(work.userId, declared, handed, exclusive);
  return replanned ? { work: replanned, recorded: handed } : { settled: handed };
}

/** Indexes the person's new photos into `photos`; a photo that fails is reported and left out. */
async function indexPhotos(
  context: Context,
  work: PersonWork,
  photos: Record<string, IndexedPhoto>,
): Promise<{ photos: Record<string, IndexedPhoto>; failures: PersonFailure[] }> {
  const declared = context.declared.people[work.userId]!;
  const failures: PersonFailure[] = [];
  for (const entry of work.index) {
    const indexed = await indexPhoto(context, work.userId, entry);
    if ("failure" in indexed) failures.push(indexed.failure);
    else photos[entry] = { faceId: indexed.faceId, digest: declared.photos[entry]! };
  }
  return { photos, failures };
}

/** The person's face change, from what the shard records and what the collection holds. */
function faceChangeOf(
  context: Context,
  work: PersonWork,
  recorded: PersonRecord | undefined,
  user: UserMade,
  desired: FaceSet,
): FaceChangeRequest {
  const { userId } = work;
  const live = context.liveFaces.get(userId) ?? [];
  const takenOver = user.existed;
  const recordedManaged = managedFaces({
    faces: recorded?.faces ?? {},
    observedFaces: recorded?.observed ?? [],
  });
  let userStatus = recorded?.userStatus ?? "CREATED";
  if (work.createUser) userStatus = takenOver ? (context.users?.get(userId) ?? "CREATED") : "CREATED";
  return {
    target: applyTarget(context, userId),
    // A user taken over keeps what it has: faces it already holds are not associated again.
    managed: takenOver ? faceSet(live.filter((id) => desired[id])) : recordedManaged,
    live,
    desired,
    exclusive: context.declared.exclusive,
    pending: recorded?.pending ?? [],
    userStatus,
    wait: {
      forActive: context.declared.waitForActive,
      timeoutSeconds: context.declared.activeTimeoutSeconds,
      resume: recorded?.awaitingActive === true,
      afterFailures: true,
    },
    // The create was answered from the record of a user this stack deleted
    // since (the same token), or a user this roster made is gone: make the
    // user now, with a token of this run.
    ...((work.createUser || recorded?.origin === "created") && {
      makeUser: () =>
        createUser(context, userId, lifetimeToken("create-user", context.lifetime, context.attempt, userId)),
    }),
  };
}

/** The person's failures of a face change: each failed face, a call that failed as a whole, an unfinished wait. */
function changeFailures(context: Context, userId: string, result: FaceChangeResult): PersonFailure[] {
  const { collectionId, userMatchThreshold: threshold } = context.declared;
  const failures: PersonFailure[] = [];
  const outcome = result.applied?.outcome;
  if (outcome) {
    failures.push(
      ...outcome.removed.failures.map((f) => faceFailure(userId, f, "disassociated from", threshold)),
      ...outcome.added.failures.map((f) => faceFailure(userId, f, "associated with", threshold)),
    );
  }
  if (outcome?.interruption) {
    const message = interruptedChangeMessage(collectionId, userId, result.applied!).split("\n")[0]!;
    failures.push(personFailure(userId, awsErrorName(outcome.interruption.cause) ?? "Error", message));
  }
  const { waitError } = result;
  if (waitError !== undefined) {
    failures.push(
      waitError instanceof ActiveTimeoutError
        ? personFailure(userId, "ACTIVE_TIMEOUT", activeTimeoutWords(waitError))
        : callFailure(userId, "ListUsers", waitError),
    );
  }
  return failures;
}

/** The association calls' target for one person of this run. */
function applyTarget(context: Context, userId: string): ApplyTarget {
  return {
    client: client(),
    collectionId: context.declared.collectionId,
    userId,
    userMatchThreshold: context.declared.userMatchThreshold,
    lifetime: context.lifetime,
    attempt: context.attempt,
  };
}

/** The person's user: made by this roster or adopted, and whether it existed before. */
interface UserMade {
  readonly origin: Origin;
  readonly existed: boolean;
}

type UserOutcome = UserMade | { readonly failure: PersonFailure };

/**
 * Makes the person's user, or takes it over. The CreateUser token is the
 * stack's own for this user (../scope.ts): a user this stack made before (an
 * interrupted run, or the per-resource roster it replaces) is answered from
 * the service's record and is this roster's; a ConflictException means
 * someone else made it, which only `adopt` takes. (A user this stack deleted
 * and now makes again within the token's memory is answered from the old
 * record without being made: the association's MissingUserError then makes
 * it with a token of this run.)
 */
async function ensureUser(context: Context, userId: string, recorded: boolean): Promise<UserOutcome> {
  const { collectionId, scope, adopt } = context.declared;
  const existed = context.users?.has(userId) ?? false;
  // A recorded person whose user is gone was made by this stack and deleted
  // since: the stack's token would be answered from that old record.
  const token =
    scope && !recorded
      ? stackUserToken(scope, collectionId, userId)
      : lifetimeToken("create-user", context.lifetime, context.attempt, collectionId, userId);
  try {
    await createUser(context, userId, token);
    return { origin: "created", existed };
  } catch (err) {
    if (isNotFound(err))
      return {
        failure: personFailure(
          userId,
          "ResourceNotFoundException",
          missingCollectionMessage(collectionId, userId),
        ),
      };
    if (awsErrorName(err) !== "ConflictException") return { failure: callFailure(userId, "CreateUser", err) };
    if (adopt) return { origin: "adopted", existed: true };
    return {
      failure: personFailure(
        userId,
        "ConflictException",
        `the user already exists in collection '${collectionId}' and this stack did not create it: ` +
          "set adopt: true on the FaceRoster to take it over (an adopted user is kept on destroy unless " +
          "deleteUsersOnDestroy: true), or remove the person",
      ),
    };
  }
}

async function createUser(context: Context, userId: string, token: string): Promise<void> {
  await rekognition.createUser(client(), {
    CollectionId: context.declared.collectionId,
    UserId: userId,
    ClientRequestToken: token,
  });
}

type IndexResult = { readonly faceId: string } | { readonly failure: PersonFailure };

/**
 * Indexes one photo of a person, labelled with the user ID. When the
 * collection holds faces with that label that nothing records (an
 * interrupted run, or the per-resource roster this one replaces), the photo
 * is searched first and its face taken if it is one of them.
 */
async function indexPhoto(context: Context, userId: string, entry: string): Promise<IndexResult> {
  const { collectionId, qualityFilter } = context.declared;
  const ref = parsePhotoRef(entry);
  if (ref.kind !== "photo")
    return { failure: personFailure(userId, "NotAPhoto", `'${entry}' is not a photo`, entry) };
  const target: IndexTarget = {
    collectionId,
    externalImageId: userId,
    ...(qualityFilter && { qualityFilter: qualityFilter as QualityFilter }),
  };
  const take = (faceId: string): IndexResult => {
    claimIndexedFace(collectionId, faceId, "create");
    return { faceId };
  };
  try {
    const { image } = imageToSend(ref.image);
    const left = () =>
      leftBehind(
        target,
        image,
        (face) => (!face.UserId || face.UserId === userId) && !isFaceHeld(collectionId, face.FaceId),
      );
    const unheld = (context.labelled.get(userId) ?? []).some((faceId) => !isFaceHeld(collectionId, faceId));
    if (unheld) {
      const [found] = await left();
      if (found) return take(found.faceId);
    }
    const indexed = await indexOnce(target, image, left);
    if ("taken" in indexed) return take(indexed.taken.faceId);
    const problem = faceCountProblem(ref.image, indexed.records.length, indexed.unindexed);
    if (problem) {
      await deleteIndexed(collectionId, indexed.records, problem);
      return {
        failure: personFailure(
          userId,
          indexed.records.length === 0 ? "NO_FACE" : "SEVERAL_FACES",
          problem,
          entry,
        ),
      };
    }
    return take(factsOf(indexed.records[0]!.Face!).faceId);
  } catch (err) {
    return { failure: callFailure(userId, "IndexFaces", err, entry) };
  }
}

/**
 * A person no longer declared: their user is deleted (which releases its
 * faces) when the roster made it, else their faces are disassociated; their
 * photos' faces are then deleted. A person another declaration of this
 * deployment now holds (moved to another shard, or back to per-resource
 * resources) is only forgotten.
 */
async function removePerson(
  context: Context,
  work: PersonWork,
  recorded: PersonRecord,
): Promise<PersonResult> {
  const { collectionId, deleteUsersOnDestroy } = context.declared;
  const { userId } = work;
  if (isUserClaimed(collectionId, userId) || isUserDeclared(collectionId, userId))
    return context.deleted ? dropUnclaimedFaces(context, userId, recorded) : { failures: [], retire: [] };
  // Removed for good: no later declaration may take the record its shard handed over.
  takeHandedPerson(collectionId, userId);
  const photoFaces = work.retire.map((p) => p.faceId);
  const gone = recorded.userStatus === "MISSING" || recorded.userStatus === "DELETED";
  if (!gone && deletesOnDestroy(recorded.origin, deleteUsersOnDestroy)) {
    try {
      await rekognition.deleteUser(client(), {
        CollectionId: collectionId,
        UserId: userId,
        ClientRequestToken: lifetimeToken(
          "delete-user",
          context.lifetime,
          context.attempt,
          collectionId,
          userId,
        ),
      });
    } catch (err) {
      if (!isNotFound(err))
        return { record: recorded, failures: [callFailure(userId, "DeleteUser", err)], retire: [] };
    }
    return { failures: [], retire: photoFaces };
  }
  const held = [
    ...Object.keys(managedFaces({ faces: recorded.faces, observedFaces: recorded.observed ?? [] })),
    ...(recorded.pending ?? []),
  ];
  if (!gone && held.length > 0) {
    try {
      const out = await disassociate(applyTarget(context, userId), held);
      if (out.failures.length > 0) {
        const failed = new Set(out.failures.map((f) => f.faceId));
        return {
          record: { ...recorded, faces: faceSet(held.filter((id) => failed.has(id))), pending: [] },
          failures: out.failures.map((f) =>
            faceFailure(userId, f, "disassociated from", context.declared.userMatchThreshold),
          ),
          retire: photoFaces.filter((id) => !failed.has(id)),
        };
      }
    } catch (err) {
      if (!(err instanceof InterruptedApply) && !(err instanceof MissingUserError)) throw err;
      if (err instanceof InterruptedApply)
        return {
          record: recorded,
          failures: [callFailure(userId, "DisassociateFaces", err.cause)],
          retire: [],
        };
    }
  }
  return { failures: [], retire: photoFaces };
}

/**
 * Deletes the faces of removed photos, batched with the other shards'
 * (./face-deletions.ts). A face another declaration of this deployment took
 * over stays. Returns the faces that could not be deleted, with why.
 */
async function retireFaces(
  context: Context,
  faces: readonly { userId: string; faceId: string }[],
): Promise<{ userId: string; faceId: string; failure: PersonFailure }[]> {
  const { collectionId } = context.declared;
  const toDelete = faces.filter((f) => !isIndexedFaceTakenOver(collectionId, f.faceId));
  const notDeleted = await deleteFaces(
    collectionId,
    toDelete.map((f) => f.faceId),
  );
  return toDelete.flatMap((f) => {
    const why = notDeleted.get(f.faceId);
    if (!why) return [];
    if ("error" in why) return [{ ...f, failure: callFailure(f.userId, "DeleteFaces", why.error) }];
    const reason = why.reasons.join(", ") || "UNKNOWN";
    return [
      {
        ...f,
        failure: personFailure(
          f.userId,
          reason,
          `face ${f.faceId} of a removed photo could not be deleted: ${reason}` +
            (why.userId ? ` (it is associated with user '${why.userId}')` : ""),
        ),
      },
    ];
  });
}
