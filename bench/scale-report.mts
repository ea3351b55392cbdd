// Renders the scale results: the "Scale: the bulk roster" section of
// docs/benchmarks.md and its plot, docs/benchmarks-scale.svg.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { minimumCalls, readAllowance } from "./scale.mts";
import type {
  CallTally,
  ScaleQuotaRun,
  ScaleResults,
  ScaleSample,
  ScaleSize,
  ScaleStepName,
} from "./scale-types.mts";
import { SCALE_STEPS } from "./scale-types.mts";
import { max, mb, median, min, ratio, secs } from "./stats.mts";

export const SCALE_BEGIN = "<!-- scale:begin -->";
export const SCALE_END = "<!-- scale:end -->";
const TARGET_QUOTA = 1.2;
const TARGET_NOOP = 2;
const TARGET_HOST_MIB = 512;
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

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
const fmtCalls = (r: Record<string, number>): string => {
  const entries = Object.entries(r).filter(([, v]) => v > 0);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} ${v}`).join(", ");
};
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

const stepOf = (s: ScaleSize, step: ScaleStepName): ScaleSample[] => s.samples.filter((x) => x.step === step);
const wall = (samples: readonly ScaleSample[]): number => median(samples.map((x) => x.wallMs));
const wallCell = (samples: readonly ScaleSample[]): string => {
  if (samples.length === 0) return "–";
  const w = samples.map((x) => x.wallMs);
  return w.length === 1
    ? secs(w[0]!)
    : `${secs(median(w))} (${secs(min(w))}–${secs(max(w))}, ${w.length} runs)`;
};
const mark = (ok: boolean): string => (ok ? "yes" : "**no**");
const from = (x: { run?: string }): string => (x.run ? ` (${x.run})` : "");

/** The verdict of a step's calls: writes exactly the minimum, reads within one scan of each kind. */
export function callVerdict(size: ScaleSize, sample: ScaleSample) {
  const before = size.before[sample.step] ?? { users: 0, faces: 0 };
  const needed = minimumCalls(sample.step, size.n, size.change, before, size.photos);
  const { writes, reads } = split(accepted(sample.calls));
  if (sample.step === "refresh") {
    const allowance = readAllowance(before);
    return { needed, writes, reads, allowance, ok: sum(writes) === 0 && within(reads, allowance) };
  }
  if (sample.step === "no-op up")
    return { needed, writes, reads, allowance: {}, ok: sum(sample.calls.made) === 0 };
  // The largest the collection is during the step: before it, or after a create.
  const largest =
    sample.step === "create"
      ? { users: size.n, faces: size.photos }
      : sample.step === "1 % change"
        ? {
            users: before.users + size.change.added,
            faces: before.faces + size.change.gained + 3 * size.change.added,
          }
        : before;
  const allowance = readAllowance(largest);
  const writesNeeded = Object.fromEntries(Object.entries(needed).filter(([op]) => !READS.has(op)));
  return {
    needed: writesNeeded,
    writes,
    reads,
    allowance,
    ok: sameCalls(writes, writesNeeded) && within(reads, allowance),
  };
}

export function renderScale(r: ScaleResults, svgName: string): { markdown: string; svg: string } {
  const md: string[] = [];
  const push = (...lines: string[]) => md.push(...lines);
  const largest = r.sizes.reduce<ScaleSize | undefined>((a, s) => (!a || s.n > a.n ? s : a), undefined);
  push(
    SCALE_BEGIN,
    "## Scale: the bulk roster",
    "",
    ...(r.runs && r.runs.length > 1
      ? [
          "_Measured in these runs (each table says which run each row comes from); the sections above come from the run named under Machine:_",
          "",
          ...r.runs.map(
            (x) =>
              `- **${x.label}**: \`${x.command}\`, ${x.date}${x.commit ? `, at commit ${x.commit}` : ""}`,
          ),
        ]
      : [
          `_From \`${r.command}\`, ${r.date}${r.commit ? `, at commit ${r.commit}` : ""} (${(r.totalMs / 60000).toFixed(1)} min); the sections above come from the run named under Machine._`,
        ]),
    "",
    '`new FaceRoster(name, { collectionId, manifest: "people.csv", mode: "bulk" })`: a fixed number of FaceRosterShard',
    "resources (16 by default), each reconciling its share of the people with parallel, pipelined calls",
    "(CreateUser → IndexFaces per photo → AssociateFaces; removals DisassociateFaces → DeleteFaces → DeleteUser).",
    "",
    "### How it is measured",
    "",
    "- N people × 3 photos: synthetic portraits (`generatePortrait` from `pulumi-rekognition-faces/emulator`, 160×200 PNG) drawn once",
    "  into `bench/.photos/` (git-ignored) and reused; the program reads them from a CSV manifest (`userId,photo` rows), no loop.",
    "- rekognition-local in process (synthetic face model, `updatingWindowMs: 0`), a fresh collection per roster; every request",
    "  it answers is counted by operation from its request log (throttled ones too). Each step is a real `pulumi` CLI command on",
    "  the local file backend (`--skip-preview`).",
    "- Steps: **create**; **no-op up** (repeated, median); **1 % change**: ⌈N/100⌉ people spread over the roster, in turn gaining a",
    "  fourth photo, losing their third, removed, or added (new people); **refresh**; **destroy**. After create and the change the",
    "  service must hold exactly the declared roster (each person with one face a photo, no other user, no stray face); after",
    "  destroy, nothing.",
    "- Peak memory: VmHWM of the engine (`pulumi`) and of the dynamic provider host, sampled every 150 ms (bench/procmem.mts).",
    "- The empty roster: the same program with `people: {}`, created, then its no-op `up` measured the same way.",
    "",
  );

  // Targets at a glance.
  push("### Targets at a glance", "", "| target | met? | measured |", "|---|:-:|---|");
  for (const n of [1000, 10000]) {
    const runs = r.quota.filter((q) => q.n === n);
    if (runs.length === 0) {
      push(
        `| under quota, N=${n}: wall ≤ ${TARGET_QUOTA} × T_min | not measured | ${r.notMeasured.find((x) => x.includes(`N=${n} `)) ?? "not run"} |`,
      );
      continue;
    }
    const worst = runs.reduce((a, q) => (q.sample.wallMs / q.tMinMs > a.sample.wallMs / a.tMinMs ? q : a));
    const ok = runs.every((q) => q.sample.ok && q.sample.wallMs / q.tMinMs <= TARGET_QUOTA);
    push(
      `| under quota, N=${n}: wall ≤ ${TARGET_QUOTA} × T_min | ${mark(ok)} | ${runs
        .map(
          (q) =>
            `${q.profile.name}${q.factor !== 1 ? ` ×${q.factor}` : ""}: ${ratio(q.sample.wallMs / q.tMinMs)} (${secs(q.sample.wallMs)} s / ${secs(q.tMinMs)} s)${q.sample.ok ? "" : ", failed"}`,
        )
        .join("; ")}${ok ? "" : `; worst: ${worst.profile.name}`} |`,
    );
  }
  for (const step of ["create", "1 % change", "destroy"] as const) {
    const verdicts = r.sizes.flatMap((s) => stepOf(s, step).map((x) => ({ s, v: callVerdict(s, x) })));
    const ok = verdicts.length > 0 && verdicts.every((x) => x.v.ok);
    push(
      `| calls = the minimum, ${step} | ${verdicts.length ? mark(ok) : "not measured"} | ${verdicts
        .map(({ s, v }) =>
          v.ok
            ? `N=${s.n}: as the minimum`
            : `N=${s.n}: writes ${fmtCalls(v.writes)} against ${fmtCalls(v.needed)}; reads ${fmtCalls(v.reads)} (allowed ${fmtCalls(v.allowance)})`,
        )
        .join("; ")} |`,
    );
  }
  {
    const verdicts = r.sizes.flatMap((s) => stepOf(s, "refresh").map((x) => ({ s, v: callVerdict(s, x) })));
    const ok = verdicts.length > 0 && verdicts.every((x) => x.v.ok);
    push(
      `| refresh ≤ ListFaces pages + ListUsers pages | ${verdicts.length ? mark(ok) : "not measured"} | ${verdicts
        .map(
          ({ s, v }) =>
            `N=${s.n}: ${fmtCalls({ ...v.reads, ...v.writes })} (pages: ${fmtCalls(v.allowance)})`,
        )
        .join("; ")} |`,
    );
  }
  if (largest) {
    const noop = stepOf(largest, "no-op up");
    const empty = largest.emptyNoop.filter((x) => x.step === "no-op up");
    const rr = wall(noop) / wall(empty);
    const calls = sum(Object.fromEntries(noop.flatMap((x) => Object.entries(x.calls.made))));
    const ok =
      noop.length > 0 && empty.length > 0 && rr <= TARGET_NOOP && noop.every((x) => sum(x.calls.made) === 0);
    push(
      `| no-op up at N=${largest.n} ≤ ${TARGET_NOOP} × empty roster, 0 calls${largest.n < 10000 ? " (N=10,000 not measured)" : ""} | ${mark(ok)} | ${secs(wall(noop))} s against ${secs(wall(empty))} s: ${ratio(rr)}; ${calls} calls |`,
    );
    const host = Math.max(0, ...largest.samples.map((x) => x.memory.providerHostKb));
    push(
      `| provider host peak ≤ ${TARGET_HOST_MIB} MiB at N=${largest.n}${largest.n < 10000 ? " (N=10,000 not measured)" : ""} | ${mark(host / 1024 <= TARGET_HOST_MIB)} | ${mb(host)} MiB (engine ${mb(Math.max(0, ...largest.samples.map((x) => x.memory.engineKb)))} MiB) |`,
    );
  }
  push("");

  // Lifecycle.
  push(
    "### The bulk roster's lifecycle",
    "",
    "| N | photos | step | wall, s | calls made (by operation) | throttled | engine MiB | provider host MiB | as declared? |",
    "|--:|--:|---|--:|---|--:|--:|--:|:-:|",
  );
  for (const s of r.sizes) {
    for (const step of SCALE_STEPS) {
      const samples = stepOf(s, step);
      if (samples.length === 0) continue;
      const first = samples[0]!;
      const failed = samples.filter((x) => !x.ok).length;
      push(
        `| ${s.n}${from(s)} | ${s.photos} | ${step} | ${wallCell(samples)}${failed ? ` (${failed} failed)` : ""} | ${fmtCalls(first.calls.made)} | ${sum(first.calls.throttled)} | ${mb(max(samples.map((x) => x.memory.engineKb)))} | ${mb(max(samples.map((x) => x.memory.providerHostKb)))} | ${first.verified === undefined ? "–" : first.verified ? "yes" : `**no**: ${first.verifyDetail}`} |`,
      );
    }
  }
  push(
    "",
    "1 % change, people touched: " +
      r.sizes
        .map(
          (s) =>
            `N=${s.n}: ${s.change.gained} gain a photo, ${s.change.lost} lose one, ${s.change.removed} removed, ${s.change.added} added`,
        )
        .join("; ") +
      ".",
    "",
  );
  const failures = r.sizes.flatMap((s) => s.samples.filter((x) => !x.ok).map((x) => ({ n: s.n, x })));
  if (failures.length > 0) {
    push("Failed steps (the end of the command's output):", "");
    for (const { n, x } of failures)
      push(
        `- N=${n} ${x.step}:`,
        "",
        "  ```",
        ...(x.error ?? "")
          .split("\n")
          .slice(-12)
          .map((l) => `  ${l}`),
        "  ```",
        "",
      );
  }

  // Calls against the minimum.
  push(
    "### API calls against the minimum",
    "",
    "The minimum the service allows: create = N CreateUser + 3N IndexFaces + N AssociateFaces; 1 % change = CreateUser and",
    "IndexFaces/AssociateFaces for the added people and photos, DisassociateFaces for each lost photo, DeleteUser for each removed",
    "person (DeleteUser disassociates the user's faces) and DeleteFaces in batches of 4096 for the faces retired; destroy = N",
    "DeleteUser + ⌈3N/4096⌉ DeleteFaces. Reads counted as necessary: at most one ListUsers scan (pages of 500) and one ListFaces",
    "scan (pages of 4096) of the collection at its largest during the step. Refresh: those two scans, nothing else. Writes",
    "are compared exactly; throttled requests are not counted here (they are in the lifecycle table).",
    "",
    "| N | step | writes made | writes needed | reads made | reads allowed | = minimum? |",
    "|--:|---|---|---|---|---|:-:|",
  );
  for (const s of r.sizes)
    for (const step of ["create", "1 % change", "refresh", "destroy"] as const)
      for (const x of stepOf(s, step).slice(0, 1)) {
        const v = callVerdict(s, x);
        push(
          `| ${s.n}${from(s)} | ${step} | ${fmtCalls(v.writes)} | ${fmtCalls(v.needed)} | ${fmtCalls(v.reads)} | ${fmtCalls(v.allowance)} | ${mark(v.ok)} |`,
        );
      }
  push("");

  // No-op against the empty roster.
  push(
    "### No-op `up` against the same stack with an empty roster",
    "",
    "| N | no-op up, s | calls | empty roster no-op up, s | ratio | ≤ 2? |",
    "|--:|--:|--:|--:|--:|:-:|",
  );
  for (const s of r.sizes) {
    const noop = stepOf(s, "no-op up");
    const empty = s.emptyNoop.filter((x) => x.step === "no-op up" && x.ok);
    const rr = wall(noop) / wall(empty);
    push(
      `| ${s.n}${from(s)} | ${wallCell(noop)} | ${noop.map((x) => sum(x.calls.made)).join(", ")} | ${empty.length ? wallCell(empty) : `failed: ${(s.emptyNoop[0]?.error ?? "").split("\n").filter(Boolean).slice(-2).join(" ")}`} | ${ratio(rr)} | ${Number.isFinite(rr) ? mark(rr <= TARGET_NOOP) : "–"} |`,
    );
  }
  push("");

  // Quota.
  push(
    "### Create under a per-operation quota",
    "",
    "T_min = max over operations of (calls needed ÷ TPS), with the calls needed of create above. The stack config",
    "`rekognition-faces:rateLimits` is set to the service's quota; it paces calls only where the provider has client-side rate",
    "limits (the commit measured says whether it did). Ratio = wall time of `pulumi up` / T_min. rekognition-local answers",
    "every user ACTIVE at once here (`updatingWindowMs: 0`), so the ListUsers counts hold no polling of the wait for ACTIVE;",
    "against the endpoint's default UPDATING window that wait adds up to two ListUsers calls a second while people wait.",
    ...(r.quotaNote ? ["", r.quotaNote] : []),
    "",
    "| N | profile (TPS) | service quota enforced by | wall, s | T_min, s (binding operation) | wall / T_min | ≤ 1.2? | throttled | calls made | as declared? |",
    "|--:|---|---|--:|--:|--:|:-:|--:|---|:-:|",
  );
  for (const q of r.quota) push(quotaRow(q));
  if (r.quota.length === 0) push("| – | not measured in this run | | | | | | | | |");
  push("");

  // Side by side.
  for (const c of r.compare) {
    const bulk = c.runs.find((x) => x.variant.startsWith("bulk"));
    push(
      `### Create at N=${c.n}, side by side (no quota)`,
      "",
      "The bulk roster's create against the per-resource FaceRoster (User + IndexedFace per photo + UserFaceAssociation per",
      "person: 5N resources) and the imperative loop (per person CreateUser, IndexFaces per photo, AssociateFaces; the",
      "provider's SDK settings, 8 people at once), same photos and manifest. A row from another run says so.",
      "",
      "| variant | engine resources | wall, s | / bulk | calls made | provider host MiB | note |",
      "|---|--:|--:|--:|---|--:|---|",
    );
    for (const x of c.runs) {
      push(
        `| ${x.variant}${from(x)} | ${x.variant.startsWith("bulk") ? "shards + 1" : (x.resources ?? "–")} | ${x.timedOutAfterMs ? `> ${secs(x.timedOutAfterMs)} (stopped)` : secs(x.wallMs)}${x.ok || x.timedOutAfterMs ? "" : " (failed)"} | ${bulk ? ratio(x.wallMs / bulk.wallMs) : "–"}${x.timedOutAfterMs ? " (at least)" : ""} | ${fmtCalls(x.calls.made)} | ${x.memory ? mb(x.memory.providerHostKb) : "–"} | ${x.note ?? (x.error ? x.error.split("\n").filter(Boolean).slice(-1)[0] : "")} |`,
      );
    }
    push("");
  }

  if (r.notMeasured.length > 0) push("### Not measured", "", ...r.notMeasured.map((x) => `- ${x}`), "");

  const analysis = join(import.meta.dirname, "scale-analysis.md");
  if (existsSync(analysis)) push("### Analysis", "", readFileSync(analysis, "utf8").trim(), "");

  push(
    "### How to reproduce",
    "",
    "```sh",
    "npm run bench                                              # includes the scale section: N = 1000, 10000; quota at 1000; side by side at 1000",
    "node bench/run.ts --sizes none --no-quota --scale-sizes 1000,10000 --scale-quota-sizes 1000 --scale-compare 1000",
    "node bench/run.ts --sizes none --no-quota --scale-sizes 200 --scale-quota-sizes none --scale-compare none   # a few minutes",
    "node bench/run.ts --no-scale                                # the sections above only",
    "node bench/scale-data.mts 10000                             # draw the photos ahead of a run (~10 ms each)",
    "```",
    "",
    "With `--sizes none --no-quota` only this section is measured; it replaces the section between the `scale` markers of",
    "docs/benchmarks.md and leaves the rest as it was. Raw results: `bench/results/scale-latest.json`.",
    "",
    `![bulk roster, wall time against N](${svgName})`,
    "",
    SCALE_END,
  );
  return { markdown: md.join("\n") + "\n", svg: plot(r) };
}

