import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what its last full collection kept, in
 * percent, while shards write. A bulk run keeps little (150 to 250 MiB at
 * 50,000 people) but its calls make garbage fast: every SDK request, every
 * photo's bytes and their base64. By default V8 then lets the heap grow to
 * about four times what it keeps before it collects it whole: a
 * 50,000-person create peaked at 1 GiB. Measured on that create: 20 % peaked
 * at 554 MiB, 10 % at 507 MiB (docs/benchmarks.md, "Scale").
 */
const writingGrowthPercent = 10;

/** Shard runs writing now, in this process. */
let writing = 0;

function setGrowth(percent: number): void {
  // 0 is V8's own default: a factor it picks from its collection speed.
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * Runs `write` with the process's heap kept close to what it holds, for more
 * frequent full collections. Only while shards write: checks and diffs make
 * little garbage and read much, and collect faster under V8's default.
 */
export async function keepingHeapClose<T>(write: () => Promise<T>): Promise<T> {
  if (writing++ === 0) setGrowth(writingGrowthPercent);
  try {
    return await write();
  } finally {
    if (--writing === 0) setGrowth(0);
  }
}
