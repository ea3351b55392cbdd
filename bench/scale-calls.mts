// The calls a scale step needs and may make: pure rules shared by the
// benchmark (bench/scale.mts) and its report (bench/scale-report.mts).
// The provider's own poll rules, built (Node's type stripping loads provider/ as CommonJS, without named exports).
import { pollIntervalMs, usersPerPage } from "../dist/provider/aws/settle.js";
import { OLD_PHOTOS_PER_PERSON } from "./scale-sizes.mts";
import type {
  CallTally,
  ChangeCounts,
  FromRun,
  ScaleResults,
  ScaleSample,
  ScaleSize,
  ScaleStepName,
} from "./scale-types.mts";

const FACES_PER_PAGE = 4096;
export const pages = (items: number, per: number): number => Math.max(1, Math.ceil(items / per));
/** ListUsers pages of one scan of a collection of `users` users. */
export const userPages = (users: number): number => pages(users, usersPerPage);

/**
 * The fewest calls the service allows for a step, by operation: every write
 * once, DeleteFaces batched 4096 faces a call over the whole collection,
 * DeleteUser before DeleteFaces (it disassociates the user's faces, so no
 * DisassociateFaces for a removed person), and for refresh one ListUsers scan
 * and one ListFaces scan of the collection. `photos` is photos per person.
 */
export function minimumCalls(
  step: ScaleStepName,
  n: number,
  change: ChangeCounts | undefined,
  before: { users: number; faces: number },
  photos: number,
): Record<string, number> {
  switch (step) {
    case "create":
      return { CreateUser: n, IndexFaces: n * photos, AssociateFaces: n };
    case "no-op up":
      return {};
    case "1 % change": {
      const c = change!;
      const retired = c.lost + photos * c.removed;
      const out: Record<string, number> = {
        CreateUser: c.added,
        IndexFaces: c.gained + photos * c.added,
        AssociateFaces: c.gained + c.added,
        DisassociateFaces: c.lost,
        DeleteFaces: retired > 0 ? pages(retired, FACES_PER_PAGE) : 0,
        DeleteUser: c.removed,
      };
      return Object.fromEntries(Object.entries(out).filter(([, v]) => v > 0));
    }
    case "refresh":
      return readAllowance(before);
    case "destroy":
      return { DeleteUser: before.users, DeleteFaces: pages(before.faces, FACES_PER_PAGE) };
  }
}

/** The read scans a step may make besides its writes: one ListUsers and one ListFaces scan of the collection. */
export function readAllowance(size: { users: number; faces: number }): Record<string, number> {
  return { ListUsers: userPages(size.users), ListFaces: pages(size.faces, FACES_PER_PAGE) };
}

/**
 * The ListUsers calls the waits for ACTIVE may spend during a step of
 * `wallMs` on a collection of `users` users: 2 × (wall ÷ poll interval) ×
 * pages, the poll interval being the provider's (500 ms per ListUsers page).
 */
export function pollingAllowance(wallMs: number, users: number): number {
  return Math.floor((2 * wallMs * userPages(users)) / pollIntervalMs(users));
}

const READS = new Set([
  "ListUsers",
  "ListFaces",
  "DescribeCollection",
  "ListCollections",
  "SearchFaces",
  "SearchFacesByImage",
  "SearchUsers",
  "SearchUsersByImage",
]);

export const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
const split = (made: Record<string, number>) => {
  const writes: Record<string, number> = {};
  const reads: Record<string, number> = {};
  for (const [op, v] of Object.entries(made)) (READS.has(op) ? reads : writes)[op] = v;
  return { writes, reads };
};
/** Calls that reached the service's work: made minus throttled. */
const accepted = (c: CallTally): Record<string, number> =>
  Object.fromEntries(Object.entries(c.made).map(([op, v]) => [op, v - (c.throttled[op] ?? 0)]));
const sameCalls = (a: Record<string, number>, b: Record<string, number>): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};
const within = (a: Record<string, number>, allowance: Record<string, number>): boolean =>
  Object.entries(a).every(([op, v]) => v <= (allowance[op] ?? 0));

/** Photos per person of a size (files from before sizes carried it measured 3). */
export const photosOf = (x: { photosPerPerson?: number }): number =>
  x.photosPerPerson ?? OLD_PHOTOS_PER_PERSON;

/** ListUsers of a step: one scan of the collection, plus what the waits for ACTIVE may poll. */
export interface ListUsersVerdict {
  readonly made: number;
  readonly scan: number;
  readonly polling: number;
  readonly allowed: number;
  readonly ok: boolean;
}

/**
 * The verdict of a step's calls: writes exactly the minimum, reads within one
 * scan of each kind, ListUsers within one scan plus the waits' polling when
 * rekognition-local reports changed users UPDATING (`updatingWindowMs` > 0).
 */
export function callVerdict(size: ScaleSize, sample: ScaleSample, updatingWindowMs: number) {
  const before = size.before[sample.step] ?? { users: 0, faces: 0 };
  const k = photosOf(size);
  const needed = minimumCalls(sample.step, size.n, size.change, before, k);
  const { writes, reads } = split(accepted(sample.calls));
  // The largest the collection is during the step: before it, or after a create or the change's additions.
  const largest =
    sample.step === "create"
      ? { users: size.n, faces: size.n * k }
      : sample.step === "1 % change"
        ? {
            users: before.users + size.change.added,
            faces: before.faces + size.change.gained + k * size.change.added,
          }
        : before;
  const waits = updatingWindowMs > 0 && (sample.step === "create" || sample.step === "1 % change");
  const scan = sample.step === "no-op up" ? 0 : userPages(largest.users);
  const polling = waits ? pollingAllowance(sample.wallMs, largest.users) : 0;
  const made = sample.calls.made["ListUsers"] ?? 0;
  const listUsers: ListUsersVerdict = {
    made,
    scan,
    polling,
    allowed: scan + polling,
    ok: made <= scan + polling,
  };
  if (sample.step === "no-op up")
    return { needed, writes, reads, allowance: {}, listUsers, ok: sum(sample.calls.made) === 0 };
  const allowance = { ...readAllowance(largest), ListUsers: listUsers.allowed };
  if (sample.step === "refresh")
    return { needed, writes, reads, allowance, listUsers, ok: sum(writes) === 0 && within(reads, allowance) };
  const writesNeeded = Object.fromEntries(Object.entries(needed).filter(([op]) => !READS.has(op)));
  return {
    needed: writesNeeded,
    writes,
    reads,
    allowance,
    listUsers,
    ok: sameCalls(writes, writesNeeded) && within(reads, allowance),
  };
}

/**
 * rekognition-local's UPDATING window in the run that measured `item`: as
 * recorded, else read from the run's command (files from before it was
 * recorded ran with 0 unless the command set it).
 */
export function updatingWindowOf(r: ScaleResults, item: FromRun): number {
  const run = item.run ? r.runs?.find((x) => x.label === item.run) : undefined;
  const recorded = run ? run.updatingWindowMs : r.updatingWindowMs;
  if (recorded !== undefined) return recorded;
  const flag = /--scale-updating-window-ms[ =](\d+)/.exec(run?.command ?? r.command);
  return flag ? Number(flag[1]) : 0;
}
