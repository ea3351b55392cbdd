import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatePortrait } from "./portrait.js";

/**
 * Writes `<dir>/<person>-<n>.png` for n = 1..photosPerPerson, and
 * `<dir>/<person>-unseen-<n>.png` for photos meant to be kept out of a collection
 * (to check that search recognises a person from a new photo). Returns the paths.
 */
export function writeRosterPhotos(
  dir: string,
  people: string[],
  photosPerPerson: number,
  unseenPerPerson = 0,
): string[] {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const person of people) {
    for (let n = 1; n <= photosPerPerson; n++) {
      const path = join(dir, `${person}-${n}.png`);
      writeFileSync(path, generatePortrait(person, n));
      paths.push(path);
    }
    // Unseen photos use photo numbers no roster photo uses.
    for (let n = 1; n <= unseenPerPerson; n++) {
      const path = join(dir, `${person}-unseen-${n}.png`);
      writeFileSync(path, generatePortrait(person, 100_000 + n));
      paths.push(path);
    }
  }
  return paths;
}
