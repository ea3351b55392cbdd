/** Sorted string arrays: the order pagination walks, kept without re-sorting. */

/** Index of the first element greater than `key` (or equal, with `inclusive`). */
export function lowerBound(sorted: readonly string[], key: string, inclusive = true): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v < key || (!inclusive && v === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertSorted(sorted: string[], key: string): void {
  const i = lowerBound(sorted, key);
  if (sorted[i] !== key) sorted.splice(i, 0, key);
}

export function removeSorted(sorted: string[], key: string): void {
  const i = lowerBound(sorted, key);
  if (sorted[i] === key) sorted.splice(i, 1);
}

const byCodeUnit = (p: string, q: string) => (p < q ? -1 : p > q ? 1 : 0);

/** Adds many keys at once: one sort instead of many splices. */
export function insertManySorted(sorted: string[], keys: readonly string[]): void {
  if (keys.length < 64) {
    for (const k of keys) insertSorted(sorted, k);
    return;
  }
  const merged = [...new Set([...sorted, ...keys])].sort(byCodeUnit);
  sorted.length = 0;
  for (const k of merged) sorted.push(k);
}
