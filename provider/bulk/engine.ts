// What a FaceRosterShard (the bulk roster's resource) does, for any host
// (../engine.ts); ../dynamic/face-roster-shard.ts serves it to the dynamic
// provider host. Planning is pure (./plan.ts); ./apply.ts carries it out.
import { tracked } from "../runtime/activity.js";
import { keepHeapClose } from "../runtime/heap.js";
import { othersFinished } from "../runtime/quiet.js";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { facesOfUsers } from "../aws/collection-reads.js";
import { collectionView } from "../aws/collection-view.js";
import { isNotFound } from "../aws/errors.js";
import { refreshedFaces } from "../association/plan.js";
import {
  claimFaces,
  claimHandedOver,
  claimUser,
  declareShardPeople,
  recordShardRoster,
  shardDiffed,
  wasShardDiffed,
} from "../runtime/claims.js";
import { PartialFailure, type DiffResult, type Props, type ResourceEngine } from "../engine.js";
import { digestFile, fileStamp } from "../face/indexing.js";
import { newLifetime } from "../idempotency.js";
import { isKnownDeleted } from "../runtime/deleted-faces.js";
import { handPersonOver } from "../runtime/handed-people.js";
import { describeNotDeleted } from "../retired/deletion.js";
import { isUnknown } from "../unknown.js";
import { reconcileShard, CollectionMissingError, type ShardOutcome, type ShardRun } from "./apply.js";
import { loadDigestMemo } from "../face/digest-memo.js";
import {
  declaredLines,
  decodeRoster,
  describeDeclared,
  describeDeclaredPeople,
  encodeRoster,
  encodeRosterLike,
  holdsNobody,
  isEarlierForm,
  type StoredRoster,
} from "./encoding.js";
import { checkedDeclaration, isChecked, keepDeclaration } from "./declarations.js";
import { failuresKept, type PersonRecord, type ShardInputs, type ShardState } from "./model.js";
import { assumedDeclaration, diffDetail, diffShard, plannedWork, sameSettings } from "./plan.js";
import { afterDestroy, afterUp, shardFailureSummary } from "./report.js";
import { driftLine, driftOf } from "./drift.js";
import { reportLine } from "../progress.js";
import { summarizeRecords } from "./summary.js";
import { expectShard, runStopping, shardKey } from "../runtime/run-progress.js";
import { checkShard } from "./validate.js";

const photoFiles = { digest: digestFile, stamp: fileStamp };

/** The truth person by person, from the state's text (./encoding.ts) or an earlier release's map. */
function recordedRoster(props: Props): Record<string, PersonRecord> {
  return decodeRoster(props["roster"] as StoredRoster | undefined);
}

/**
 * Checked inputs as the engine stores them: a line for each declared person
 * in one text and the digest of the declaration, which this process keeps
 * for the steps that follow (./declarations.ts), with the lines the stored
 * inputs held before (`olds`), so the diff knows whose line changes.
 */
function storedInputs(inputs: ShardInputs, olds: Props): Props {
  if (isUnknown(inputs.people)) return { ...inputs };
  const people = describeDeclaredPeople(inputs.people);
  const previous = olds["declaration"] === undefined ? undefined : declaredLines(olds["people"]);
  return { ...inputs, people, declaration: keepDeclaration(people, inputs.people, previous) };
}

/** The checked inputs `check` returned, with the declaration it kept. */
function declaredInputs(props: Props): {
  declared: ShardInputs;
  previous?: Readonly<Record<string, string>>;
} {
  const { declaration, people, ...settings } = props;
  if (isUnknown(people)) return { declared: { ...settings, people } as unknown as ShardInputs };
  const kept = checkedDeclaration(String(declaration), String(settings["shard"]));
  return {
    declared: { ...settings, people: kept.people } as unknown as ShardInputs,
    previous: kept.previous,
  };
}

/** The shard's key in the run's progress, from its checked inputs (they name its declaration). */
function progressKeyOf(checked: Props): string {
  return shardKey(String(checked["collectionId"]), String(checked["shard"]), String(checked["declaration"]));
}

/** Whether this person's line in the stored inputs changes (or is new, or goes): what a preview shows as a line. */
function lineChanges(
  people: ShardInputs["people"],
  previous: Readonly<Record<string, string>> | undefined,
): (userId: string) => boolean {
  return (userId) => {
    const person = people[userId];
    return previous === undefined || previous[userId] !== (person && describeDeclared(person));
  };
}

/** Whether `check` ran in this process for these inputs: not so for the diff a refresh asks for. */
function checkedHere(news: Props): boolean {
  return isUnknown(news["people"]) || isChecked(String(news["declaration"]));
}

