#!/usr/bin/env node
/**
 * The `rekognition-faces-import` command: reads a collection and writes the
 * file `pulumi import --file` takes. Progress and errors go to standard
 * error, the file to --out or standard output.
 */
import { writeFileSync } from "node:fs";
import { callCounters, rekognitionClient } from "../aws/client.js";
import { readAwsSettings } from "../aws/settings.js";
import { COMMAND, parseCommandLine, USAGE, type CommandOptions } from "./args.js";
import { collectionMissingLine, failureLine, summaryLine, type Target } from "./messages.js";
import { buildImportFile } from "./plan.js";
import { readCollection } from "./read.js";

const say = (line: string) => process.stderr.write(`${COMMAND}: ${line}\n`);

/** The client the provider itself would make for these settings (the same pacing, retries and credentials). */
function clientFor(options: CommandOptions) {
  const config = new Map<string, string>();
  if (options.region) config.set("aws:region", options.region);
  if (options.profile) config.set("aws:profile", options.profile);
  if (options.endpoint) config.set("aws:endpoints", JSON.stringify([{ rekognition: options.endpoint }]));
  return rekognitionClient(readAwsSettings({ get: (key) => config.get(key) }));
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(argv, process.env);
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { options } = parsed;
  const started = Date.now();
  const client = clientFor(options);
  const target: Target = {
    collectionId: options.collectionId,
    ...(options.endpoint && { endpoint: options.endpoint }),
  };
  try {
    const region = await client.config.region().catch(() => undefined);
    const where: Target = { ...target, ...(region && { region }) };
    const read = await readCollection(client, options.collectionId, { progress: say }).catch(
      (err: unknown) => {
        throw new Error(failureLine(err, where), { cause: err });
      },
    );
    if (!read) {
      say(collectionMissingLine(where));
      return 1;
    }
    const file = buildImportFile(read.contents, {
      includeCollection: options.includeCollection,
      ...(options.provider && { provider: options.provider }),
    });
    const json = JSON.stringify(file, null, 2) + "\n";
    if (options.out) writeFileSync(options.out, json);
    else process.stdout.write(json);
    const calls = Object.values(callCounters()).reduce((sum, c) => sum + c.calls, 0);
    say(summaryLine(file, options.out ?? "standard output", calls, (Date.now() - started) / 1000));
    return 0;
  } finally {
    client.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    say(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
