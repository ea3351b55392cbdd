import { paginateListObjectsV2 } from "@aws-sdk/client-s3";
import type { S3ListClient } from "../aws/s3-client.js";
import { describe, identifierProblem, userIdRule } from "../identifiers.js";
import { RosterError } from "./plan.js";
import { byCodeUnit } from "../order.js";

export type { S3ListClient } from "../aws/s3-client.js";
export { s3ListClient, s3ListClientFromStack, stackConfigSource } from "../aws/s3-client.js";

/** A photo found under the prefix: its entry as `people` takes it, and its content's identity. */
export interface S3Photo {
  /** `s3://bucket/key`. */
  readonly entry: string;
  /** The object's ETag, quotes stripped: changes when the content does. */
  readonly etag: string;
}

/** The people under a prefix: user ID → photos, both sorted. */
export type S3People = Record<string, S3Photo[]>;

/** A bucket and a key prefix: empty (the whole bucket) or ending with `/`. */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

/** An object as ListObjectsV2 lists it. */
export interface ListedObject {
  readonly key: string;
  readonly etag?: string;
  readonly size?: number;
}

const imageExtension = /\.(jpe?g|png)$/i;
// Problems beyond this many are counted, not listed: a message stays readable for a large bucket.
const MAX_LISTED_PROBLEMS = 50;
const layout = "<prefix><userId>/<photo>.jpg (or .jpeg, .png)";

/**
 * Lists `url` (`s3://bucket/prefix/`) and reads it as a roster: every object
 * `<prefix><userId>/<photo>.jpg|.jpeg|.png` is a photo of `userId`. Zero-byte
 * keys ending in `/` (the folders the S3 console creates) are skipped; any
 * other object is a problem, as is an invalid user ID, an empty photo, one
 * content (ETag) under two people, and a prefix with no photo. Every problem
 * is reported in one RosterError naming the key and the fix.
 */
export async function peopleFromS3Prefix(
  rosterName: string,
  url: string,
  s3: S3ListClient,
): Promise<S3People> {
  const location = parseS3Prefix(rosterName, url);
  const objects: ListedObject[] = [];
  try {
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: location.bucket, ...(location.prefix && { Prefix: location.prefix }) },
    )) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        objects.push({
          key: object.Key,
          ...(object.ETag !== undefined && { etag: object.ETag }),
          ...(object.Size !== undefined && { size: object.Size }),
        });
      }
    }
  } catch (err) {
    throw listingError(rosterName, url, location, err);
  }
  return peopleFromObjects(rosterName, url, location, objects);
}