/**
 * A refresh's diff: the engine asks what an `up` of the stored inputs would
 * now do, to show drift. The declaration is not at hand, so each person's is
 * taken from their refreshed record where it matches their stored line
 * (./plan.ts, `assumedDeclaration`).
 */
function refreshDiff(olds: Props, news: Props): DiffResult {
  const roster = recordedRoster(olds);
  const lines = news["declaration"] === undefined ? undefined : declaredLines(news["people"]);
  const { people, unmatched } = assumedDeclaration(roster, lines, describeDeclared);
  const { declaration: _d, people: _p, ...settings } = news;
  const declared = { ...settings, people } as unknown as ShardInputs;
  const drifted = new Set(unmatched);
  const comparable = Object.fromEntries(Object.entries(roster).filter(([userId]) => !drifted.has(userId)));
  const recorded = { ...olds, roster: comparable } as unknown as ShardState;
  const found = diffShard(recorded, declared);
  if (found.replaces.length > 0 || (!found.changes && unmatched.length === 0)) return found;
  // The stored lines are the declaration itself here: no line changes, and the
  // refreshed truth (the state's roster) is what differs.
  const planned = plannedWork(people, comparable, declared.exclusive);
  return { ...found, changes: true, detailedDiff: diffDetail(planned, recorded, declared, () => false) };
}

/**
 * Whether an earlier release wrote this state: people as a map, or with no
 * summary (a state of nobody has none to rewrite), or with no `handedOver`,
 * which the program reads as unknown in a preview: its roster's RetiredFaces
 * would show as an update in every preview.
 */
function writtenEarlier(olds: Props): boolean {
  const stored = olds["roster"] as StoredRoster | undefined;
  return (
    isEarlierForm(stored) ||
    (olds["summary"] === undefined && !holdsNobody(stored)) ||
    olds["handedOver"] === undefined
  );
}

/** Whether the shard lists faces it handed over and no longer hands over: its update deletes them. */
function stopsHandingOver(olds: Props, news: Props): boolean {
  const listed = (olds["handedOver"] as readonly string[] | undefined) ?? [];
  return listed.length > 0 && !isUnknown(news["handOver"]) && news["handOver"] !== true;
}

/** Where this shard's photo digests are remembered between runs: its stack, collection and place. */
function memoOwner(news: Props): string {
  return JSON.stringify([news["scope"] ?? "", news["collectionId"] ?? "", news["shard"] ?? ""]);
}

/**
 * The state: the settings, the truth person by person, its summary, and the
 * digest of the declaration when the truth is that declaration (`settled`).
 */
function stateOf(
  declared: ShardInputs,
  declaration: string | undefined,
  outcome: ShardOutcome,
  lifetime: string,
): Props {
  const { roster, failures, handedOver } = outcome;
  // `handOver` says what an update does with retired faces; the state's own `handedOver` says what it did.
  const { people, handOver: _handOver, ...settings } = declared;
  const settled = declaration !== undefined && plannedWork(people, roster, declared.exclusive).length === 0;
  return {
    ...settings,
    roster: encodeRoster(roster),
    summary: summarizeRecords(roster),
    ...(settled && { settled: declaration }),
    // Always present, if empty: a preview reads a missing output as unknown.
    handedOver,
    lifetime,
    failures: failures.slice(0, failuresKept),
    failureCount: failures.length,
  };
}

async function reconcile(
  id: string,
  news: Props,
  recorded: Pick<ShardRun, "roster" | "handedOver">,
  lifetime: string,
): Promise<Props> {
  const { declared } = declaredInputs(news);
  const work = plannedWork(declared.people, recorded.roster, declared.exclusive);
  let outcome;
  try {
    outcome = await reconcileShard(
      { declared, ...recorded, lifetime, progressKey: progressKeyOf(news) },
      work,
    );
  } catch (err) {
    runStopping();
    // Nothing was changed: a plain error leaves the state as it was, which is still true.
    if (err instanceof CollectionMissingError) throw new Error(err.message, { cause: err });
    throw err;
  }
  const declaration = typeof news["declaration"] === "string" ? news["declaration"] : undefined;
  const state = stateOf(declared, declaration, outcome, lifetime);
  const failed = failureMessage(declared, work.length, outcome, "up");
  if (failed) {
    // The engine starts nothing new after a failure: let the other shards of
    // this deployment, started beside this one, finish first.
    await othersFinished();
    runStopping();
    throw new PartialFailure(failed, id, state);
  }
  return state;
}

/**
 * The deployment error of a shard's run, if anything failed: its people's
 * failures, then the faces it listed as handed over and could not delete.
 */
