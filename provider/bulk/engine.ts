// What a FaceRosterShard (the bulk roster's resource) does, for any host
// (../engine.ts); ../dynamic/face-roster-shard.ts serves it to the dynamic
// provider host. Planning is pure (./plan.ts); ./apply.ts carries it out.
import { tracked } from "../runtime/activity.js";
import { othersFinished } from "../runtime/quiet.js";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { facesOfUsers } from "../aws/collection-reads.js";
import { collectionView } from "../aws/collection-view.js";
import { isNotFound } from "../aws/errors.js";
import { refreshedFaces } from "../association/plan.js";
import { claimFaces, claimUser } from "../runtime/claims.js";
import { keyPath, PartialFailure, type DiffResult, type Props, type ResourceEngine } from "../engine.js";
import { digestFile, fileStamp } from "../face/indexing.js";
import { newLifetime } from "../idempotency.js";
import { isUnknown } from "../unknown.js";
import { reconcileShard, CollectionMissingError } from "./apply.js";
import { loadDigestMemo } from "../face/digest-memo.js";
import {
  decodeRoster,
  describeDeclared,
  describeDeclaredPeople,
  encodeRoster,
  encodeRosterLike,
  isEarlierForm,
  type StoredRoster,
} from "./encoding.js";
import { checkedDeclaration, isChecked, keepDeclaration } from "./declarations.js";
import { failuresKept, type PersonRecord, type ShardInputs, type ShardState } from "./model.js";
import { assumedDeclaration, diffDetail, diffShard, plannedWork } from "./plan.js";
import { shardFailureSummary } from "./report.js";
import { expectShard, runStopping, shardKey } from "../runtime/run-progress.js";
import { checkShard } from "./validate.js";

const photoFiles = { digest: digestFile, stamp: fileStamp };

/** The truth person by person, from the state's text (./encoding.ts) or an earlier release's map. */
function recordedRoster(props: Props): Record<string, PersonRecord> {
  return decodeRoster(props["roster"] as StoredRoster | undefined);
}

/**
 * Checked inputs as the engine stores them: a line for each declared person
 * and the digest of the declaration, which this process keeps for the steps
 * that follow (./declarations.ts).
 */
function storedInputs(inputs: ShardInputs): Props {
  if (isUnknown(inputs.people)) return { ...inputs };
  const people = describeDeclaredPeople(inputs.people);
  return { ...inputs, people, declaration: keepDeclaration(people, inputs.people) };
}

/** The checked inputs `check` returned, with the declaration it kept. */
function declaredInputs(props: Props): ShardInputs {
  const { declaration, people, ...settings } = props;
  const shard = String(settings["shard"]);
  const declared = isUnknown(people) ? people : checkedDeclaration(String(declaration), shard);
  return { ...settings, people: declared } as unknown as ShardInputs;
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
  const lines = news["declaration"] === undefined ? undefined : (news["people"] as Record<string, string>);
  const { people, unmatched } = assumedDeclaration(roster, lines, describeDeclared);
  const { declaration: _d, people: _p, ...settings } = news;
  const declared = { ...settings, people } as unknown as ShardInputs;
  const drifted = new Set(unmatched);
  const comparable = Object.fromEntries(Object.entries(roster).filter(([userId]) => !drifted.has(userId)));
  const recorded = { ...olds, roster: comparable } as unknown as ShardState;
  const found = diffShard(recorded, declared);
  if (found.replaces.length > 0 || (!found.changes && unmatched.length === 0)) return found;
  const planned = plannedWork(people, comparable, declared.exclusive);
  const { roster: _rewrite, ...detail } = diffDetail(planned, recorded, declared);
  const drift: Record<string, "add" | "update"> = {};
  for (const userId of unmatched) drift[keyPath("people", userId)] = roster[userId] ? "update" : "add";
  return { ...found, changes: true, detailedDiff: { ...detail, ...drift } };
}

/** Where this shard's photo digests are remembered between runs: its stack, collection and place. */
function memoOwner(news: Props): string {
  return JSON.stringify([news["scope"] ?? "", news["collectionId"] ?? "", news["shard"] ?? ""]);
}

/** The state: the settings and the truth person by person; the inputs keep a line per declared person. */
function stateOf(
  declared: ShardInputs,
  roster: Record<string, PersonRecord>,
  lifetime: string,
  failures: ShardState["failures"],
): Props {
  const { people: _declared, ...settings } = declared;
  return {
    ...settings,
    roster: encodeRoster(roster),
    lifetime,
    failures: failures.slice(0, failuresKept),
    failureCount: failures.length,
  };
}

