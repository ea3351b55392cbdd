import { readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { describe, faceIdPattern, identifierProblem, userIdRule } from "../identifiers.js";
import { parseManifest, type Located, type ManifestFormat, type ManifestPerson } from "./manifest-parse.js";
import { RosterError } from "./plan.js";

/** The people of a roster: a photo list per user ID, as `FaceRoster`'s `people` input takes it. */
export type People = Record<string, string[]>;

const formats: Readonly<Record<string, ManifestFormat>> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".json": "json",
  ".csv": "csv",
};

/**
 * The roster's people, from exactly one of `people` (returned as is, for
 * planRoster to check) and `manifest` (a file read, checked and resolved).
 */
export function rosterPeople(
  rosterName: string,
  people: unknown,
  manifest: unknown,
  stackDir: string = process.cwd(),
): unknown {
  const prefix = `FaceRoster '${rosterName}'`;
  if (people !== undefined && manifest !== undefined)
    throw new RosterError(`${prefix}: set people or manifest, not both: remove one of them`);
  if (manifest === undefined) {
    if (people === undefined)
      throw new RosterError(
        `${prefix}: set people (for instance { alice: ["photos/alice-1.png"] }) or manifest (a .yaml, .json or .csv file)`,
      );
    return people;
  }
  if (typeof manifest !== "string" || manifest === "")
    throw new RosterError(
      `${prefix}: manifest must be the path of a .yaml, .yml, .json or .csv file, got ${describe(manifest)}`,
    );
  return loadManifest(rosterName, manifest, stackDir);
}

/**
 * Reads a manifest file (its path relative to the stack's folder) into the
 * same people map the equivalent inline declaration gives. Reads that one
 * file and nothing else; every problem names the file, the line, the entry
 * and the fix.
 */
export function loadManifest(rosterName: string, file: string, stackDir: string = process.cwd()): People {
  const prefix = `FaceRoster '${rosterName}': manifest '${file}'`;
  const format = formats[extname(file).toLowerCase()];
  if (!format)
    throw new RosterError(
      `${prefix}: unknown format '${extname(file)}': name the file .yaml, .yml, .json or .csv`,
    );
  const path = resolve(stackDir, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RosterError(
      `${prefix}: cannot be read (${code ?? (err as Error).message}, looked for ${path}): ` +
        `give its path relative to the stack's folder`,
    );
  }
  return manifestPeople(rosterName, file, text, format, dirname(path), stackDir);
}

/** The people of a manifest's text. Pure: `manifestDir` and `stackDir` only resolve photo paths. */
export function manifestPeople(
  rosterName: string,
  file: string,
  text: string,
  format: ManifestFormat,
  manifestDir: string,
  stackDir: string,
): People {
  const parsed = parseManifest(text, format, file);
  const checked = parsed.problems
    ? { problems: parsed.problems }
    : checkPeople(parsed.people, file, manifestDir, stackDir);
  if (checked.problems.length > 0)
    throw new RosterError(
      `FaceRoster '${rosterName}': manifest '${file}':\n  - ${checked.problems.join("\n  - ")}`,
    );
  return checked.people!;
}

/** Where a photo was first listed: the person and the line. */
interface FirstSeen {
  readonly userId: string;
  readonly line: number;
}

function checkPeople(
  persons: readonly ManifestPerson[],
  file: string,
  manifestDir: string,
  stackDir: string,
): { people?: People; problems: string[] } {
  const problems: string[] = [];
  const people: People = {};
  const userLines = new Map<string, number>();
  // A photo shows one person and a face belongs to one user: an entry listed twice is a mistake.
  const seen = new Map<string, FirstSeen>();
  if (persons.length === 0)
    problems.push(`${file}: declares no one: add people (for instance a row 'alice,photos/alice-1.png')`);
  for (const { userId: located, photos } of persons) {
    const at = `${file}:${located.line}`;
    if (typeof located.value !== "string") {
      problems.push(`${at}: the user ID must be a string, got ${describe(located.value)}: quote it`);
      continue;
    }
    const userId = located.value;
    const problem = identifierProblem(userId, userIdRule);
    if (problem) problems.push(`${at}: people: the user ID ${problem}: rename the person`);
    const earlier = userLines.get(userId);
    if (earlier !== undefined) {
      problems.push(
        `${at}: people: '${userId}' is listed again (first on line ${earlier}): merge the two entries`,
      );
      continue;
    }
    userLines.set(userId, located.line);
    if (photos.length === 0) {
      problems.push(
        `${at}: people.${userId} lists no photo: add photo paths, s3:// URLs or face IDs, or remove the person`,
      );
      continue;
    }
    const entries: string[] = [];
    for (const photo of photos) {
      const where = `${file}:${photo.line}: people.${userId}[${entries.length}]`;
      const entry = resolveEntry(photo, manifestDir, stackDir);
      if ("problem" in entry) {
        problems.push(`${where} ${entry.problem}`);
        continue;
      }
      const first = seen.get(entry.key);
      if (first) {
        problems.push(
          first.userId === userId
            ? `${where} repeats '${entry.value}' (line ${first.line}): remove the duplicate`
            : `${where} '${entry.value}' is also listed for ${first.userId} (line ${first.line}): ` +
                `a photo shows one person, keep it under one of them`,
        );
        continue;
      }
      seen.set(entry.key, { userId, line: photo.line });
      entries.push(entry.value);
    }
    people[userId] = entries;
  }
  return problems.length > 0 ? { problems } : { people, problems };
}

/**
 * An entry as the inline declaration would write it: face IDs and s3:// URLs
 * as they are, a local path made relative to the stack's folder (which is
 * what IndexedFace reads it from), with `/` separators. `key` compares entries.
 */
function resolveEntry(
  photo: Located<unknown>,
  manifestDir: string,
  stackDir: string,
): { value: string; key: string } | { problem: string } {
  const value = photo.value;
  const kinds = "a photo path, an s3://bucket/key URL or a face ID";
  if (typeof value !== "string" || value === "")
    return { problem: `must be ${kinds}, got ${describe(value)}` };
  if (faceIdPattern.test(value.toLowerCase())) return { value, key: value.toLowerCase() };
  if (/^s3:/i.test(value)) {
    if (!/^s3:\/\/[^/?]+\/[^?]+(\?versionId=.+)?$/.test(value))
      return {
        problem: `'${value}' is not an s3 URL Rekognition can read: write s3://bucket/key (optionally ?versionId=…)`,
      };
    return { value, key: value };
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(value))
    return {
      problem: `'${value}' is not ${kinds}: download the photo and list its path, or copy it to S3`,
    };
  if (isAbsolute(value)) return { value, key: value };
  if (manifestDir === stackDir && isPlainRelative(value)) return { value, key: value };
  const fromStack = relative(stackDir, resolve(manifestDir, value)).split(sep).join("/");
  return { value: fromStack, key: fromStack };
}

/** A path that resolving and making relative again leaves as it is: no `.`, `..` or empty part, no `\\`, no drive. */
function isPlainRelative(path: string): boolean {
  if (path.includes("\\") || path.includes(":")) return false;
  return path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}
