import { hash } from "node:crypto";
import { faceSet, type FaceSet } from "../association/model.js";
import { managedFaces, sameFaces } from "../association/plan.js";
import type { DetailedDiff } from "../engine.js";
import { isUnknown } from "../unknown.js";
import type { IndexedPhoto, PersonInputs, PersonRecord, ShardInputs, ShardState } from "./model.js";

/**
 * The shard a person belongs to: a stable function of the user ID alone, so
 * adding or removing people never moves anyone else.
 */
export function shardOf(userId: string, shards: number): number {
  // The first four bytes of the SHA-256, big-endian.
  return Number.parseInt(hash("sha256", userId).slice(0, 8), 16) % shards;
}

/** One photo that the run indexes, or whose face it retires. */
export interface PhotoFace extends IndexedPhoto {
  readonly entry: string;
}

/** What a run must do for one person, before any face ID of a new photo is known. */
export interface PersonWork {
  readonly userId: string;
  /** The person is new to the shard: make the user, or take it over. */
  readonly createUser: boolean;
  /** Entries to index: new photos, and photos whose content changed. */
  readonly index: readonly string[];
  /** Faces of photos removed or replaced: disassociated, then deleted. */
  readonly retire: readonly PhotoFace[];
  /** The person is no longer declared: release everything, then the user. */
  readonly remove: boolean;
}

/** The faces a person should have once the photos in `photos` are indexed. */
export function desiredFaces(
  declared: PersonInputs,
  photos: Readonly<Record<string, IndexedPhoto>>,
): FaceSet {
  const fromPhotos = Object.keys(declared.photos).flatMap((entry) => {
    const indexed = photos[entry];
    return indexed && indexed.digest === declared.photos[entry] ? [indexed.faceId] : [];
  });
  return faceSet([...fromPhotos, ...Object.keys(declared.faces)]);
}

/** The recorded photos that still show a declared photo (same entry, same content). */
export function keptPhotos(
  declared: PersonInputs | undefined,
  recorded: PersonRecord | undefined,
): Record<string, IndexedPhoto> {
  const kept: Record<string, IndexedPhoto> = {};
  for (const [entry, photo] of Object.entries(recorded?.photos ?? {})) {
    if (declared?.photos[entry] === photo.digest) kept[entry] = photo;
  }
  return kept;
}

/** What must happen for one person; undefined when the person is as declared. */
export function planPerson(
  userId: string,
  declared: PersonInputs | undefined,
  recorded: PersonRecord | undefined,
  exclusive: boolean,
): PersonWork | undefined {
  if (!declared && !recorded) return undefined;
  const kept = keptPhotos(declared, recorded);
  const retire = [
    ...Object.entries(recorded?.photos ?? {})
      .filter(([entry]) => !kept[entry])
      .map(([entry, photo]) => ({ entry, ...photo })),
    ...(recorded?.leftover ?? []).map((faceId) => ({ entry: "", faceId, digest: "" })),
  ];
  if (!declared) return { userId, createUser: false, index: [], retire, remove: true };
  const index = Object.keys(declared.photos).filter((entry) => !kept[entry]);
  const createUser = !recorded || recorded.userStatus === "MISSING";
  const work: PersonWork = { userId, createUser, index, retire, remove: false };
  if (!recorded || createUser || index.length > 0 || retire.length > 0 || recorded.awaitingActive)
    return work;
  const settled =
    sameFaces(
      managedFaces({ faces: recorded.faces, observedFaces: recorded.observed ?? [] }),
      desiredFaces(declared, kept),
    ) &&
    (recorded.pending?.length ?? 0) === 0 &&
    (!exclusive || (recorded.observed?.length ?? 0) === 0);
  return settled ? undefined : work;
}

/** Every person whose state differs from the declaration, by user ID. */
export function plannedWork(
  people: ShardInputs["people"],
  roster: ShardState["roster"],
  exclusive: boolean,
): PersonWork[] {
  const ids = new Set([...Object.keys(roster), ...Object.keys(people)]);
  return [...ids]
    .sort()
    .flatMap((userId) => planPerson(userId, people[userId], roster[userId], exclusive) ?? []);
}