async function reconcile(
  id: string,
  declared: ShardInputs,
  roster: ShardState["roster"],
  lifetime: string,
): Promise<Props> {
  const work = plannedWork(declared.people, roster, declared.exclusive);
  let outcome;
  try {
    outcome = await reconcileShard({ declared, roster, lifetime }, work);
  } catch (err) {
    runStopping();
    // Nothing was changed: a plain error leaves the state as it was, which is still true.
    if (err instanceof CollectionMissingError) throw new Error(err.message, { cause: err });
    throw err;
  }
  const state = stateOf(declared, outcome.roster, lifetime, outcome.failures);
  if (outcome.failures.length > 0) {
    // The engine starts nothing new after a failure: let the other shards of
    // this deployment, started beside this one, finish first.
    await othersFinished();
    runStopping();
    throw new PartialFailure(
      shardFailureSummary(declared.collectionId, declared.shard, work.length, outcome.failures),
      id,
      state,
    );
  }
  return state;
}

const implementation: ResourceEngine = tracked({
  async configure(config) {
    configureFromStack(config);
  },

  async check(olds: Props, news: Props) {
    const memo = await loadDigestMemo(memoOwner(news));
    const { inputs, failures } = await checkShard(news, photoFiles, memo);
    await memo.save();
    // Every person this shard declares is claimed: a removal elsewhere in this
    // deployment (another shard, a per-resource roster being replaced) keeps them.
    if (failures.length === 0 && !isUnknown(inputs.collectionId) && !isUnknown(inputs.people)) {
      for (const [userId, person] of Object.entries(inputs.people)) {
        claimUser(inputs.collectionId, userId);
        claimFaces(inputs.collectionId, userId, Object.keys(person.faces));
      }
      // A new shard has no diff: every person it declares is work for the run's progress.
      if (Object.keys(olds).length === 0 && !isUnknown(inputs.shard))
        expectShard(shardKey(inputs.collectionId, inputs.shard), Object.keys(inputs.people).length);
    }
    return { inputs: storedInputs(inputs), failures };
  },

  async diff(_id, olds: Props, news: Props) {
    if (!checkedHere(news)) return refreshDiff(olds, news);
    const recorded = { ...olds, roster: recordedRoster(olds) } as unknown as ShardState;
    const declared = declaredInputs(news);
    const found = diffShard(recorded, declared);
    // A state written by an earlier release is rewritten as text: an update with no call.
    const diff =
      !found.changes && isEarlierForm(olds["roster"] as StoredRoster) ? { ...found, changes: true } : found;
    if (!diff.changes || diff.replaces.length > 0 || isUnknown(declared.people)) {
      if (!diff.changes) expectShard(shardKey(recorded.collectionId, recorded.shard), 0);
      return diff;
    }
    const planned = plannedWork(declared.people, recorded.roster ?? {}, declared.exclusive);
    // The run's progress knows its total before the shards start.
    expectShard(shardKey(declared.collectionId, declared.shard), planned.length);
    return { ...diff, detailedDiff: diffDetail(planned, recorded, declared) };
  },

  async create(inputs: Props) {
    const declared = declaredInputs(inputs);
    const lifetime = newLifetime();
    const id = `${declared.collectionId}/roster-shard-${declared.shard.replace("/", "-of-")}-${lifetime.slice(0, 8)}`;
    return { id, outs: await reconcile(id, declared, {}, lifetime) };
  },

  async update(id, olds: Props, news: Props) {
    const recorded = olds as unknown as ShardState;
    const declared = declaredInputs(news);
    return { outs: await reconcile(id, declared, recordedRoster(olds), recorded.lifetime) };
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
    return { id, props: { ...props, roster: encodeRosterLike(props["roster"] as StoredRoster, roster) } };
  },

  async delete(_id, props: Props) {
    const recorded = props as unknown as ShardState;
    const declared: ShardInputs = { ...recorded, people: {} };
    const roster = recordedRoster(props);
    const work = plannedWork({}, roster, recorded.exclusive);
    const outcome = await reconcileShard({ declared, roster, lifetime: recorded.lifetime }, work);
    if (outcome.failures.length > 0) {
      runStopping();
      throw new Error(
        shardFailureSummary(recorded.collectionId, recorded.shard, work.length, outcome.failures).replace(
          /Everything else was applied\..*$/s,
          "The shard stays in the stack's state as it was; `pulumi refresh` reads what is left, and " +
            "`pulumi destroy` tries again (what is already deleted counts as done).",
        ),
      );
    }
  },
});

// A configuration it cannot use fails every call, not only the first.
export const engine: ResourceEngine = failClosed(implementation);
