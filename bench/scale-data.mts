// The scale benchmark's data: synthetic portraits written once to bench/.photos/
// (git-ignored, reused by every run) and a CSV manifest (`userId,photo` rows)
// per roster, written line by line, so the stack program has no loop and the
// benchmark holds no image in memory.
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatePortrait } from "pulumi-rekognition-faces/emulator";
import { repoRoot } from "./stack.mts";

export const photoDir = join(repoRoot, "bench", ".photos");

export const userIdOf = (person: number): string => `person-${String(person).padStart(5, "0")}`;
export const photoName = (person: number, photo: number): string => `${userIdOf(person)}-${photo}.png`;

/** Writes the photo unless a previous run did; true when it had to be drawn. */
export function ensurePhoto(person: number, photo: number): boolean {
  const path = join(photoDir, photoName(person, photo));
  if (existsSync(path)) return false;
  mkdirSync(photoDir, { recursive: true });
  // Written under a temporary name first: an interrupted run leaves no half-written photo.
  writeFileSync(`${path}.tmp`, generatePortrait(userIdOf(person), photo));
  renameSync(`${path}.tmp`, path);
  return true;
}

/** A roster: each person and the photo numbers they are declared with. */
export type Roster = ReadonlyMap<number, readonly number[]>;

const photoNumbers = (k: number): number[] => Array.from({ length: k }, (_, i) => i);

/** People 0..n-1 with photos 0..k-1. */
export function baseRoster(n: number, k: number): Roster {
  const roster = new Map<number, number[]>();
  for (let p = 0; p < n; p++) roster.set(p, photoNumbers(k));
  return roster;
}

export interface Change {
  readonly roster: Roster;
  readonly gained: number;
  readonly lost: number;
  readonly added: number;
  readonly removed: number;
}

/**
 * The 1 % change: ⌈n/100⌉ people, spread over the roster, in turn gain a
 * photo (number k), lose their last photo, are removed, or are added (new
 * people after the last, with k photos). With one photo a person, losing it
 * would remove them, so the turn skips that kind.
 */
export function onePercentChange(base: Roster, k: number): Change {
  const n = base.size;
  const changed = Math.max(1, Math.ceil(n / 100));
  const roster = new Map<number, readonly number[]>(base);
  const counts = { gained: 0, lost: 0, added: 0, removed: 0 };
  const kinds = k > 1 ? [0, 1, 2, 3] : [0, 2, 3];
  for (let j = 0; j < changed; j++) {
    const person = Math.floor((j * n) / changed);
    switch (kinds[j % kinds.length]) {
      case 0:
        roster.set(person, [...(base.get(person) ?? []), k]);
        counts.gained++;
        break;
      case 1:
        roster.set(person, (base.get(person) ?? []).slice(0, -1));
        counts.lost++;
        break;
      case 2:
        roster.delete(person);
        counts.removed++;
        break;
      default:
        roster.set(n + counts.added, photoNumbers(k));
        counts.added++;
    }
  }
  return { roster, ...counts };
}

export const photoCount = (roster: Roster): number =>
  [...roster.values()].reduce((sum, photos) => sum + photos.length, 0);

/** Draws every photo the roster lists that is not on disk yet; returns how many were drawn. */
export function ensureRosterPhotos(roster: Roster, log?: (line: string) => void): number {
  let drawn = 0;
  const started = performance.now();
  for (const [person, photos] of roster) {
    for (const photo of photos) if (ensurePhoto(person, photo)) drawn++;
    if (log && drawn > 0 && drawn % 3000 === 0)
      log(`  drew ${drawn} photos (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return drawn;
}

/**
 * Writes the roster as a CSV manifest, one `userId,photo` row per photo, the
 * photo paths relative to the manifest's folder (`photos/` links to bench/.photos/).
 */
export async function writeManifest(path: string, roster: Roster): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const write = async (line: string): Promise<void> => {
    if (!out.write(line)) await once(out, "drain");
  };
  await write("userId,photo\n");
  for (const [person, photos] of [...roster].sort(([a], [b]) => a - b))
    for (const photo of photos) await write(`${userIdOf(person)},photos/${photoName(person, photo)}\n`);
  out.end();
  await once(out, "finish");
}

/** `node bench/scale-data.mts N [K]`: draws the photos of people 0..N-1, K each (default 3), and of the 1 % change, ahead of a run. */
if (import.meta.main) {
  const n = Number(process.argv[2] ?? 1000);
  const k = Number(process.argv[3] ?? 3);
  const base = baseRoster(n, k);
  const drawn =
    ensureRosterPhotos(base, (line) => process.stderr.write(`${line}\n`)) +
    ensureRosterPhotos(onePercentChange(base, k).roster);
  process.stderr.write(`${drawn} photos drawn into ${photoDir}\n`);
}
