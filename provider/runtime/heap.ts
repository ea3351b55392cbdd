import { PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what its last full collection kept, in
 * percent. A bulk run keeps little (150 to 250 MiB at 50,000 people) but its
 * calls make garbage fast: every SDK request, every photo's bytes and their
 * base64. By default V8 then lets the heap grow to about four times what it
 * keeps before it collects it whole: a 50,000-person create peaked at 1 GiB.
 * Measured on that create: 20 % peaked at 554 MiB, 10 % at 507 MiB, 5 % no
 * lower. Set for the whole run, not only while shards write: the diffs and
 * refreshes of 50,000 records peaked higher under V8's default
 * (docs/benchmarks.md, "Scale").
 */
const heapGrowingPercent = 10;

/**
 * The young generation's ceiling: Node 24 grows it to 128 MiB (two 64 MiB
 * semi-spaces), and a bulk run's garbage fills all of it, resident. 32 MiB
 * is what Node 20 and earlier grew it to. Measured side by side on 10,000
 * people × 1 photo, medians of three: the create's peak 256 against 296 MiB
 * in about the same time (64 against 67 s), the no-op's 176 against 203. It
 * costs the no-op a little: 5.74 against 5.49 s at 10,000 × 3 (medians of
 * ten, 188 against 217 MiB). A young generation that never grows (2 MiB)
 * peaked at 200 MiB but made the create 16 % slower.
 */
const youngGenerationCeilingBytes = 32 * 1024 * 1024;

let kept = false;

/**
 * Keeps the heap of the process serving bulk rosters close to what it holds,
 * for more frequent full collections and a young generation no larger than
 * its ceiling. Once for the whole process: the provider host serves
 * providers only, never the program.
 */
export function keepHeapClose(): void {
  if (kept) return;
  kept = true;
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
  capYoungGeneration(youngGenerationCeilingBytes);
}

/**
 * The young generation's size can only be set on node's command line, which
 * is the engine's for the dynamic provider host. What a running process can
 * set is how much it grows at a time: after each collection, it may grow
 * (by V8's default factor) below the ceiling and not at all from there.
 * V8 may shrink it (when the process idles, say), and it grows back to the
 * ceiling.
 */
function capYoungGeneration(ceilingBytes: number): void {
  let growing = true;
  const observer = new PerformanceObserver(() => {
    const below = youngGenerationBytes() < ceilingBytes;
    if (below === growing) return;
    growing = below;
    setFlagsFromString(`--semi-space-growth-factor=${growing ? defaultGrowthFactor : 1}`);
  });
  // An observer keeps no process running: the host still exits when the engine is done.
  observer.observe({ entryTypes: ["gc"] });
}

/** V8's own factor (`node --v8-options`): each growth doubles the young generation. */
const defaultGrowthFactor = 2;

/** The young generation's size now: both semi-spaces, as V8 reports its new space. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0;
}
