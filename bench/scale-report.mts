// Renders the scale results: the "Scale: the bulk roster" section of
// docs/benchmarks.md and its plot, docs/benchmarks-scale.svg.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { callVerdict, photosOf, pollingAllowance, sum, updatingWindowOf } from "./scale-calls.mts";
import { renderTargets, scaleTargets, TARGET_NOOP, TARGET_QUOTA } from "./scale-targets.mts";
import type {
  FromRun,
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

const fmtCalls = (r: Record<string, number>): string => {
  const entries = Object.entries(r).filter(([, v]) => v > 0);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} ${v}`).join(", ");
};
const bytes = (b: number | undefined): string =>
  b === undefined ? "–" : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`;
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

/** "3" when every size has 3 photos a person, else "K (3 at N=1000, 1 at N=50000)". */
function photosText(r: ScaleResults): { k: string; each: string } {
  const ks = [...new Set(r.sizes.map(photosOf))];
  if (ks.length <= 1) {
    const k = String(ks[0] ?? 3);
    return { k, each: `${k} photos` };
  }
  return { k: "K", each: `K photos (${r.sizes.map((s) => `${photosOf(s)} at N=${s.n}`).join(", ")})` };
}
/** `3N` with K = 3, `N` with K = 1, `K·N` when the sizes differ. */
const times = (k: string, x: string): string => (k === "1" ? x : k === "K" ? `K·${x}` : `${k}${x}`);

/** Which UPDATING window the runs shown used, in words. */
function windowText(r: ScaleResults): string {
  const items: FromRun[] = [...r.sizes, ...r.quota];
  const byWindow = new Map<number, Set<string>>();
  for (const x of items.length ? items : [{}])
    byWindow.set(
      updatingWindowOf(r, x),
      (byWindow.get(updatingWindowOf(r, x)) ?? new Set()).add(x.run ?? "this run"),
    );
  const windows = [...byWindow.keys()];
  const say = (w: number) =>
    w === 0
      ? "UPDATING window 0 ms: every changed user is ACTIVE at once, so no wait for ACTIVE is measured"
      : `UPDATING window ${w} ms${w === 2000 ? ", the endpoint's default" : ""}: a changed user reports UPDATING that long, so the wait for ACTIVE (ListUsers polls) is measured`;
  return windows.length === 1
    ? say(windows[0]!)
    : windows.map((w) => `${[...byWindow.get(w)!].sort().join(", ")}: ${say(w)}`).join("; ");
}

export function renderScale(r: ScaleResults, svgName: string): { markdown: string; svg: string } {
  const md: string[] = [];
  const push = (...lines: string[]) => md.push(...lines);
  const photos = photosText(r);
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
    "(CreateUser → IndexFaces per photo → AssociateFaces; removals DeleteUser or DisassociateFaces), and one RetiredFaces",
    "that deletes the faces the shards retired, after all of them (DeleteFaces in batches of 4,096).",
    "",
    "### How it is measured",
    "",
    `- N people × ${photos.each}: synthetic portraits (\`generatePortrait\` from \`pulumi-rekognition-faces/emulator\`, 160×200 PNG) drawn once`,
    "  into `bench/.photos/` (git-ignored) and reused; the program reads them from a CSV manifest (`userId,photo` rows), no loop.",
    `- rekognition-local in process (synthetic face model; ${windowText(r)}), a fresh collection per roster; every request`,
    "  it answers is counted by operation from its request log (throttled ones too). Each step is a real `pulumi` CLI command on",
    "  the local file backend (`--skip-preview`).",
    "- Steps: **create**; **no-op up** (repeated, median); **1 % change**: ⌈N/100⌉ people spread over the roster, in turn gaining a",
    "  photo, losing their last (skipped at 1 photo a person), removed, or added (new people); **refresh**; **destroy**. After",
    "  create and the change the service must hold exactly the declared roster (each person with one face a photo, no other",
    "  user, no stray face); after destroy, nothing. The checkpoint: bytes of the stack's state file after create.",
    "- Peak memory: VmHWM of the engine (`pulumi`) and of the dynamic provider host, sampled every 150 ms (bench/procmem.mts).",
    "- The empty roster: the same program with `people: {}` in a stack of its own, created after the roster, its no-op `up` measured the same way, each one right after one of the roster's (alternating, so that each pair meets the machine in the same state).",
    "",
  );

  // Targets at a glance.
  push("### Targets at a glance", "", ...renderTargets(scaleTargets(r)), "");

  // Lifecycle.
  push(
    "### The bulk roster's lifecycle",
    "",
    "| N | photos a person | step | wall, s | calls made (by operation) | throttled | engine MiB | provider host MiB | as declared? |",
    "|--:|--:|---|--:|---|--:|--:|--:|:-:|",
  );
  for (const s of r.sizes) {
    for (const step of SCALE_STEPS) {
      const samples = stepOf(s, step);
      if (samples.length === 0) continue;
      const first = samples[0]!;
      const failed = samples.filter((x) => !x.ok).length;
      push(
        `| ${s.n}${from(s)} | ${photosOf(s)} | ${step} | ${wallCell(samples)}${failed ? ` (${failed} failed)` : ""} | ${fmtCalls(first.calls.made)} | ${sum(first.calls.throttled)} | ${mb(max(samples.map((x) => x.memory.engineKb)))} | ${mb(max(samples.map((x) => x.memory.providerHostKb)))} | ${first.verified === undefined ? "–" : first.verified ? "yes" : `**no**: ${first.verifyDetail}`} |`,
      );
    }
  }
  push(
    "",
    "1 % change, people touched: " +
      r.sizes
        .map(
          (s) =>
            `N=${s.n} × ${photosOf(s)}: ${s.change.gained} gain a photo, ${s.change.lost} lose one, ${s.change.removed} removed, ${s.change.added} added`,
        )
        .join("; ") +
      ".",
    "",
  );
  const failures = r.sizes.flatMap((s) => s.samples.filter((x) => !x.ok).map((x) => ({ s, x })));
  if (failures.length > 0) {
    push("Failed steps (the end of the command's output):", "");
    for (const { s, x } of failures)
      push(
        `- N=${s.n} × ${photosOf(s)} ${x.step}:`,
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
    `The minimum the service allows, with ${photos.each} a person: create = N CreateUser + ${times(photos.k, "N")} IndexFaces + N`,
    "AssociateFaces; 1 % change = CreateUser and IndexFaces/AssociateFaces for the added people and photos, DisassociateFaces for",
    "each lost photo, DeleteUser for each removed person (DeleteUser disassociates the user's faces) and DeleteFaces in batches",
    `of 4096 for the faces retired; destroy = N DeleteUser + ⌈${times(photos.k, "N")}/4096⌉ DeleteFaces. Reads counted as necessary:`,
    "at most one ListUsers scan (pages of 500) and one ListFaces scan (pages of 4096) of the collection at its largest during",
    "the step, and for ListUsers during create and the change what the waits for ACTIVE may poll (next table). Refresh: those two",
    "scans, nothing else. Writes are compared exactly; throttled requests are not counted here (they are in the lifecycle table).",
    "",
    "| N | photos a person | step | writes made | writes needed | reads made | reads allowed | = minimum? |",
    "|--:|--:|---|---|---|---|---|:-:|",
  );
  for (const s of r.sizes)
    for (const step of ["create", "1 % change", "refresh", "destroy"] as const)
      for (const x of stepOf(s, step).slice(0, 1)) {
        const v = callVerdict(s, x, updatingWindowOf(r, s));
        push(
          `| ${s.n}${from(s)} | ${photosOf(s)} | ${step} | ${fmtCalls(v.writes)} | ${fmtCalls(v.needed)} | ${fmtCalls(v.reads)} | ${fmtCalls(v.allowance)} | ${mark(v.ok)} |`,
        );
      }
  push("");

  // ListUsers, the read the waits for ACTIVE poll with.
  push(
    "### ListUsers by step",
    "",
    "ListUsers is both the scan that finds who exists and the poll of the waits for ACTIVE. Allowed: one scan of the collection",
    "(pages of 500), plus, for create and the change when users report UPDATING, 2 × (wall ÷ poll interval) × pages, the poll",
    "interval being the provider's 500 ms per ListUsers page (provider/aws/settle.ts `pollIntervalMs`).",
    "",
    "| N | photos a person | step | ListUsers made | one scan, pages | waits may poll | allowed | within? |",
    "|--:|--:|---|--:|--:|--:|--:|:-:|",
  );
  for (const s of r.sizes)
    for (const step of SCALE_STEPS)
      for (const x of stepOf(s, step).slice(0, 1)) {
        const v = callVerdict(s, x, updatingWindowOf(r, s)).listUsers;
        push(
          `| ${s.n}${from(s)} | ${photosOf(s)} | ${step} | ${v.made} | ${v.scan} | ${v.polling} | ${v.allowed} | ${mark(v.ok)} |`,
        );
      }
  push("");

  // No-op against the empty roster.
  push(
    "### No-op `up` against the same stack with an empty roster, and the checkpoint",
    "",
    "The checkpoint: bytes of the stack's state file on the local file backend after create (what the engine reads, diffs and",
    "writes back on every run); – where a results file did not record it.",
    "",
    "| N | photos a person | checkpoint after create | bytes a person | no-op up, s | calls | empty roster no-op up, s | ratio | ≤ 2? |",
    "|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
  );
  for (const s of r.sizes) {
    const noop = stepOf(s, "no-op up");
    const empty = s.emptyNoop.filter((x) => x.step === "no-op up" && x.ok);
    const rr = wall(noop) / wall(empty);
    push(
      `| ${s.n}${from(s)} | ${photosOf(s)} | ${bytes(s.checkpointBytes)} | ${s.checkpointBytes === undefined ? "–" : Math.round(s.checkpointBytes / s.n)} | ${wallCell(noop)} | ${noop.map((x) => sum(x.calls.made)).join(", ")} | ${empty.length ? wallCell(empty) : `failed: ${(s.emptyNoop[0]?.error ?? "").split("\n").filter(Boolean).slice(-2).join(" ")}`} | ${ratio(rr)} | ${Number.isFinite(rr) ? mark(rr <= TARGET_NOOP) : "–"} |`,
    );
  }
  push("");

  // Quota.
  push(
    "### Create under a per-operation quota",
    "",
    "T_min = max over operations of (calls needed ÷ TPS), with the calls needed of create above. The stack config",
    "`rekognition-faces:rateLimits` is set to the service's quota; it paces calls only where the provider has client-side rate",
    `limits (the commit measured says whether it did). Ratio = wall time of \`pulumi up\` / T_min. rekognition-local: ${windowText({ ...r, sizes: [] })}.`,
    "ListUsers bound: 2 × (wall ÷ poll interval) × pages, with the provider's poll interval of 500 ms per page of 500 users.",
    ...(r.quotaNote ? ["", r.quotaNote] : []),
    "",
    "| N | photos a person | profile (TPS) | service quota enforced by | wall, s | T_min, s (binding operation) | wall / T_min | ≤ 1.2? | throttled | ListUsers (bound) | calls made | as declared? |",
    "|--:|--:|---|---|--:|--:|--:|:-:|--:|--:|---|:-:|",
  );
  for (const q of r.quota) push(quotaRow(q));
  if (r.quota.length === 0) push("| – | – | not measured in this run | | | | | | | | | |");
  push("");

  // Side by side.
  for (const c of r.compare) {
    const bulk = c.runs.find((x) => x.variant.startsWith("bulk"));
    push(
      `### Create at N=${c.n} × ${photosOf(c)} photos, side by side (no quota)`,
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
    "npm run bench                                              # includes the scale section: N = 1000, 10000, 50000 × 1 photo; quota at 1000; side by side at 1000",
    "node bench/run.ts --sizes none --no-quota --scale-sizes 1000,10000 --scale-quota-sizes 1000 --scale-compare 1000",
    "node bench/run.ts --sizes none --no-quota --scale-sizes 10000,50000x1 --scale-quota-sizes none --scale-compare none   # N=50,000 × 1 photo beside N=10,000 × 3",
    "node bench/run.ts --sizes none --no-quota --scale-sizes 200 --scale-quota-sizes none --scale-compare none   # a few minutes",
    "node bench/run.ts --no-scale                                # the sections above only",
    "node bench/scale-data.mts 10000                             # draw the photos ahead of a run (~10 ms each); 50000 1: one photo each",
    "```",
    "",
    "A size `NxK` declares K photos a person (`--scale-photos K` sets the rest, 3 by default). `--scale-updating-window-ms 0`",
    "makes every changed user ACTIVE at once (the wait for ACTIVE is then not measured); the default is rekognition-local's own.",
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
  const listUsers = x.calls.made["ListUsers"] ?? 0;
  const bound = pollingAllowance(x.wallMs, q.n);
  const rr = x.wallMs / q.tMinMs;
  const tps = Object.entries(q.profile.tps)
    .map(([op, v]) => `${op} ${v * q.factor}`)
    .join(", ");
  return `| ${q.n}${from(q)} | ${photosOf(q)} | ${q.profile.name}${q.factor !== 1 ? ` ×${q.factor}` : ""}: ${tps} | ${q.profile.enforcedBy} | ${secs(x.wallMs)}${x.ok ? "" : " (failed)"} | ${secs(q.tMinMs)} (${q.bindingOperation}) | ${ratio(rr)} | ${mark(x.ok && rr <= TARGET_QUOTA)} | ${sum(x.calls.throttled)} | ${listUsers} (≤ ${bound})${listUsers <= bound ? "" : " **no**"} | ${fmtCalls(x.calls.made)} | ${x.verified === undefined ? "–" : x.verified ? "yes" : `**no**: ${x.verifyDetail}`} |`;
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
    `<text x="${pad.l}" y="22" font-size="15" font-weight="bold">Bulk roster: wall time against N people × ${photosText(r).each.replace(/ \(.*/, "")} (log–log)</text>`,
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
    `<text x="${(pad.l + W - pad.r) / 2}" y="${H - 18}" text-anchor="middle">N (people, ${photosText(r).each.replace(/ \(.*/, "")} each)</text>`,
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
