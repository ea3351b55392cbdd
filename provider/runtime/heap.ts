import { setFlagsFromString } from "node:v8";

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
 * Keeps the heap of the process serving bulk rosters close to what it holds,
 * for more frequent full collections. For the whole process (setting it again
 * changes nothing): the provider host serves providers only, never the program.
 */
export function keepHeapClose(): void {
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}
