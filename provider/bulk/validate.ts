import { InputChecker, type Checked } from "../check.js";
import { faceSet } from "../association/model.js";
import { maxFacesPerUser } from "../association/model.js";
import { describe, identifierProblem, userIdRule } from "../identifiers.js";
import { maxInlineImageBytes, qualityFilters } from "../face/model.js";
import { photoHeaderProblem } from "../face/report.js";
import type { FileDigest } from "../face/validate.js";
import { noMemo, type DigestMemo } from "../face/digest-memo.js";
import { parsePhotoRef } from "../roster/plan.js";
import { isUnknown } from "../unknown.js";
import { shardDefaults, type PersonInputs, type ShardInputs } from "./model.js";

/** How many photos a check reads at once: enough to keep the disk busy, few enough to bound memory. */
const readsAtOnce = 16;

/** A roster entry with its content digest known already (an S3 listing's ETag). */
export interface DigestedEntry {
  readonly photo: string;
  readonly digest: string;
}

export type CheckedShard = Checked<ShardInputs>;

const inputNames = [
  "collectionId",
  "shard",
  "people",
  "exclusive",
  "userMatchThreshold",
  "adopt",
  "deleteUsersOnDestroy",
  "waitForActive",
  "activeTimeoutSeconds",
  "qualityFilter",
  "handOver",
];

/** How a check reads local photos: their digest, and a cheap stamp (size and modification time). */
export interface PhotoFiles {
  readonly digest: (path: string) => Promise<FileDigest>;
  /** `<size>:<mtimeMs>`, or undefined when there is no such file. */
  readonly stamp: (path: string) => Promise<string | undefined>;
}

/**
 * Validates a shard's inputs and turns each person's list into photos (by
 * entry, with the digest of their content: a local file is read and hashed,
 * streaming) and face IDs. Every problem names the person and the entry.
 */
export async function checkShard(
  news: Record<string, unknown>,
  files: PhotoFiles,
  memo: DigestMemo = noMemo,
): Promise<CheckedShard> {
  const check = new InputChecker(news);
  check.onlyKeys(inputNames);
  const collectionId = check.collectionId("use the roster's collection ID");
  const people = await checkPeople(check, news["people"], files, memo);
  const qualityFilter = news["qualityFilter"];
  if (
    qualityFilter != null &&
    !isUnknown(qualityFilter) &&
    !(qualityFilters as readonly unknown[]).includes(qualityFilter)
  )
    check.fail(
      "qualityFilter",
      `qualityFilter must be one of ${qualityFilters.join(", ")}, got ${describe(qualityFilter)}`,
    );
  const deleteUsers = news["deleteUsersOnDestroy"];
  const inputs: ShardInputs = {
    collectionId: collectionId ?? "",
    shard: typeof news["shard"] === "string" ? news["shard"] : "1/1",
    people,
    exclusive: check.boolean("exclusive", shardDefaults.exclusive),
    userMatchThreshold: check.number(
      "userMatchThreshold",
      shardDefaults.userMatchThreshold,
      0,
      100,
      "75 is Rekognition's default",
    ),
    adopt: check.boolean("adopt", shardDefaults.adopt),
    ...(deleteUsers != null && { deleteUsersOnDestroy: check.boolean("deleteUsersOnDestroy", false) }),
    waitForActive: check.boolean("waitForActive", shardDefaults.waitForActive),
    activeTimeoutSeconds: check.number(
      "activeTimeoutSeconds",
      shardDefaults.activeTimeoutSeconds,
      1,
      86_400,
      "give seconds",
    ),
    ...(qualityFilter != null && { qualityFilter: qualityFilter as string }),
    ...(news["handOver"] != null && { handOver: check.boolean("handOver", false) }),
    ...(typeof news["scope"] === "string" && { scope: news["scope"] }),
  };
  return { inputs, failures: check.failures };
}

async function checkPeople(
  check: InputChecker,
  value: unknown,
  files: PhotoFiles,
  memo: DigestMemo,
): Promise<ShardInputs["people"]> {
  if (isUnknown(value)) return value as ShardInputs["people"];
  if (typeof value === "string") value = parsedPeople(value);
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    check.fail("people", `people must map each user ID to a list of photos, got ${describe(value)}`);
    return {};
  }
  const people: Record<string, PersonInputs> = {};
  const reads: LocalPhoto[] = [];
  for (const [userId, entries] of Object.entries(value as Record<string, unknown>)) {
    const person = checkPerson(check, userId, entries, reads);
    if (person) people[userId] = person;
  }
  await readLocalPhotos(check, reads, people, files, memo);
  return people;
}

