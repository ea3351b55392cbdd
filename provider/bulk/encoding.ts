// How a shard stores its people: the truth in its state as one text, a line
// a person, so the engine, the provider host and the program each handle one
// value a shard instead of one (or a dozen) a person; and one short line a
// person in its stored inputs (the declaration). Pure: ./engine.ts encodes on
// every write and decodes on every read, and reads what earlier releases
// wrote too (a JSON string a person, or a nested map a person).
import { createHash } from "node:crypto";
import type { Origin } from "../adoption/ownership.js";
import { faceSet } from "../association/model.js";
import { byCodeUnit } from "../order.js";
import type { IndexedPhoto, PersonInputs, PersonRecord, ShardInputs } from "./model.js";

/**
 * A person as the state stores it, in one of two forms:
 * - short, for the person nearly every roster is made of (a user this stack
 *   created, ACTIVE, the face of each photo associated and no other, nothing
 *   unsettled): `entry digest faceId` for each photo, separated by spaces,
 *   when no entry, digest or face ID is empty or holds whitespace and the
 *   first entry does not start with `[`;
 * - otherwise the JSON text of `[origin, userStatus, photos, faces, extra?]`
 *   where `photos` is `[entry, digest, faceId, ...]` flat, `faces` lists each
 *   associated face as the index of the photo whose face it is or as its face
 *   ID, and `extra` (only when one is set) holds `observed`, `pending`,
 *   `leftover` and `awaitingActive`. JSON escapes whatever an entry contains.
 * The short form saves a fifth of the state at one photo a person: the
 * engine copies, logs and writes it on every run, so its size is time.
 */
export type EncodedPerson = string;

/**
 * A shard's `roster` as the state holds it: the text of `encodeRoster`, or
 * the map of earlier releases (a person's JSON string, or their nested record).
 */
export type StoredRoster = RosterText | Readonly<Record<string, EncodedPerson | PersonRecord>>;

/**
 * A shard's people as one text: a line `<userId>: <person>` each, sorted by
 * user ID, so a change shows as the lines of the people it touches. A user ID
 * has no space, and a person's JSON has no line break.
 */
export type RosterText = string;

interface Extra {
  o?: readonly string[];
  p?: readonly string[];
  l?: readonly string[];
  w?: 1;
}

type Packed = [Origin, string, string[], (number | string)[], Extra?];

export function encodePerson(record: PersonRecord): EncodedPerson {
  return shortForm(record) ?? packedForm(record);
}

/** The short form, when the person is the usual one and every word is plain. */
function shortForm(record: PersonRecord): EncodedPerson | undefined {
  const { origin, userStatus, observed, pending, leftover, awaitingActive } = record;
  if (origin !== "created" || userStatus !== "ACTIVE" || awaitingActive) return undefined;
  if (observed?.length || pending?.length || leftover?.length) return undefined;
  const words: string[] = [];
  const photoFaces = new Set<string>();
  for (const [entry, { digest, faceId }] of Object.entries(record.photos)) {
    words.push(entry, digest, faceId);
    photoFaces.add(faceId);
  }
  const faces = Object.keys(record.faces);
  const facesArePhotos = faces.length === photoFaces.size && faces.every((id) => photoFaces.has(id));
  if (words.length === 0 || !facesArePhotos || words[0]!.startsWith("[")) return undefined;
  return words.every(isPlainWord) ? words.join(" ") : undefined;
}

const isPlainWord = (word: string): boolean => word !== "" && !/\s/.test(word);

function packedForm(record: PersonRecord): EncodedPerson {
  const photos: string[] = [];
  const photoOf = new Map<string, number>();
  for (const [entry, photo] of Object.entries(record.photos)) {
    if (!photoOf.has(photo.faceId)) photoOf.set(photo.faceId, photos.length / 3);
    photos.push(entry, photo.digest, photo.faceId);
  }
  const faces = Object.keys(record.faces).map((id) => photoOf.get(id) ?? id);
  const extra: Extra = {
    ...(record.observed?.length && { o: record.observed }),
    ...(record.pending?.length && { p: record.pending }),
    ...(record.leftover?.length && { l: record.leftover }),
    ...(record.awaitingActive && { w: 1 as const }),
  };
  const packed: Packed = [record.origin, record.userStatus, photos, faces];
  if (Object.keys(extra).length > 0) packed.push(extra);
  return JSON.stringify(packed);
}

export class EncodingError extends Error {}

/**
 * The form a person is stored in: "words" (the short form), or "json" for
 * anything else, the nested records of earlier releases included.
 */
