import { createHash } from "node:crypto";

/**
 * Pulumi resource names derived from Rekognition IDs. A user ID may hold `.`
 * and `:` (`[a-zA-Z0-9_.\-:]+`); a name keeps letters, digits, `_` and `-`
 * only, so that it reads the same in a URN, a file and the generated code.
 */
const unsafe = /[^A-Za-z0-9_-]/g;

export function safeName(id: string): string {
  return id.replace(unsafe, "-");
}

const shortHash = 8;
const fullHash = 64;

/**
 * A unique name for each ID, decided by the set of IDs alone (any order gives
 * the same answer). An ID that is its own safe name keeps it; so does one
 * whose safe name no other ID shares. IDs that would share a name (`a.b`,
 * `a:b`, `a-b`) get a hash of the ID after it, longer if that still collides.
 */
export function uniqueNames(ids: Iterable<string>): Map<string, string> {
  const byBase = new Map<string, string[]>();
  for (const id of new Set(ids)) {
    const base = safeName(id);
    const group = byBase.get(base);
    if (group) group.push(id);
    else byBase.set(base, [id]);
  }
  const hashed = new Set<string>();
  for (const [base, group] of byBase) {
    if (group.length === 1) continue;
    for (const id of group) if (id !== base) hashed.add(id);
  }
  let length = shortHash;
  for (;;) {
    const names = new Map<string, string>();
    for (const [base, group] of byBase) {
      for (const id of group) names.set(id, hashed.has(id) ? `${base}-${hashOf(id, length)}` : base);
    }
    const clashing = clashes(names);
    if (clashing.size === 0) return names;
    // A hashed name met another ID's name: only hashed names can lengthen.
    const more = [...clashing].filter((id) => hashed.has(id) || safeName(id) !== id);
    if (length === fullHash || more.length === 0) {
      throw new Error(`cannot give these IDs distinct names: ${[...clashing].join(", ")}`);
    }
    for (const id of more) hashed.add(id);
    length = fullHash;
  }
}

function hashOf(id: string, length: number): string {
  return createHash("sha256").update(id).digest("hex").slice(0, length);
}

/** The IDs whose name another ID has too. */
function clashes(names: ReadonlyMap<string, string>): Set<string> {
  const holders = new Map<string, string[]>();
  for (const [id, name] of names) {
    const list = holders.get(name);
    if (list) list.push(id);
    else holders.set(name, [id]);
  }
  const clashing = new Set<string>();
  for (const list of holders.values()) if (list.length > 1) for (const id of list) clashing.add(id);
  return clashing;
}
