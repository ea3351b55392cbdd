// The scale section's "Targets at a glance": each of the issue's targets with
// its verdict read from the results (met, **no**, or not measured), never set by hand.
import { pollIntervalMs } from "../dist/provider/aws/settle.js";
import { callVerdict, photosOf, pollingAllowance, sum, updatingWindowOf, userPages } from "./scale-calls.mts";
import type { ScaleResults, ScaleSample, ScaleSize, ScaleStepName } from "./scale-types.mts";
import { mb, median, ratio, secs } from "./stats.mts";

export const TARGET_QUOTA = 1.2;
export const TARGET_NOOP = 2;
export const TARGET_MIB = 512;
/** N=50,000's first deployment against five times N=10,000's create of the same run. */
export const TARGET_50K_CREATE = 1.2;

export type Verdict = "met" | "**no**" | "not measured";
export interface TargetRow {
  readonly target: string;
  readonly verdict: Verdict;
  readonly measured: string;
}

const verdict = (ok: boolean): Verdict => (ok ? "met" : "**no**");
const fmt = (n: number): string => n.toLocaleString("en-US");
const stepOf = (s: ScaleSize, step: ScaleStepName): ScaleSample[] => s.samples.filter((x) => x.step === step);
const wall = (samples: readonly ScaleSample[]): number => median(samples.map((x) => x.wallMs));
const fmtCalls = (r: Record<string, number>): string => {
  const entries = Object.entries(r).filter(([, v]) => v > 0);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} ${v}`).join(", ");
};
/** The size measured at N: the default 3 photos a person first, else any. */
const sizeAt = (r: ScaleResults, n: number): ScaleSize | undefined =>
  r.sizes.find((s) => s.n === n && photosOf(s) === 3) ?? r.sizes.find((s) => s.n === n);
const absent = (target: string, n: number): TargetRow => ({
  target,
  verdict: "not measured",
  measured: `N=${fmt(n)} not in this report`,
});
const label = (s: ScaleSize): string => `N=${fmt(s.n)} × ${photosOf(s)}${s.run ? ` (${s.run})` : ""}`;

function noopRow(s: ScaleSize | undefined, n: number, zeroCalls: boolean): TargetRow {
  const target = `N=${fmt(n)}: no-op up ≤ ${TARGET_NOOP} × the empty roster${zeroCalls ? ", 0 calls" : ""}`;
  if (!s) return absent(target, n);
  const noop = stepOf(s, "no-op up").filter((x) => x.ok);
  const empty = s.emptyNoop.filter((x) => x.step === "no-op up" && x.ok);
  if (noop.length === 0 || empty.length === 0)
    return {
      target,
      verdict: "not measured",
      measured: `${label(s)}: no successful no-op up of both stacks`,
    };
  const rr = wall(noop) / wall(empty);
  const calls = noop.reduce((a, x) => a + sum(x.calls.made), 0);
  return {
    target,
    verdict: verdict(rr <= TARGET_NOOP && (!zeroCalls || calls === 0)),
    measured: `${label(s)}: ${secs(wall(noop))} s against ${secs(wall(empty))} s, ${ratio(rr)}×; ${calls} calls`,
  };
}

function memoryRow(s: ScaleSize | undefined, n: number): TargetRow {
  const target = `N=${fmt(n)}: provider host and engine each ≤ ${TARGET_MIB} MiB`;
  if (!s) return absent(target, n);
  if (s.samples.length === 0)
    return { target, verdict: "not measured", measured: `${label(s)}: no step ran` };
  const host = Math.max(...s.samples.map((x) => x.memory.providerHostKb));
  const engine = Math.max(...s.samples.map((x) => x.memory.engineKb));
  return {
    target,
    verdict: verdict(host / 1024 <= TARGET_MIB && engine / 1024 <= TARGET_MIB),
    measured: `${label(s)}: provider host ${mb(host)} MiB, engine ${mb(engine)} MiB (peaks over the steps)`,
  };
}

function callsRow(r: ScaleResults, s: ScaleSize | undefined, n: number, step: ScaleStepName): TargetRow {
  const target = `N=${fmt(n)}: calls = the minimum, ${step}`;
  if (!s) return absent(target, n);
  const sample = stepOf(s, step)[0];
  if (!sample) return { target, verdict: "not measured", measured: `${label(s)}: no ${step} step` };
  const v = callVerdict(s, sample, updatingWindowOf(r, s));
  return {
    target,
    verdict: verdict(v.ok),
    measured: `${label(s)}: writes ${fmtCalls(v.writes)} against ${fmtCalls(v.needed)}; reads ${fmtCalls(v.reads)} (allowed ${fmtCalls(v.allowance)})`,
  };
}

/** At N=10,000 the real quotas' T_min is 33 to 100 minutes: the target is judged at ten times the quotas. */
function quotaRow(r: ScaleResults, n: number, factor: number): TargetRow {
  const quotas = factor === 1 ? "quota" : `quota ×${factor}`;
  const target = `N=${fmt(n)} under ${quotas}: wall ≤ ${TARGET_QUOTA} × T_min, both profiles`;
  const runs = r.quota.filter((q) => q.n === n && q.factor === factor);
  if (runs.length === 0)
    return {
      target,
      verdict: "not measured",
      measured: r.notMeasured.find((x) => x.includes(`N=${n} `)) ?? "not run at the stated quotas",
    };
  const missing = ["uniform", "mixed"].filter((p) => !runs.some((q) => q.profile.name === p));
  const ok = runs.every((q) => q.sample.ok && q.sample.wallMs / q.tMinMs <= TARGET_QUOTA);
  return {
    target,
    verdict: !ok ? "**no**" : missing.length > 0 ? "not measured" : "met",
    measured: [
      ...runs.map(
        (q) =>
          `${q.profile.name}: ${ratio(q.sample.wallMs / q.tMinMs)} (${secs(q.sample.wallMs)} s / ${secs(q.tMinMs)} s)${q.sample.ok ? "" : ", failed"}`,
      ),
      ...missing.map((p) => `${p}: not measured`),
    ].join("; "),
  };
}

function listUsersRow(r: ScaleResults, n: number): TargetRow {
  const pages = userPages(n);
  const target = `N=${fmt(n)} under the default quotas: ListUsers during create ≤ 2 × (wall ÷ ${pollIntervalMs(n)} ms poll interval) × ${pages} pages`;
  const runs = r.quota.filter((q) => q.n === n && q.factor === 1);
  if (runs.length === 0)
    return {
      target,
      verdict: "not measured",
      measured: r.notMeasured.find((x) => x.includes(`N=${n} `)) ?? "no quota run at this N",
    };
  const rows = runs.map((q) => {
    const made = q.sample.calls.made["ListUsers"] ?? 0;
    const bound = pollingAllowance(q.sample.wallMs, n);
    return { q, made, bound, ok: made <= bound };
  });
  const windows = [...new Set(runs.map((q) => updatingWindowOf(r, q)))];
  return {
    target,
    verdict: verdict(rows.every((x) => x.ok)),
    measured:
      rows
        .map(
          ({ q, made, bound }) =>
            `${q.profile.name}: ${made} against ≤ ${bound} (${secs(q.sample.wallMs)} s)`,
        )
        .join("; ") + `; UPDATING window ${windows.join(", ")} ms`,
  };
}

function firstDeploymentRow(big: ScaleSize | undefined, ten: ScaleSize | undefined): TargetRow {
  const target = `N=50,000: first deployment ≤ ${TARGET_50K_CREATE} × (5 × N=10,000's create of the same run)`;
  if (!big || !ten)
    return {
      target,
      verdict: "not measured",
      measured:
        [!big && "N=50,000", !ten && "N=10,000"].filter(Boolean).join(" and ") + " not in this report",
    };
  if (big.run !== ten.run)
    return {
      target,
      verdict: "not measured",
      measured: `N=50,000 (${big.run ?? "this run"}) and N=10,000 (${ten.run ?? "this run"}) come from different runs`,
    };
  const a = stepOf(big, "create")[0];
  const b = stepOf(ten, "create")[0];
  if (!a?.ok || !b?.ok)
    return {
      target,
      verdict: a && !a.ok ? "**no**" : "not measured",
      measured: "a create failed or did not run",
    };
  const limit = TARGET_50K_CREATE * 5 * b.wallMs;
  return {
    target,
    verdict: verdict(a.wallMs <= limit),
    measured: `${label(big)}: ${secs(a.wallMs)} s against ${secs(limit)} s (${label(ten)}: ${secs(b.wallMs)} s); ${ratio(a.wallMs / (5 * b.wallMs))} × 5 × N=10,000`,
  };
}

/** The issue's targets at N=10,000, N=1,000 under quota and N=50,000, in that order. */
export function scaleTargets(r: ScaleResults): TargetRow[] {
  const ten = sizeAt(r, 10000);
  const big = sizeAt(r, 50000);
  return [
    noopRow(ten, 10000, true),
    memoryRow(ten, 10000),
    ...(["create", "1 % change", "refresh", "destroy"] as const).map((step) => callsRow(r, ten, 10000, step)),
    quotaRow(r, 10000, 10),
    listUsersRow(r, 1000),
    noopRow(big, 50000, false),
    memoryRow(big, 50000),
    firstDeploymentRow(big, ten),
  ];
}

export function renderTargets(rows: readonly TargetRow[]): string[] {
  return [
    "| target | met? | measured |",
    "|---|:-:|---|",
    ...rows.map((x) => `| ${x.target} | ${x.verdict} | ${x.measured} |`),
  ];
}