function quotaRow(q: ScaleQuotaRun): string {
  const x = q.sample;
  const rr = x.wallMs / q.tMinMs;
  const tps = Object.entries(q.profile.tps)
    .map(([op, v]) => `${op} ${v * q.factor}`)
    .join(", ");
  return `| ${q.n}${from(q)} | ${q.profile.name}${q.factor !== 1 ? ` ×${q.factor}` : ""}: ${tps} | ${q.profile.enforcedBy} | ${secs(x.wallMs)}${x.ok ? "" : " (failed)"} | ${secs(q.tMinMs)} (${q.bindingOperation}) | ${ratio(rr)} | ${mark(x.ok && rr <= TARGET_QUOTA)} | ${sum(x.calls.throttled)} | ${fmtCalls(x.calls.made)} | ${x.verified === undefined ? "–" : x.verified ? "yes" : `**no**: ${x.verifyDetail}`} |`;
}

interface Series {
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
  readonly points: [number, number][];
  readonly markersOnly?: boolean;
}

function plot(r: ScaleResults): string {
  const colors: Record<ScaleStepName, string> = {
    create: "#d6336c",
    "no-op up": "#1c7ed6",
    "1 % change": "#0ca678",
    refresh: "#7048e8",
    destroy: "#f08c00",
  };
  const series: Series[] = SCALE_STEPS.map((step) => ({
    label: `bulk: ${step}`,
    color: colors[step],
    points: r.sizes
      .filter((s) => stepOf(s, step).some((x) => x.ok))
      .map((s) => [s.n, wall(stepOf(s, step).filter((x) => x.ok)) / 1000] as [number, number]),
  }));
  series.push({
    label: "empty roster: no-op up",
    color: "#495057",
    dash: "2 3",
    points: r.sizes
      .filter((s) => s.emptyNoop.some((x) => x.step === "no-op up" && x.ok))
      .map((s) => [s.n, wall(s.emptyNoop.filter((x) => x.step === "no-op up" && x.ok)) / 1000]),
  });
  for (const c of r.compare)
    for (const [prefix, label, color] of [
      ["per-resource", "per-resource FaceRoster: create", "#e03131"],
      ["imperative", "imperative loop: create", "#5c940d"],
    ] as const) {
      const x = c.runs.find((v) => v.variant.startsWith(prefix));
      if (x)
        series.push({
          label: `${label}${x.timedOutAfterMs ? " (stopped, at least)" : ""}`,
          color,
          markersOnly: true,
          points: [[c.n, x.wallMs / 1000]],
        });
    }
  for (const q of r.quota) {
    series.push({
      label: `quota ${q.profile.name}${q.factor !== 1 ? ` ×${q.factor}` : ""}: create`,
      color: q.profile.name === "uniform" ? "#862e9c" : "#1098ad",
      markersOnly: true,
      points: [[q.n, q.sample.wallMs / 1000]],
    });
    series.push({
      label: `T_min ${q.profile.name}${q.factor !== 1 ? ` ×${q.factor}` : ""}`,
      color: q.profile.name === "uniform" ? "#862e9c" : "#1098ad",
      markersOnly: true,
      dash: "hollow",
      points: [[q.n, q.tMinMs / 1000]],
    });
  }
  const shown = series.filter(
    (s) => s.points.length > 0 && s.points.every(([, y]) => Number.isFinite(y) && y > 0),
  );
  const W = 780;
  const H = 480;
  const pad = { l: 70, r: 270, t: 40, b: 60 };
  const xs = shown.flatMap((s) => s.points.map((p) => p[0]));
  const ys = shown.flatMap((s) => s.points.map((p) => p[1]));
  if (xs.length === 0) xs.push(10, 100);
  if (ys.length === 0) ys.push(1, 10);
  const lx0 = Math.floor(Math.log10(Math.max(1, min(xs))));
  const lx1 = Math.max(lx0 + 1, Math.ceil(Math.log10(max(xs))));
  const ly0 = Math.floor(Math.log10(min(ys)));
  const ly1 = Math.max(ly0 + 1, Math.ceil(Math.log10(max(ys))));
  const X = (x: number) => pad.l + ((Math.log10(x) - lx0) / (lx1 - lx0)) * (W - pad.l - pad.r);
  const Y = (y: number) => H - pad.b - ((Math.log10(y) - ly0) / (ly1 - ly0)) * (H - pad.t - pad.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${pad.l}" y="22" font-size="15" font-weight="bold">Bulk roster: wall time against N people × 3 photos (log–log)</text>`,
  ];
  for (let e = lx0; e <= lx1; e++)
    for (const k of e < lx1 ? [1, 2, 5] : [1]) {
      const v = k * 10 ** e;
      out.push(
        `<line x1="${X(v)}" y1="${pad.t}" x2="${X(v)}" y2="${H - pad.b}" stroke="${k === 1 ? "#ccc" : "#eee"}"/>`,
      );
      out.push(`<text x="${X(v)}" y="${H - pad.b + 16}" text-anchor="middle">${v}</text>`);
    }
  for (let e = ly0; e <= ly1; e++)
    for (const k of e < ly1 ? [1, 2, 5] : [1]) {
      const v = k * 10 ** e;
      out.push(
        `<line x1="${pad.l}" y1="${Y(v)}" x2="${W - pad.r}" y2="${Y(v)}" stroke="${k === 1 ? "#ccc" : "#eee"}"/>`,
      );
      out.push(
        `<text x="${pad.l - 6}" y="${Y(v) + 4}" text-anchor="end">${v >= 1 ? v : v.toPrecision(1)}</text>`,
      );
    }
  out.push(
    `<text x="${(pad.l + W - pad.r) / 2}" y="${H - 18}" text-anchor="middle">N (people, 3 photos each)</text>`,
  );
  out.push(
    `<text transform="translate(18 ${(pad.t + H - pad.b) / 2}) rotate(-90)" text-anchor="middle">wall time, s</text>`,
  );
  shown.forEach((s, i) => {
    const hollow = s.dash === "hollow";
    if (!s.markersOnly) {
      const pts = s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(" ");
      out.push(
        `<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
      );
    }
    for (const [x, y] of s.points)
      out.push(
        `<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="${s.markersOnly ? 5 : 3.5}" fill="${hollow ? "white" : s.color}" stroke="${s.color}" stroke-width="2"><title>${s.label}: N=${x}, ${y.toFixed(2)} s</title></circle>`,
      );
    const ly = pad.t + 10 + i * 20;
    if (s.markersOnly)
      out.push(
        `<circle cx="${W - pad.r + 30}" cy="${ly}" r="5" fill="${hollow ? "white" : s.color}" stroke="${s.color}" stroke-width="2"/>`,
      );
    else
      out.push(
        `<line x1="${W - pad.r + 16}" y1="${ly}" x2="${W - pad.r + 44}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
      );
    out.push(`<text x="${W - pad.r + 50}" y="${ly + 4}">${s.label}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** The markdown with its scale section replaced by `section` (or appended when it has none). */
export function spliceScale(markdown: string, section: string): string {
  const begin = markdown.indexOf(SCALE_BEGIN);
  const end = markdown.indexOf(SCALE_END);
  if (begin >= 0 && end > begin)
    return markdown.slice(0, begin) + section + markdown.slice(end + SCALE_END.length + 1);
  return `${markdown.trimEnd()}\n\n${section}`;
}
