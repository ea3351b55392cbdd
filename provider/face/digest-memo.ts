// The photo digests a check read, remembered across runs by each file's
// stamp (size and modification time), so a run over thousands of unchanged
// photos reads none of them. A memo, not a record: it lives in the user's
// cache folder, never in the stack's state, and a memo that is missing,
// unreadable or unwritable only means the photos are read again.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface DigestMemo {
  /** The digest read from this file when it had this stamp, if remembered. */
  recall(path: string, stamp: string): string | undefined;
  /** Remembers what was read, or recalled, this run: the next run's memo holds these only. */
  remember(path: string, stamp: string, digest: string): void;
  /** Writes the memo if it changed; errors are ignored (the next run reads the photos again). */
  save(): Promise<void>;
}

/** Where memos live: `$REKOGNITION_FACES_CACHE_DIR`, else the platform's cache folder. */
export function memoFolder(env: NodeJS.ProcessEnv = process.env): string {
  const own = env["REKOGNITION_FACES_CACHE_DIR"];
  if (own) return own;
  const cache = env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(cache, "pulumi-rekognition-faces", "photo-digests");
}

/** A memo that remembers nothing: every photo is read. */
export const noMemo: DigestMemo = {
  recall: () => undefined,
  remember: () => undefined,
  save: async () => undefined,
};

/** The memo of one owner (a stack's shard, say), loaded from `folder`. */
export async function loadDigestMemo(owner: string, folder = memoFolder()): Promise<DigestMemo> {
  const file = join(folder, `${createHash("sha256").update(owner).digest("hex").slice(0, 32)}.json`);
  const known = new Map<string, string>();
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      for (const [path, value] of Object.entries(parsed))
        if (typeof value === "string") known.set(path, value);
  } catch {
    // none yet, or unreadable: the photos are read
  }
  const seen = new Map<string, string>();
  const entry = (stamp: string, digest: string): string => `${stamp} ${digest}`;
  return {
    recall(path, stamp) {
      const value = known.get(resolve(path));
      return value?.startsWith(`${stamp} `) ? value.slice(stamp.length + 1) : undefined;
    },
    remember(path, stamp, digest) {
      seen.set(resolve(path), entry(stamp, digest));
    },
    async save() {
      const same = seen.size === known.size && [...seen].every(([path, value]) => known.get(path) === value);
      if (same) return;
      try {
        await mkdir(folder, { recursive: true });
        // Written aside and renamed: a reader never sees half a memo.
        const aside = `${file}.${process.pid}.tmp`;
        await writeFile(aside, objectText(seen));
        await rename(aside, file);
      } catch {
        // an unwritable cache folder: the next run reads the photos again
      }
    },
  };
}

/**
 * The JSON object of a map's entries, written entry by entry: building the
 * object first (Object.fromEntries) costs V8 a hidden class per key, which
 * for a shard's thousands of photo paths is megabytes of garbage a save.
 */
function objectText(entries: ReadonlyMap<string, string>): string {
  const members: string[] = [];
  for (const [key, value] of entries) members.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${members.join(",")}}`;
}
