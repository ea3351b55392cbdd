import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { decodeCommit, encodeCommit, type Snapshot } from "./codec.js";
import type { Commit } from "./types.js";

/**
 * Crash-safe persistence: an append-only journal, one fsync'd JSON line per commit,
 * and a snapshot written to a temporary file, fsync'd, then renamed over the old one.
 *
 * A kill at any point leaves either a complete snapshot plus whole journal lines, or
 * a torn final line, which is dropped on load (its call was never acknowledged, as
 * acknowledgement waits for the fsync). Journal lines carry sequence numbers, so
 * lines already folded into the snapshot are skipped if a crash came between the
 * rename and the journal truncation.
 */
export class Journal {
  private fd: number | undefined;
  private readonly journalPath: string;
  private readonly snapshotPath: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.journalPath = join(dir, "journal.ndjson");
    this.snapshotPath = join(dir, "snapshot.json");
  }

  /** Reads the snapshot and the journal commits after it, then opens the journal for appending. */
  load(): { snapshot: Snapshot | undefined; commits: { seq: number; commit: Commit }[] } {
    let snapshot: Snapshot | undefined;
    if (existsSync(this.snapshotPath)) {
      snapshot = JSON.parse(readFileSync(this.snapshotPath, "utf8")) as Snapshot;
    }
    const commits: { seq: number; commit: Commit }[] = [];
    let goodBytes = 0;
    if (existsSync(this.journalPath)) {
      const data = readFileSync(this.journalPath);
      let start = 0;
      while (start < data.length) {
        const end = data.indexOf(0x0a, start);
        // A line without its newline is a torn write: stop there.
        if (end < 0) break;
        let entry: { seq: number; commit: Commit };
        try {
          entry = decodeCommit(data.subarray(start, end).toString("utf8"));
        } catch {
          break;
        }
        if (!snapshot || entry.seq > snapshot.seq) commits.push(entry);
        start = end + 1;
        goodBytes = start;
      }
    }
    this.fd = openSync(this.journalPath, "a+");
    // Cut off a torn tail so new lines never follow garbage.
    ftruncateSync(this.fd, goodBytes);
    fsyncSync(this.fd);
    return { snapshot, commits };
  }

  /** Appends one commit and waits for it to reach the disk. */
  append(seq: number, commit: Commit): void {
    if (this.fd === undefined) throw new Error("journal is not open");
    writeSync(this.fd, encodeCommit(seq, commit) + "\n");
    fsyncSync(this.fd);
  }

  /** Replaces the snapshot atomically, then empties the journal it now contains. */
  writeSnapshot(snapshot: Snapshot): void {
    const tmp = `${this.snapshotPath}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(snapshot));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.snapshotPath);
    this.syncDir();
    if (this.fd !== undefined) {
      ftruncateSync(this.fd, 0);
      fsyncSync(this.fd);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private syncDir(): void {
    try {
      const fd = openSync(this.dir, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // Some platforms cannot fsync a directory; the rename is still atomic there.
    }
  }
}
