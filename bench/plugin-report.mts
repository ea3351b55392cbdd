// Renders the "Plugin vs dynamic" section of docs/benchmarks.md, between
// markers, so a run that measures only this section replaces only it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SCALE_BEGIN } from "./scale-report.mts";
import { max, median, min, ratio, spread } from "./stats.mts";
import {
  HOST_STEPS,
  type HostComparison,
  type HostName,
  type HostSample,
  type PluginResults,
} from "./types.mts";

export const PLUGIN_BEGIN = "<!-- plugin:begin -->";
export const PLUGIN_END = "<!-- plugin:end -->";
/** From the issue: no provider is serialized per resource, so the plugin is no slower. */
export const TARGET_PLUGIN = 1.0;

const of = (c: HostComparison, host: HostName, step: string): HostSample[] =>
  c.samples.filter((s) => s.host === host && s.step === step);
const walls = (xs: readonly HostSample[]): number[] => xs.filter((x) => x.ok).map((x) => x.wallMs);
/** Calls by operation over the runs: the count, or min–max where runs differ (shared reads depend on timing). */
function callRange(xs: readonly HostSample[]): string {
  const ops = [...new Set(xs.flatMap((x) => Object.keys(x.calls)))].sort();
  if (ops.length === 0) return "none";
  return ops
    .map((op) => {
      const k = xs.map((x) => x.calls[op] ?? 0);
      return `${op} ${min(k) === max(k) ? min(k) : `${min(k)}–${max(k)}`}`;
    })
    .join(", ");
}
const mark = (ok: boolean): string => (ok ? "yes" : "**no**");
const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : "–");
const kb = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(0)} KiB` : "–");
const load = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(" / ");

/** plugin ÷ dynamic of the median wall time, per N and step. */
export function stepRatios(r: PluginResults): { n: number; step: string; q: number }[] {
  return r.comparisons.flatMap((c) =>
    HOST_STEPS.map((step) => ({
      n: c.n,
      step,
      q: median(walls(of(c, "plugin", step))) / median(walls(of(c, "dynamic", step))),
    })),
  );
}

export function renderPlugin(r: PluginResults): string {
  const md: string[] = [];
  const push = (...lines: string[]) => md.push(...lines);
  const m = r.machine;
  push(
    PLUGIN_BEGIN,
    "## Plugin vs dynamic: the same FaceRoster through the provider plugin",
    "",
    `_Measured side by side in one run: \`${r.command}\`, ${m.date}${r.commit ? `, at commit ${r.commit}` : ""}` +
      ` (${(r.totalMs / 60000).toFixed(1)} min). ${m.cores} cores, ${m.cpuModel}, ${m.memoryGb} GiB, node ${m.node}, ${m.pulumi};` +
      ` load average (1 / 5 / 15 min) ${load(r.load.start)} at the start, ${load(r.load.end)} at the end._`,
    "",
    "- The program: one `FaceRoster` in per-resource mode from a CSV manifest of N people × 3 photos (for each person a `User`,",
    "  an `IndexedFace` per photo and a `UserFaceAssociation`: 5N resources), the same inputs imported from `pulumi-rekognition-faces`",
    "  (**dynamic**: the dynamic provider host) or from `pulumi-rekognition-faces/plugin` (**plugin**: `pulumi-resource-rekognition-faces`,",
    "  named under `plugins.providers` in Pulumi.yaml, configured with `rekognition-faces:region` and `rekognition-faces:endpoints`).",
    "- Steps, each a real `pulumi` CLI command (`--skip-preview`, `--parallel` 8): create, no-op up, 1 % change (as in the scale section),",
    "  destroy. After create, the change and destroy the service is checked to hold exactly the roster (nothing after destroy).",
    "- Both hosts in the same run against the same rekognition-local, a fresh collection for each run; the order alternates per",
    "  repetition (odd: dynamic first, even: plugin first). Times: median (min–max) over the repetitions.",
    `- Target: plugin ÷ dynamic ≤ ${TARGET_PLUGIN.toFixed(1)} at every step (no provider is serialized per resource).`,
    "- This section only: `node bench/run.ts --sizes none --no-quota --no-scale --plugin-sizes 100 --reps 3` (`--quick`: N = 20);",
    "  `--plugin-starts K` times the start-up K times, `--no-plugin` skips the section.",
    "",
    "| N | step | dynamic, s | plugin, s | plugin ÷ dynamic | ≤ 1.0? | calls, dynamic | calls, plugin | verified |",
    "|---:|---|---:|---:|---:|:---:|---|---|:---:|",
  );
  for (const c of r.comparisons) {
    for (const step of HOST_STEPS) {
      const d = of(c, "dynamic", step);
      const p = of(c, "plugin", step);
      const q = median(walls(p)) / median(walls(d));
      const failed = (xs: HostSample[]) => xs.filter((x) => !x.ok).length;
      const cell = (xs: HostSample[]) => `${spread(walls(xs))}${failed(xs) ? ` (${failed(xs)} failed)` : ""}`;
      const dCalls = callRange(d);
      const pCalls = callRange(p);
      const checked = [...d, ...p].filter((x) => x.verified !== undefined);
      push(
        `| ${c.n} | ${step} | ${cell(d)} | ${cell(p)} | ${ratio(q)} | ${mark(q <= TARGET_PLUGIN)} | ${dCalls} | ${pCalls === dCalls ? "same" : pCalls} | ${checked.length === 0 ? "–" : mark(checked.every((x) => x.verified))} |`,
      );
    }
  }
  push(
    "",
    "State size after create (bytes of `pulumi stack export`, median over the repetitions):",
    "",
    "| N | resources | dynamic | plugin | plugin ÷ dynamic |",
    "|---:|---:|---:|---:|---:|",
  );
  for (const c of r.comparisons) {
    const bytes = (host: HostName) => median(c.stateBytes.filter((x) => x.host === host).map((x) => x.bytes));
    push(
      `| ${c.n} | ${5 * c.n} + the component | ${kb(bytes("dynamic"))} | ${kb(bytes("plugin"))} | ${ratio(bytes("plugin") / bytes("dynamic"))} |`,
    );
  }
  push("");
  const s = r.startup;
  if (s) {
    const row = (what: string, xs: number[]) =>
      `| ${what} | ${ms(median(xs))} | ${ms(min(xs))}–${ms(max(xs))} |`;
    push(
      "### The plugin's start-up",
      "",
      `From spawning the process to the port number the plugin prints as its first line on stdout (what the engine waits for),`,
      `${s.starts} starts each, interleaved; \`node -e 0\` on the same Node (${s.node}), to its exit, is the floor.`,
      "",
      "| process | median, ms | min–max, ms |",
      "|---|---:|---:|",
      row(
        "`bin/pulumi-resource-rekognition-faces` (the launcher the engine starts) → port line",
        s.launcherMs,
      ),
      row("`node dist/provider/plugin/main.js` (no launcher) → port line", s.mainMs),
      row("`node -e 0` → exit (the floor)", s.nodeMs),
      "",
    );
  }
  const analysis = join(import.meta.dirname, "plugin-analysis.md");
  if (existsSync(analysis)) push("### Analysis", "", readFileSync(analysis, "utf8").trim(), "");
  push(PLUGIN_END);
  return md.join("\n") + "\n";
}

/** The report with this section in place: replaced between its markers, else before the scale section, else at the end. */
export function splicePlugin(markdown: string, section: string): string {
  const begin = markdown.indexOf(PLUGIN_BEGIN);
  const end = markdown.indexOf(PLUGIN_END);
  if (begin >= 0 && end > begin)
    return markdown.slice(0, begin) + section + markdown.slice(end + PLUGIN_END.length + 1);
  const scale = markdown.indexOf(SCALE_BEGIN);
  if (scale >= 0) return `${markdown.slice(0, scale)}${section}\n${markdown.slice(scale)}`;
  return `${markdown.trimEnd()}\n\n${section}`;
}
