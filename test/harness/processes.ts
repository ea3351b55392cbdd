import { readdirSync, readlinkSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Processes whose working folder is `dir`: the plugins the engine started for a stack. */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) pids.push(Number(entry));
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}

/** Waits up to `timeoutMs` for every process working in `dir` to end; returns those left. */
export async function waitForProcessesToEnd(dir: string, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = processesIn(dir);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(200);
    left = processesIn(dir);
  }
  return left;
}