function failureMessage(
  shard: Pick<ShardInputs, "collectionId" | "shard">,
  changed: number,
  outcome: ShardOutcome,
  run: "up" | "destroy",
): string | undefined {
  const { collectionId } = shard;
  const parts: string[] = [];
  if (outcome.failures.length > 0)
    parts.push(
      shardFailureSummary(
        collectionId,
        shard.shard,
        changed,
        outcome.failures,
        run === "up" ? afterUp : afterDestroy,
      ),
    );
  if (outcome.notDeleted.length > 0)
    parts.push(
      describeNotDeleted(
        `roster shard ${shard.shard} of collection '${collectionId}': ${outcome.notDeleted.length} face(s) it ` +
          "had handed over could not be deleted:",
        outcome.notDeleted,
        run === "up"
          ? "They stay in the collection, and the shard's state still lists them: once the cause is fixed, the next " +
              "`pulumi up` deletes them."
          : "They stay in the collection, and the shard in the stack's state: `pulumi destroy` tries again.",
      ),
    );
  return parts.length > 0 ? parts.join("\n") : undefined;
}

/**
 * A diff that needs nobody's record: the state was written as the truth of
 * this very declaration, with these settings, by this release.
 */
function settledAs(olds: Props, news: Props): boolean {
  return (
    typeof olds["settled"] === "string" &&
    olds["settled"] === news["declaration"] &&
    !writtenEarlier(olds) &&
    sameSettings(olds as unknown as ShardState, news)
  );
}

