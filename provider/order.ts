// One order for text: by UTF-16 code unit, the same on every machine whatever
// its locale (localeCompare is not), so what is sorted for the state or a
// digest never changes with where it runs.

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
