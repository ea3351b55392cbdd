import { describe, faceIdPattern, identifierProblem, userIdRule } from "../identifiers.js";
import type { ImageSource } from "../face/model.js";

/** One entry of a person's list: a photo to index, or a face already indexed. */
export type PhotoRef =
  | { readonly kind: "photo"; readonly image: ImageSource }
  | { readonly kind: "face"; readonly faceId: string };

/** A photo of a person, and the resource that indexes it. */
export interface RosterPhoto {
  readonly name: string;
  readonly image: ImageSource;
  /** The name releases before this one gave the resource, when it differs: kept as an alias, so
   * that a stack deployed with it upgrades without re-indexing the face. */
  readonly formerName?: string;
}

/** What a roster declares for one person. */
export interface PersonPlan {
  readonly userId: string;
  /** Logical names, derived from the person and the photo only, so that
   * adding or removing one entry renames nothing else. */
  readonly userName: string;
  readonly associationName: string;
  readonly photos: readonly RosterPhoto[];
  /** Faces already indexed, listed by face ID. */
  readonly faceIds: readonly string[];
}

/**
 * Reads a roster entry: `s3://bucket/key` (optionally `?versionId=...`), a
 * face ID, or else a local file path.
 */
export function parsePhotoRef(ref: string): PhotoRef {
  if (faceIdPattern.test(ref.toLowerCase())) return { kind: "face", faceId: ref.toLowerCase() };
  const s3 = /^s3:\/\/([^/]+)\/(.+?)(?:\?versionId=(.+))?$/.exec(ref);
  if (s3) {
    const [, bucket, key, version] = s3 as unknown as [string, string, string, string | undefined];
    return { kind: "photo", image: { s3: { bucket, key, ...(version && { version }) } } };
  }
  return { kind: "photo", image: { path: ref } };
}

export class RosterError extends Error {}

/**
 * The resources a roster declares, person by person. Runs in the program,
 * so a malformed roster fails before anything is previewed; each problem
 * names the entry (`people.alice[2]`) and the fix.
 */
export function planRoster(rosterName: string, people: unknown): PersonPlan[] {
  const problems: string[] = [];
  if (!people || typeof people !== "object" || Array.isArray(people)) {
    throw new RosterError(
      `FaceRoster '${rosterName}': people must map each user ID to a list of photos ` +
        `(for instance { alice: ["photos/alice-1.png"] }), got ${describe(people)}`,
    );
  }
  const plans: PersonPlan[] = [];
  for (const [userId, entries] of Object.entries(people)) {
    const problem = identifierProblem(userId, userIdRule);
    if (problem) problems.push(`people: the user ID ${problem}: rename the person`);
    if (!Array.isArray(entries) || entries.length === 0) {
      problems.push(`people.${userId} must be a non-empty list of photo paths, s3:// URLs or face IDs`);
      continue;
    }
    const seen = new Set<string>();
    const photos: RosterPhoto[] = [];
    const faceIds: string[] = [];
    entries.forEach((entry: unknown, index) => {
      const where = `people.${userId}[${index}]`;
      if (typeof entry !== "string" || entry === "") {
        problems.push(`${where} must be a photo path, an s3:// URL or a face ID, got ${describe(entry)}`);
        return;
      }
      if (seen.has(entry)) {
        problems.push(`${where} repeats '${entry}': remove the duplicate`);
        return;
      }
      seen.add(entry);
      const ref = parsePhotoRef(entry);
      if (ref.kind === "face") faceIds.push(ref.faceId);
      else photos.push(rosterPhoto(`${rosterName}-${userId}-`, entry, entries, ref.image));
    });
    plans.push({
      userId,
      userName: `${rosterName}-${userId}`,
      associationName: `${rosterName}-${userId}`,
      photos,
      faceIds,
    });
  }
  if (problems.length > 0)
    throw new RosterError(`FaceRoster '${rosterName}':\n  - ${problems.join("\n  - ")}`);
  return plans;
}

/**
 * A photo's resource is named after its entry alone, so adding or removing
 * another entry renames nothing. Earlier releases used the file name when it
 * was unique in the person's list; that name, where it differs, becomes the
 * resource's former name. No two entries can share it: it was only given to
 * a file name found once in the list.
 */
function rosterPhoto(
  prefix: string,
  entry: string,
  entries: readonly unknown[],
  image: ImageSource,
): RosterPhoto {
  const name = `${prefix}${entry}`;
  const former = `${prefix}${formerLabel(entry, entries)}`;
  return { name, image, ...(former !== name && { formerName: former }) };
}

/** The photo's part of the name earlier releases gave it: the file name when unique, else the entry. */
function formerLabel(entry: string, entries: readonly unknown[]): string {
  const fileName = (value: string): string => value.replace(/\?.*$/, "").split("/").pop() ?? value;
  const name = fileName(entry);
  const clashes = entries.filter((other) => typeof other === "string" && fileName(other) === name).length;
  return clashes === 1 && name !== "" ? name : entry;
}