const implementation: ResourceEngine = tracked({
  async configure(config) {
    // A bulk roster's calls make garbage by the gigabyte (../runtime/heap.ts).
    keepHeapClose();
    configureFromStack(config);
  },

  async check(olds: Props, news: Props) {
    const memo = await loadDigestMemo(memoOwner(news));
    const { inputs, failures } = await checkShard(news, photoFiles, memo);
    await memo.save();
    // Every person this shard declares is claimed: a removal elsewhere in this
    // deployment (another shard, a per-resource roster being replaced) keeps them.
    const stored = storedInputs(inputs, olds);
    if (failures.length === 0 && !isUnknown(inputs.collectionId) && !isUnknown(inputs.people)) {
      for (const [userId, person] of Object.entries(inputs.people)) {
        claimUser(inputs.collectionId, userId);
        claimFaces(inputs.collectionId, userId, Object.keys(person.faces));
      }
      declareShardPeople(inputs.collectionId, inputs.people);
      // A new shard has no diff: every person it declares is work for the run's progress.
      if (Object.keys(olds).length === 0 && !isUnknown(inputs.shard))
        expectShard(progressKeyOf(stored), Object.keys(inputs.people).length);
    }
    return { inputs: stored, failures };
  },

  async diff(id, olds: Props, news: Props) {
    // What it records is asked about only when a deleted shard's person moved here (../runtime/claims.ts).
    recordShardRoster(String(olds["collectionId"]), olds["roster"]);
    shardDiffed(id);
    // What it handed over is its roster's to delete: no declaration of this deployment takes it back.
    for (const faceId of (olds["handedOver"] as string[] | undefined) ?? [])
      claimHandedOver(String(olds["collectionId"]), faceId);
    if (!checkedHere(news)) return refreshDiff(olds, news);
    const dropsHandOver = stopsHandingOver(olds, news);
    if (!dropsHandOver && settledAs(olds, news)) {
      expectShard(progressKeyOf(news), 0);
      return { changes: false, replaces: [], deleteBeforeReplace: false };
    }
    const recorded = { ...olds, roster: recordedRoster(olds) } as unknown as ShardState;
    const { declared, previous } = declaredInputs(news);
    const found = diffShard(recorded, declared);
    // A state written by an earlier release is rewritten (as text, with its summary): an update with no call.
    const diff =
      !found.changes && (writtenEarlier(olds) || dropsHandOver) ? { ...found, changes: true } : found;
    if (!diff.changes || diff.replaces.length > 0 || isUnknown(declared.people)) {
      if (!diff.changes) expectShard(progressKeyOf(news), 0);
      return diff;
    }
    const planned = plannedWork(declared.people, recorded.roster ?? {}, declared.exclusive);
    // Someone no longer declared here may be declared by another shard now: it takes their record.
    for (const work of planned)
      if (work.remove) handPersonOver(declared.collectionId, work.userId, recorded.roster[work.userId]!);
    // The run's progress knows its total before the shards start.
    expectShard(progressKeyOf(news), planned.length);
    const detail = diffDetail(planned, recorded, declared, lineChanges(declared.people, previous));
    return { ...diff, detailedDiff: dropsHandOver ? { ...detail, handOver: "update" } : detail };
  },

  async create(inputs: Props) {
    const { declared } = declaredInputs(inputs);
    const lifetime = newLifetime();
    const id = `${declared.collectionId}/roster-shard-${declared.shard.replace("/", "-of-")}-${lifetime.slice(0, 8)}`;
    return { id, outs: await reconcile(id, inputs, { roster: {} }, lifetime) };
  },

  async update(id, olds: Props, news: Props) {
    const recorded = olds as unknown as ShardState;
    const handedOver = recorded.handedOver ?? [];
    return {
      outs: await reconcile(id, news, { roster: recordedRoster(olds), handedOver }, recorded.lifetime),
    };
  },

  async read(id, props: Props) {
    const recorded = props as unknown as ShardState;
    const view = collectionView(client(), recorded.collectionId);
    const recordedPeople = recordedRoster(props);
    const people = Object.keys(recordedPeople);
    const [users, faces] = await Promise.all([
      // Only a missing collection means "gone"; any other error fails the refresh and keeps the state.
      view.userStatuses(people).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      }),
      view.collectionFaces(people),
    ]);
    // The collection is gone, and every person with it.
    if (!faces || !users) return { id: "", props: {} };
    const live = facesOfUsers(faces, new Set(people));
    const roster: Record<string, PersonRecord> = {};
    for (const [userId, record] of Object.entries(recordedPeople)) {
      const photos = Object.fromEntries(Object.entries(record.photos).filter(([, p]) => faces.has(p.faceId)));
      const leftover = (record.leftover ?? []).filter((faceId) => faces.has(faceId));
      const status = users.get(userId);
      const refreshed = refreshedFaces(
        {
          faces: record.faces,
          observedFaces: record.observed ?? [],
          pendingFaces: record.pending ?? [],
          exclusive: recorded.exclusive,
        },
        status === undefined ? [] : (live.get(userId) ?? []),
      );
      // A person whose user and photos are all gone is gone; one whose user alone is gone gets it back on the next `up`.
      if (status === undefined && Object.keys(photos).length === 0 && leftover.length === 0) continue;
      const { observed: _o, pending: _p, leftover: _l, ...rest } = record;
      roster[userId] = {
        ...rest,
        photos,
        faces: refreshed.faces,
        ...((refreshed.observedFaces ?? []).length > 0 && { observed: refreshed.observedFaces }),
        ...(leftover.length > 0 && { leftover }),
        userStatus: status ?? "MISSING",
      };
    }
    const drift = driftLine(recorded.collectionId, recorded.shard, driftOf(recordedPeople, roster));
    if (drift) reportLine(drift);
    const stored = encodeRosterLike(props["roster"] as StoredRoster, roster);
    // A state an earlier release wrote keeps its form until the next `up` rewrites it (see `diff`).
    const summary = props["summary"] === undefined ? {} : { summary: summarizeRecords(roster) };
    // Drift unsettles the truth: the next diff reads every record again.
    const { settled, ...rest } = props;
    const kept = settled !== undefined && stored === props["roster"] ? { settled } : {};
    // A face handed over and since deleted is no longer listed.
    const handedOver =
      recorded.handedOver === undefined
        ? {}
        : { handedOver: recorded.handedOver.filter((id) => faces.has(id)) };
    return { id, props: { ...rest, roster: stored, ...summary, ...kept, ...handedOver } };
  },

  async delete(id, props: Props) {
    const recorded = props as unknown as ShardState;
    // Deleted, its shard deletes what it retires itself, with what it handed
    // over that its roster's RetiredFaces (deleted before it) did not delete.
    const declared: ShardInputs = { ...recorded, people: {}, handOver: false };
    const roster = recordedRoster(props);
    const work = plannedWork({}, roster, recorded.exclusive);
    const handedOver = (recorded.handedOver ?? []).filter(
      (faceId) => !isKnownDeleted(recorded.collectionId, faceId),
    );
    // Not handing over, the run deletes them with what its people retire.
    const progressKey = shardKey(recorded.collectionId, recorded.shard, recorded.lifetime);
    const outcome = await reconcileShard(
      // Not declared any more (deleted after the run's other steps), unless a replacement diffed it.
      {
        declared,
        roster,
        lifetime: recorded.lifetime,
        handedOver,
        progressKey,
        deleted: !wasShardDiffed(id),
      },
      work,
    );
    const failed = failureMessage(recorded, work.length, outcome, "destroy");
    if (failed) {
      runStopping();
      throw new Error(failed);
    }
  },
});

// A configuration it cannot use fails every call, not only the first.
export const engine: ResourceEngine = failClosed(implementation);