/**
 * The declaration a person's record shows: its photos as indexed, and the
 * faces associated that no photo gave. What a refresh assumes was declared.
 */
export function declarationShown(record: PersonRecord): PersonInputs {
  const fromPhotos = new Set(Object.values(record.photos).map((photo) => photo.faceId));
  const observed = new Set(record.observed ?? []);
  return {
    photos: Object.fromEntries(Object.entries(record.photos).map(([entry, photo]) => [entry, photo.digest])),
    faces: faceSet(Object.keys(record.faces).filter((id) => !fromPhotos.has(id) && !observed.has(id))),
  };
}

/**
 * What a refresh diffs the refreshed truth against, in a process that never
 * checked the declaration: the stored inputs keep a line per person
 * (`describe`), so each person is taken as declared as their record shows
 * where that matches their line. The others (a photo's face gone, a person
 * gone) are drift a preview names without detail. Without lines (the inputs
 * of an earlier release) every record is taken as declared.
 */
export function assumedDeclaration(
  roster: Readonly<Record<string, PersonRecord>>,
  lines: Readonly<Record<string, string>> | undefined,
  describe: (person: PersonInputs) => string,
): { people: Record<string, PersonInputs>; unmatched: string[] } {
  const people: Record<string, PersonInputs> = {};
  const unmatched: string[] = [];
  for (const userId of Object.keys(lines ?? roster)) {
    const record = roster[userId];
    const shown = record && declarationShown(record);
    if (shown && (!lines || describe(shown) === lines[userId])) people[userId] = shown;
    else unmatched.push(userId);
  }
  return { people, unmatched };
}

export interface ShardDiff {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

export const settingKeys = [
  "exclusive",
  "adopt",
  "deleteUsersOnDestroy",
  "userMatchThreshold",
  "waitForActive",
  "activeTimeoutSeconds",
  "qualityFilter",
  "shard",
] as const;

type SettingKey = (typeof settingKeys)[number];

/**
 * What `pulumi up` must do. Another collection is another roster: replaced,
 * deleted first. Otherwise a change is any person whose recorded truth is not
 * the declaration (so a run that failed for some people is retried for those
 * alone), or a setting to record.
 */
export function diffShard(olds: ShardState, news: ShardInputs): ShardDiff {
  if (isUnknown(news.collectionId) || olds.collectionId !== news.collectionId)
    return { changes: true, replaces: ["collectionId"], deleteBeforeReplace: true };
  if (isUnknown(news.people) || isUnknown(news.exclusive))
    return { changes: true, replaces: [], deleteBeforeReplace: false };
  const changes =
    !sameSettings(olds, news) || plannedWork(news.people, olds.roster ?? {}, news.exclusive).length > 0;
  return { changes, replaces: [], deleteBeforeReplace: false };
}

/** Whether the state records the same collection and settings as the inputs declare (an unknown input is not the same). */
export function sameSettings(
  olds: Omit<ShardState, "roster">,
  news: Readonly<Partial<Record<SettingKey | "collectionId", unknown>>>,
): boolean {
  return (
    olds.collectionId === news.collectionId &&
    settingKeys.every((key) => !isUnknown(news[key]) && olds[key] === news[key])
  );
}

/**
 * The paths a preview shows for a shard that changes: `people` when a
 * declared line changes (Pulumi then shows the lines that change, nobody
 * else), and the settings that change. Work for people whose line stays (a
 * retry, drift) and a shard where nobody changes show as the state being
 * rewritten (`roster`).
 */
export function diffDetail(
  planned: readonly PersonWork[],
  olds: ShardState,
  news: ShardInputs,
  lineChanges: (userId: string) => boolean,
): DetailedDiff {
  const detail: Record<string, "update"> = {};
  const changedLines = planned.filter((work) => lineChanges(work.userId)).length;
  if (changedLines > 0) detail["people"] = "update";
  for (const key of settingKeys) if (olds[key] !== news[key]) detail[key] = "update";
  if (Object.keys(detail).length === 0 || changedLines < planned.length) detail["roster"] = "update";
  return detail;
}
