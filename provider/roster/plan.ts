import { describe, faceIdPattern, identifierProblem, userIdRule } from "../identifiers.js";
import type { ImageSource } from "../face/model.js";

/** One entry of a person's list: a photo to index, or a face already indexed. */
export type PhotoRef =
  | { readonly kind: "photo"; readonly image: ImageSource }
  | { readonly kind: "face"; readonly faceId: string };

/** What a roster declares for one person. */
export interface PersonPlan {
  readonly userId: string;
  /** Logical names, derived from the person and the photo only, so that
   * adding or removing one entry renames nothing else. */
  readonly userName: string;
  readonly associationName: string;
  readonly photos: readonly { readonly name: string; readonly image: ImageSource }[];
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
    throw new RosterError(`people must map each user ID to a list of photos, got ${describe(people)}`);
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
    const photos: { name: string; image: ImageSource }[] = [];
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
      else photos.push({ name: `${rosterName}-${userId}-${photoLabel(entry, entries)}`, image: ref.image });
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
 * A photo's part of its resource name: the file name when it is unique in
 * the person's list (readable, and moving the folder keeps it), else the
 * whole entry.
 */
function photoLabel(entry: string, entries: readonly unknown[]): string {
  const fileName = (value: string): string => value.replace(/\?.*$/, "").split("/").pop() ?? value;
  const name = fileName(entry);
  const clashes = entries.filter((other) => typeof other === "string" && fileName(other) === name).length;
  return clashes === 1 && name !== "" ? name : entry;
}
