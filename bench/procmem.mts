// Peak resident memory of a process tree, from /proc/<pid>/status VmHWM,
// sampled while the tree runs (VmHWM only grows, so the last sample of each
// process is its peak up to that moment).
import { readdirSync, readFileSync } from "node:fs";

export interface PeakMemory {
  /** The engine: the `pulumi` Go binary. */
  readonly engineKb: number;
  /** The dynamic provider host: node running @pulumi/pulumi/cmd/dynamic-provider. */
  readonly providerHostKb: number;
  /** The program: node running @pulumi/pulumi/cmd/run (for context). */
  readonly programKb: number;
}

type Role = "engine" | "providerHost" | "program" | "other";

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function roleOf(pid: number): Role {
  const comm = read(`/proc/${pid}/comm`)?.trim();
  const cmdline = read(`/proc/${pid}/cmdline`)?.replace(/\0/g, " ") ?? "";
  if (comm === "pulumi") return "engine";
  if (cmdline.includes("dynamic-provider")) return "providerHost";
  if (cmdline.includes("@pulumi/pulumi/cmd/run") || cmdline.includes("cmd/run/index")) return "program";
  return "other";
}

/** The pids under `root` (root included), from each process's parent. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    // The parent pid follows the parenthesised command name.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

export class MemorySampler {
  private readonly peaks = new Map<number, { role: Role; kb: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly root: number;

  constructor(root: number, intervalMs = 150) {
    this.root = root;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const pid of tree(this.root)) {
      const status = read(`/proc/${pid}/status`);
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status ?? "")?.[1] ?? 0);
      if (!kb) continue;
      // The role is read again each time: a child seen between fork and exec still
      // shows its parent's name (a provider host forked by the engine reads as
      // "pulumi"), and exec starts a new high-water mark.
      const known = this.peaks.get(pid);
      const role = roleOf(pid);
      this.peaks.set(pid, { role, kb: known?.role === role ? Math.max(kb, known.kb) : kb });
    }
  }

  stop(): PeakMemory {
    clearInterval(this.timer);
    const max = (role: Role) =>
      Math.max(0, ...[...this.peaks.values()].filter((p) => p.role === role).map((p) => p.kb));
    return { engineKb: max("engine"), providerHostKb: max("providerHost"), programKb: max("program") };
  }
}
