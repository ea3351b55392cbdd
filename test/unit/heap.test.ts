// The provider host's heap settings, in a node process of their own: V8's
// flags are the whole process's, and its young generation only grows under
// a load that keeps some of what it allocates for a while. The process loads
// the built module, as the provider host does (`npm test` builds first).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const heapModule = join(__dirname, "..", "..", "dist", "provider", "runtime", "heap.js");
const MiB = 1024 * 1024;

/**
 * The largest young generation a process reaches while it makes garbage the
 * way a bulk run does (most of it dead at once, some kept a while), with
 * `keepHeapClose` called first or not.
 */
function largestYoungGeneration(keepClose: boolean): number {
  const script = `
    const { keepHeapClose, youngGenerationBytes } = require(${JSON.stringify(heapModule)});
    if (${keepClose}) keepHeapClose();
    const kept = [];
    let largest = 0;
    (async () => {
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < 10000; i++) {
        const made = { round, i, text: "person-" + i, faces: [i, round] };
        if (i % 10 === 0) kept.push(made);
      }
      if (kept.length > 50000) kept.splice(0, 10000);
      // The heap's observer hears of collections between tasks, as a provider's would.
      await new Promise((next) => setImmediate(next));
      largest = Math.max(largest, youngGenerationBytes());
    }
    console.log(largest);
    })();
  `;
  const out = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
  return Number(out.trim());
}

describe("keepHeapClose", () => {
  it("keeps the young generation at or under 32 MiB, where node lets it grow past", () => {
    expect(largestYoungGeneration(false)).toBeGreaterThan(32 * MiB);
    const capped = largestYoungGeneration(true);
    expect(capped).toBeGreaterThan(0);
    expect(capped).toBeLessThanOrEqual(32 * MiB);
  });
});