export function personForm(encoded: EncodedPerson | PersonRecord): "words" | "json" {
  return typeof encoded === "string" && !encoded.startsWith("[") ? "words" : "json";
}

export function decodePerson(userId: string, encoded: EncodedPerson | PersonRecord): PersonRecord {
  // The nested record of earlier releases is already the truth.
  if (typeof encoded !== "string") return encoded;
  if (personForm(encoded) === "words") return decodeShort(userId, encoded);
  let packed: unknown;
  try {
    packed = JSON.parse(encoded);
  } catch {
    packed = undefined;
  }
  if (!isPacked(packed)) throw new EncodingError(notWritten(`person '${userId}'`, encoded));
  const [origin, userStatus, flat, faces, extra = {}] = packed;
  const photos: Record<string, IndexedPhoto> = {};
  for (let i = 0; i + 2 < flat.length; i += 3)
    photos[flat[i]!] = { digest: flat[i + 1]!, faceId: flat[i + 2]! };
  return {
    origin,
    photos,
    faces: faceSet(faces.map((face) => (typeof face === "number" ? flat[face * 3 + 2]! : face))),
    ...(extra.o && { observed: extra.o }),
    ...(extra.p && { pending: extra.p }),
    ...(extra.l && { leftover: extra.l }),
    ...(extra.w && { awaitingActive: true }),
    userStatus,
  };
}

function decodeShort(userId: string, encoded: EncodedPerson): PersonRecord {
  const words = encoded.split(" ");
  if (words.length % 3 !== 0 || !words.every(isPlainWord))
    throw new EncodingError(notWritten(`person '${userId}'`, encoded));
  const photos: Record<string, IndexedPhoto> = {};
  const faceIds: string[] = [];
  for (let i = 0; i < words.length; i += 3) {
    photos[words[i]!] = { digest: words[i + 1]!, faceId: words[i + 2]! };
    faceIds.push(words[i + 2]!);
  }
  return { origin: "created", photos, faces: faceSet(faceIds), userStatus: "ACTIVE" };
}

const notWritten = (what: string, stored: string): string =>
  `the shard's state records ${what} as ${JSON.stringify(stored).slice(0, 80)}, which is not ` +
  "what this provider writes: restore the state from a backup (`pulumi stack import`), or " +
  "`pulumi refresh` after removing the person from the state";

function isPacked(value: unknown): value is Packed {
  if (!Array.isArray(value) || value.length < 4 || value.length > 5) return false;
  const [origin, status, photos, faces, extra] = value as unknown[];
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === "string");
  return (
    (origin === "created" || origin === "adopted") &&
    typeof status === "string" &&
    strings(photos) &&
    (photos as string[]).length % 3 === 0 &&
    Array.isArray(faces) &&
    faces.every(
      (f) =>
        typeof f === "string" ||
        (Number.isInteger(f) && (f as number) >= 0 && (f as number) < (photos as string[]).length / 3),
    ) &&
    (extra === undefined || (typeof extra === "object" && extra !== null && !Array.isArray(extra)))
  );
}

export function encodeRoster(roster: Readonly<Record<string, PersonRecord>>): RosterText {
  const encoded: Record<string, EncodedPerson> = {};
  for (const [userId, record] of Object.entries(roster)) encoded[userId] = encodePerson(record);
  return rosterText(encoded);
}

function rosterText(people: Readonly<Record<string, EncodedPerson>>): RosterText {
  const userIds = Object.keys(people).sort(byCodeUnit);
  return userIds.map((userId) => `${userId}: ${people[userId]!}`).join("\n");
}

export function decodeRoster(stored: StoredRoster | undefined): Record<string, PersonRecord> {
  const roster: Record<string, PersonRecord> = {};
  for (const [userId, person] of Object.entries(storedPeople(stored)))
    roster[userId] = decodePerson(userId, person);
  return roster;
}

/** One person's record, read from the stored roster without decoding anyone else's. */
export function recordedPerson(stored: StoredRoster | undefined, userId: string): PersonRecord | undefined {
  if (stored === undefined) return undefined;
  if (typeof stored !== "string")
    return Object.hasOwn(stored, userId) ? decodePerson(userId, stored[userId]!) : undefined;
  const head = `${userId}: `;
  const newline = stored.startsWith(head) ? -1 : stored.indexOf(`\n${head}`);
  if (newline < 0 && !stored.startsWith(head)) return undefined;
  const at = newline + 1;
  const end = stored.indexOf("\n", at);
  return decodePerson(userId, stored.slice(at + head.length, end < 0 ? undefined : end));
}