/** People given as JSON text (a bulk FaceRoster passes each share so); text that is not JSON is reported as text. */
function parsedPeople(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A local photo of a person, to be read for its digest. */
interface LocalPhoto {
  readonly userId: string;
  readonly entry: string;
  readonly path: string;
}

/**
 * One person's photos and faces; local photos get an empty digest here and
 * are added to `reads`. Undefined when the list is not a list at all.
 */
function checkPerson(
  check: InputChecker,
  userId: string,
  entries: unknown,
  reads: LocalPhoto[],
): PersonInputs | undefined {
  const where = `people.${userId}`;
  const problem = identifierProblem(userId, userIdRule);
  if (problem) check.fail(where, `${where}: the user ID ${problem}: rename the person`);
  if (!Array.isArray(entries) || entries.length === 0) {
    check.fail(
      where,
      `${where} must be a non-empty list of photo paths, s3:// URLs or face IDs, got ${describe(entries)}`,
    );
    return undefined;
  }
  const photos: Record<string, string> = {};
  const faces: string[] = [];
  entries.forEach((raw: unknown, index) => {
    const entry: unknown = typeof raw === "object" && raw !== null ? (raw as DigestedEntry).photo : raw;
    if (typeof entry !== "string" || entry === "") {
      check.fail(
        `${where}[${index}]`,
        `${where}[${index}] must be a photo path, an s3:// URL or a face ID, got ${describe(raw)}`,
      );
      return;
    }
    const ref = parsePhotoRef(entry);
    if (ref.kind === "face") faces.push(ref.faceId);
    else if (typeof raw === "object" && raw !== null)
      photos[entry] = String((raw as DigestedEntry).digest ?? "");
    else if ("s3" in ref.image) photos[entry] = ref.image.s3.version ?? "";
    else {
      photos[entry] = "";
      reads.push({ userId, entry, path: ref.image.path });
    }
  });
  const count = Object.keys(photos).length + faces.length;
  if (count > maxFacesPerUser)
    check.fail(
      where,
      `${where} lists ${count} photos and faces, over Rekognition's ${maxFacesPerUser} faces per user: keep the best ${maxFacesPerUser}`,
    );
  return { photos, faces: faceSet(faces) };
}

/**
 * Sets the digest of every local photo in `people`, a few reads at a time: a
 * roster of thousands never holds more than those in memory.
 */
async function readLocalPhotos(
  check: InputChecker,
  reads: readonly LocalPhoto[],
  people: Record<string, PersonInputs>,
  files: PhotoFiles,
  memo: DigestMemo,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < reads.length) {
      const { userId, entry, path } = reads[next++]!;
      const photos = people[userId]!.photos as Record<string, string>;
      // A photo whose size and modification time are those remembered keeps
      // its digest unread: a no-op run over thousands of photos reads none.
      const stamp = await files.stamp(path);
      const known = stamp === undefined ? undefined : memo.recall(path, stamp);
      const digest = known ?? (await checkedDigest(check, `people.${userId}`, entry, path, files));
      if (digest === undefined) continue;
      photos[entry] = digest;
      if (stamp !== undefined) memo.remember(path, stamp, digest);
    }
  };
  await Promise.all(Array.from({ length: Math.min(readsAtOnce, reads.length) }, worker));
}

/** A local photo's digest; a missing file, one too large or not a photo is a failure of `where`. */
async function checkedDigest(
  check: InputChecker,
  where: string,
  entry: string,
  path: string,
  files: PhotoFiles,
): Promise<string | undefined> {
  const found = await files.digest(path);
  if ("problem" in found) {
    const what = found.problem === "missing" ? "there is no file" : "that is not a file";
    check.fail(
      where,
      `${where}: '${entry}': ${what} at ${found.resolvedPath} (paths start from the stack's folder): fix the path, or add the photo`,
    );
    return undefined;
  }
  if (found.bytes > maxInlineImageBytes)
    check.fail(
      where,
      `${where}: '${entry}' is ${(found.bytes / 1024 / 1024).toFixed(1)} MB, over the 5 MB Rekognition takes as bytes: shrink it, or upload it to S3`,
    );
  const problem = photoHeaderProblem(entry, found.resolvedPath, found.header);
  if (problem) check.fail(where, `${where}: ${problem}`);
  return photoDigest(found.sha256);
}

/** A photo's digest as a shard records it: 80 bits of its SHA-256 tell a changed photo, in half the state. */
export function photoDigest(sha256: string): string {
  return sha256.slice(0, 20);
}