/** Reads `s3://bucket/prefix/`; a prefix not ending in `/` names a folder all the same. */
export function parseS3Prefix(rosterName: string, url: unknown): S3Location {
  const at = `FaceRoster '${rosterName}': s3Prefix`;
  const example = "s3://my-bucket/rosters/staff/";
  if (typeof url !== "string" || url === "")
    throw new RosterError(`${at} must be an s3:// URL such as ${example}, got ${describe(url)}`);
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(url);
  if (!match) throw new RosterError(`${at} '${url}' is not an s3:// URL: write it as ${example}`);
  const [, bucket, path = ""] = match as unknown as [string, string, string | undefined];
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{2,254}$/.test(bucket))
    throw new RosterError(
      `${at} '${url}': '${bucket}' is not a bucket name (letters, digits, '.', '-' and '_', ` +
        `starting with a letter or digit): write it as ${example}`,
    );
  if (/[?#]/.test(path))
    throw new RosterError(
      `${at} '${url}' has a query or fragment: give the bucket and the prefix only, as ${example}`,
    );
  if (path.split("/").slice(0, -1).includes("") || path.startsWith("/"))
    throw new RosterError(`${at} '${url}' has an empty folder name ('//'): remove the extra '/'`);
  return { bucket, prefix: path === "" || path.endsWith("/") ? path : `${path}/` };
}

/**
 * The people of a listing. Pure: `objects` is every object under
 * `location.prefix`, in any order.
 */
export function peopleFromObjects(
  rosterName: string,
  url: string,
  location: S3Location,
  objects: readonly ListedObject[],
): S3People {
  const problems: string[] = [];
  const photos = new Map<string, S3Photo[]>();
  // One folder name with a bad user ID is one problem, however many photos it holds.
  const badFolders = new Map<string, BadFolder>();
  const byEtag = new Map<string, { userId: string; key: string }>();
  const { bucket, prefix } = location;
  for (const object of [...objects].sort((a, b) => byCodeUnit(a.key, b.key))) {
    const place = placeOf(object, prefix);
    if ("skip" in place) continue;
    if ("problem" in place) {
      problems.push(place.problem);
      continue;
    }
    const { userId, file } = place;
    const badUserId = identifierProblem(userId, userIdRule);
    if (badUserId) {
      const folder = badFolders.get(userId);
      if (folder) folder.count++;
      else badFolders.set(userId, { problem: badUserId, first: object.key, count: 1 });
      continue;
    }
    const photo = photoOf(object, file);
    if ("problem" in photo) {
      problems.push(photo.problem);
      continue;
    }
    const { etag } = photo;
    const first = byEtag.get(etag);
    if (first && first.userId !== userId) {
      problems.push(
        `'${object.key}' has the same content as '${first.key}' (ETag ${etag}): ` +
          `a photo shows one person, keep it under one of ${first.userId} and ${userId}`,
      );
      continue;
    }
    if (!first) byEtag.set(etag, { userId, key: object.key });
    const list = photos.get(userId) ?? [];
    list.push({ entry: `s3://${bucket}/${object.key}`, etag });
    photos.set(userId, list);
  }
  problems.push(...folderProblems(badFolders, prefix));
  if (problems.length === 0 && photos.size === 0) problems.push(noPhotoProblem(location, objects.length));
  if (problems.length > 0) throw listingProblems(rosterName, url, problems);
  // Users in code-unit order of their IDs (integer-like IDs first, as in any object);
  // Object.fromEntries keeps a user named __proto__ an own key.
  return Object.fromEntries([...photos.entries()].sort(([a], [b]) => byCodeUnit(a, b)));
}

/** A person's folder whose name is not a valid user ID: its first object and how many it holds. */
interface BadFolder {
  readonly problem: string;
  readonly first: string;
  count: number;
}

type Place =
  { readonly skip: true } | { readonly problem: string } | { readonly userId: string; readonly file: string };

/** Where an object sits in the layout `<prefix><userId>/<photo>`: a person's file, a folder marker, or out of place. */
function placeOf(object: ListedObject, prefix: string): Place {
  const { key } = object;
  if (!key.startsWith(prefix)) return { problem: `'${key}' is not under '${prefix}': list only the prefix` };
  const rest = key.slice(prefix.length);
  // A folder marker: the prefix's own, or a folder's below it.
  if ((rest === "" || rest.endsWith("/")) && (object.size ?? 0) === 0) return { skip: true };
  const parts = rest.split("/");
  if (parts.length === 1)
    return {
      problem: `'${key}' is not in a person's folder: photos go in ${layout}; move it into its person's folder, or out of the prefix`,
    };
  if (parts.length > 2)
    return {
      problem:
        `'${key}' is nested below the person's folder '${prefix}${parts[0]}/': ` +
        `photos go directly in ${layout}; move it up, or out of the prefix`,
    };
  const [userId, file] = parts as [string, string];
  return { userId, file };
}

/** The content identity of a file in a person's folder, or why it is not a photo. */
function photoOf(
  object: ListedObject,
  file: string,
): { readonly etag: string } | { readonly problem: string } {
  const { key } = object;
  if (!imageExtension.test(file))
    return {
      problem:
        `'${key}' is not a .jpg, .jpeg or .png photo (Rekognition reads JPEG and PNG): ` +
        `convert it, or move it out of the prefix`,
    };
  if (object.size === 0)
    return { problem: `'${key}' is empty (0 bytes): upload the photo again, or remove it` };
  const etag = object.etag?.replace(/^"|"$/g, "");
  if (!etag)
    return { problem: `'${key}' was listed without an ETag: the listing is not from S3, or is incomplete` };
  return { etag };
}

function folderProblems(badFolders: ReadonlyMap<string, BadFolder>, prefix: string): string[] {
  return [...badFolders].map(([userId, folder]) => {
    const others = folder.count > 1 ? ` (and ${folder.count - 1} more object(s) in that folder)` : "";
    return (
      `'${folder.first}'${others}: the folder name is the user ID, and the user ID ${folder.problem}: ` +
      `rename the folder '${prefix}${userId}/' (copy its objects to a valid name, then delete them)`
    );
  });
}

function noPhotoProblem({ bucket, prefix }: S3Location, objectCount: number): string {
  return objectCount === 0
    ? `no object is under '${prefix}' in bucket '${bucket}': upload photos as ${layout}, ` +
        `or check the bucket, the prefix and the region`
    : `no photo is under '${prefix}' in bucket '${bucket}', only folders: upload photos as ${layout}`;
}

/** Every problem of the listing in one error; past MAX_LISTED_PROBLEMS they are counted. */
function listingProblems(rosterName: string, url: string, problems: readonly string[]): RosterError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  return new RosterError(
    `FaceRoster '${rosterName}': s3Prefix '${url}':\n  - ${listed.join("\n  - ")}` +
      (more > 0 ? `\n  - … and ${more} more problem(s) like these` : ""),
  );
}

/** Why the listing failed, and what to do about it. */
function listingError(rosterName: string, url: string, location: S3Location, err: unknown): RosterError {
  const name = (err as { name?: string }).name ?? "Error";
  const message = err instanceof Error ? err.message : String(err);
  const fix =
    name === "NoSuchBucket"
      ? `no bucket '${location.bucket}' is reachable with these settings: check its name, and the aws:region and aws:endpoints "s3" of the stack`
      : name === "AccessDenied" || name === "Forbidden"
        ? `the credentials may not list it: allow s3:ListBucket on arn:aws:s3:::${location.bucket}` +
          (location.prefix ? ` (for the prefix '${location.prefix}')` : "")
        : `check the bucket, the credentials and the aws:region and aws:endpoints "s3" of the stack`;
  return new RosterError(
    `FaceRoster '${rosterName}': s3Prefix '${url}' cannot be listed (${name}: ${message}): ${fix}`,
    {
      cause: err,
    },
  );
}