/** Each person as stored, by user ID: a line's text after `": "`, or the map's value. */
export function storedPeople(
  stored: StoredRoster | undefined,
): Readonly<Record<string, EncodedPerson | PersonRecord>> {
  if (typeof stored !== "string") return stored ?? {};
  const people: Record<string, EncodedPerson> = {};
  for (const line of stored.split("\n")) {
    if (line === "") continue;
    const gap = line.indexOf(": ");
    if (gap < 1) throw new EncodingError(notWritten("a line", line));
    people[line.slice(0, gap)] = line.slice(gap + 2);
  }
  return people;
}

/**
 * Whether the state holds people as an earlier release wrote them (a map):
 * the next `up` rewrites them as text. An empty map holds nobody to rewrite.
 */
export function isEarlierForm(stored: StoredRoster | undefined): boolean {
  return typeof stored === "object" && !holdsNobody(stored);
}

/** Whether a stored roster, in any form, records nobody. */
export function holdsNobody(stored: StoredRoster | undefined): boolean {
  return typeof stored === "string" ? stored === "" : Object.keys(stored ?? {}).length === 0;
}

/**
 * The roster in the form the state already holds: a refresh reads the truth
 * without turning an earlier release's map into text, or a person's JSON into
 * the short form (a change it would show for every person); it rewrites only
 * the people whose truth changed. The shard's next update writes every line.
 */
export function encodeRosterLike(
  stored: StoredRoster | undefined,
  roster: Readonly<Record<string, PersonRecord>>,
): StoredRoster {
  const before = storedPeople(stored);
  const encoded: Record<string, EncodedPerson> = {};
  for (const [userId, record] of Object.entries(roster)) {
    const kept = before[userId];
    const fresh = encodePerson(record);
    encoded[userId] =
      typeof kept === "string" && kept !== fresh && encodePerson(decodePerson(userId, kept)) === fresh
        ? kept
        : fresh;
  }
  return isEarlierForm(stored) ? encoded : rosterText(encoded);
}

/**
 * A declared person as the shard's stored inputs show it: how many photos and
 * faces, and a digest of the whole declaration (entries, their contents'
 * digests, face IDs), so a preview shows who changes in a few bytes a person.
 * The declaration itself stays with the run (./declarations.ts).
 */
export function describeDeclared(person: PersonInputs): string {
  const photos = Object.keys(person.photos).length;
  const faces = Object.keys(person.faces).length;
  const parts = [
    ...(photos > 0 || faces === 0 ? [`${photos} photo${photos === 1 ? "" : "s"}`] : []),
    ...(faces > 0 ? [`${faces} face${faces === 1 ? "" : "s"}`] : []),
  ];
  return `${parts.join(", ")} · ${declaredDigest(person).slice(0, 12)}`;
}

/** A digest of one declared person: any change of an entry, a photo's content or a face changes it. */
export function declaredDigest(person: PersonInputs): string {
  const photos = Object.entries(person.photos).sort(([a], [b]) => byCodeUnit(a, b));
  const faces = Object.keys(person.faces).sort();
  return createHash("sha256")
    .update(JSON.stringify([photos, faces]))
    .digest("hex");
}

/**
 * The people as the stored inputs show them: one text, a line
 * `<userId> · <describeDeclared>` each, sorted by user ID. One value a shard
 * crosses between the engine and the provider instead of one a person, and a
 * preview shows a changed declaration as the lines that change. The line has
 * no `": "`, so Pulumi shows the text as lines, not as a YAML map.
 */
export type DeclaredText = string;

const lineGap = " · ";

export function describeDeclaredPeople(people: ShardInputs["people"]): DeclaredText {
  const userIds = Object.keys(people).sort(byCodeUnit);
  return userIds.map((userId) => `${userId}${lineGap}${describeDeclared(people[userId]!)}`).join("\n");
}

/**
 * Each declared person's line, from the stored inputs: the text above, or
 * the map of earlier releases (a line by user ID). Undefined when the inputs
 * hold neither (a release before lines, or no inputs yet).
 */
export function declaredLines(stored: unknown): Record<string, string> | undefined {
  if (typeof stored === "string") {
    const lines: Record<string, string> = {};
    for (const line of stored.split("\n")) {
      const gap = line.indexOf(lineGap);
      if (gap > 0) lines[line.slice(0, gap)] = line.slice(gap + lineGap.length);
    }
    return lines;
  }
  if (typeof stored !== "object" || stored === null) return undefined;
  const entries = Object.entries(stored);
  return entries.every(([, line]) => typeof line === "string") ? Object.fromEntries(entries) : undefined;
}
