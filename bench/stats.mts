export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const min = (values: readonly number[]): number => Math.min(...values);
export const max = (values: readonly number[]): number => Math.max(...values);

/** Seconds with a precision that suits the size. */
export function secs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const s = ms / 1000;
  return s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0);
}

/** "median (min–max)" in seconds; just the value for one run. */
export function spread(values: readonly number[]): string {
  if (values.length === 0) return "–";
  if (values.length === 1) return secs(values[0]!);
  return `${secs(median(values))} (${secs(min(values))}–${secs(max(values))})`;
}

export const mb = (kb: number): string => (kb > 0 ? `${Math.round(kb / 1024)}` : "–");

export const ratio = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : "–");
