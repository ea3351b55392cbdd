#!/usr/bin/env node
/**
 * The `rekognition-faces-to-plugin` command: moves a stack's state from the
 * dynamic resources to the provider plugin's (./plan.ts). It reads the
 * output of `pulumi stack export` and writes what `pulumi stack import` takes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { moveToPlugin, MoveError, type StackExport } from "./plan.js";

const COMMAND = "rekognition-faces-to-plugin";
const USAGE = `Usage: ${COMMAND} [--in export.json] [--out moved.json]

Moves a stack from the dynamic resources of pulumi-rekognition-faces to the
rekognition-faces provider plugin's, in its state only: no call is made to
Rekognition. Reads \`pulumi stack export\` (--in, or standard input), writes
what \`pulumi stack import\` takes (--out, or standard output).

  pulumi stack export --file before.json
  npx ${COMMAND} --in before.json --out after.json
  pulumi stack import --file after.json
`;

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { in: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const text = readFileSync(values.in ?? 0, "utf8");
  let state: StackExport;
  try {
    state = JSON.parse(text) as StackExport;
  } catch {
    throw new MoveError(
      `${values.in ?? "standard input"} is not JSON: give it the output of \`pulumi stack export\``,
    );
  }
  const moved = moveToPlugin(state);
  const json = `${JSON.stringify(moved.state, null, 4)}\n`;
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(json);
  const counts = Object.entries(moved.report.moved).map(([type, n]) => `${n} ${type.split(":").pop()}`);
  process.stderr.write(
    `${COMMAND}: moved ${counts.length > 0 ? counts.join(", ") : "nothing"} to the plugin` +
      (moved.report.identity ? `; the stack's identity ${moved.report.identity} goes with them\n` : "\n"),
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${COMMAND}: ${message}\n`);
  process.exitCode = 1;
}
