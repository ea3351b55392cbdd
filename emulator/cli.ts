#!/usr/bin/env node
/**
 * The `rekognition-local` command: serve the emulator, or write synthetic portraits.
 *
 *   rekognition-local [--port 4599] [--host 127.0.0.1] [--data-dir DIR] [...]
 *   rekognition-local photos --out DIR --people alice,bob --count 3 [--unseen 1]
 */
import { parseFaultFlag } from "./control/faults.js";
import { parseQuotaFlag } from "./control/quota.js";
import type { FaultRule } from "./control/types.js";
import { FACE_MODEL_KINDS, FaceModelUnavailableError, type FaceModelKind } from "./model/index.js";
import { writeRosterPhotos } from "./photos/roster.js";
import { DEFAULT_CREDENTIALS, startEmulator, type EmulatorOptions } from "./start.js";

const USAGE = `Usage:
  rekognition-local [options]            serve a local Amazon Rekognition endpoint
  rekognition-local photos [options]     write synthetic portraits

Serve options:
  --port N                 port to listen on (default 4599; 0 picks a free one)
  --host ADDR              address to bind (default 127.0.0.1)
  --data-dir DIR           keep state in DIR across restarts (default: in memory)
  --compact-every N        with --data-dir: snapshot every N writes (default 20000)
  --access-key-id ID       accepted access key id (default ${DEFAULT_CREDENTIALS.accessKeyId})
  --secret-access-key KEY  its secret (default ${DEFAULT_CREDENTIALS.secretAccessKey})
  --no-verify-signatures   accept requests without checking SigV4 signatures
  --updating-window-ms N   how long users report UPDATING after a change (default 2000)
  --token-ttl-seconds N    how long a ClientRequestToken is remembered (default 86400)
  --fault OP:KIND:RATE[:MS]  inject faults (KIND: throttle, server-error, latency, drop;
                           OP: an operation name or *); repeatable
  --fault-seed N           make injected faults repeatable
  --quota TPS              requests per second allowed to each operation
                           (ProvisionedThroughputExceededException beyond)
  --quota default=TPS,OP=TPS,...
                           a rate per operation, default for those not named; OP=0: no quota
                           e.g. default=5,IndexFaces=50,SearchFacesByImage=50
  --s3-bucket NAME=DIR     serve S3 bucket NAME from folder DIR; repeatable
  --region REGION          region shown in examples (default us-east-1)
  --face-model real|synthetic
                           real: a face recogniser for real photos (needs its npm packages);
                           synthetic: a stand-in that recognises only the portraits
                           \`rekognition-local photos\` draws (default real)
  --log                    print one line per request

Photos options:
  --out DIR                folder to write into (required)
  --people a,b,c           people to draw (required)
  --count N                photos per person (default 3), named <person>-<n>.png
  --unseen N               extra photos per person, named <person>-unseen-<n>.png (default 0)
`;

type Flags = Map<string, string[]>;

function parseFlags(args: string[], booleans: Set<string>): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let value = inline;
    if (value === undefined) {
      if (booleans.has(name)) value = "true";
      else {
        value = args[++i];
        if (value === undefined) throw new Error(`--${name} needs a value`);
      }
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return flags;
}

const last = (flags: Flags, name: string) => flags.get(name)?.at(-1);

function integer(flags: Flags, name: string, fallback: number): number {
  const text = last(flags, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

function photos(args: string[]): void {
  const flags = parseFlags(args, new Set());
  const out = last(flags, "out");
  const people = last(flags, "people")
    ?.split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (!out || !people?.length) throw new Error("photos needs --out DIR and --people a,b,c");
  const paths = writeRosterPhotos(out, people, integer(flags, "count", 3), integer(flags, "unseen", 0));
  for (const p of paths) console.log(p);
}

/**
 * `real` unless told otherwise, and a missing package stops the command either
 * way: the synthetic model reads any photo that is not a generated portrait
 * as noise, so it runs only when asked for.
 */
function chooseFaceModel(flag: string | undefined): FaceModelKind {
  if (flag !== undefined && !(FACE_MODEL_KINDS as readonly string[]).includes(flag))
    throw new Error(`--face-model must be one of ${FACE_MODEL_KINDS.join(", ")}, got "${flag}"`);
  return (flag as FaceModelKind | undefined) ?? "real";
}

async function serve(args: string[]): Promise<void> {
  const flags = parseFlags(args, new Set(["no-verify-signatures", "log", "help"]));
  const known = new Set([
    "port",
    "host",
    "data-dir",
    "compact-every",
    "access-key-id",
    "secret-access-key",
    "no-verify-signatures",
    "updating-window-ms",
    "token-ttl-seconds",
    "fault",
    "fault-seed",
    "quota",
    "s3-bucket",
    "region",
    "log",
    "face-model",
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}`);
  const port = integer(flags, "port", 4599);
  const host = last(flags, "host") ?? "127.0.0.1";
  const dataDir = last(flags, "data-dir");
  const credentials = {
    accessKeyId: last(flags, "access-key-id") ?? DEFAULT_CREDENTIALS.accessKeyId,
    secretAccessKey: last(flags, "secret-access-key") ?? DEFAULT_CREDENTIALS.secretAccessKey,
  };
  const rules: FaultRule[] = (flags.get("fault") ?? []).map(parseFaultFlag);
  const s3Buckets: Record<string, string> = {};
  for (const spec of flags.get("s3-bucket") ?? []) {
    const [bucket, dir] = spec.split(/=(.*)/s, 2);
    if (!bucket || !dir) throw new Error(`--s3-bucket expects NAME=DIR, got "${spec}"`);
    s3Buckets[bucket] = dir;
  }
  const quota = last(flags, "quota");
  const region = last(flags, "region") ?? "us-east-1";
  const faceModel = chooseFaceModel(last(flags, "face-model"));
  const opts: EmulatorOptions = {
    port,
    host,
    credentials,
    region,
    verifySignatures: !flags.has("no-verify-signatures"),
    updatingWindowMs: integer(flags, "updating-window-ms", 2000),
    s3Buckets,
    log: flags.has("log"),
    faceModel,
    ...(dataDir ? { dataDir } : {}),
    ...(flags.has("compact-every") ? { compactEvery: integer(flags, "compact-every", 20_000) } : {}),
    ...(flags.has("token-ttl-seconds")
      ? { tokenTtlMs: integer(flags, "token-ttl-seconds", 86_400) * 1000 }
      : {}),
    ...(rules.length
      ? { faults: { rules, ...(flags.has("fault-seed") ? { seed: integer(flags, "fault-seed", 0) } : {}) } }
      : {}),
    ...(quota !== undefined ? { quota: parseQuotaFlag(quota) } : {}),
  };

  let emulator;
  try {
    emulator = await startEmulator(opts);
  } catch (err) {
    if (err instanceof FaceModelUnavailableError) {
      console.error(`rekognition-local: ${err.message}`);
      process.exit(1);
    }
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(
        `rekognition-local: port ${port} on ${host} is already in use; choose another with --port`,
      );
      process.exit(1);
    }
    throw err;
  }
  const { endpoint } = emulator;
  console.log(
    `rekognition-local listening on ${endpoint}${dataDir ? ` (state in ${dataDir})` : " (state in memory)"}`,
  );
  console.log(
    `  export AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey} AWS_REGION=${region}`,
  );
  console.log(`  aws rekognition list-collections --endpoint-url ${endpoint}`);
  console.log(`  operator API: ${endpoint}/_emulator/health`);
  console.log(`  face model: ${faceModel}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emulator
      .stop()
      .then(() => {
        console.log(`rekognition-local stopped (${signal})`);
        process.exit(0);
      })
      .catch((err: unknown) => {
        console.error("rekognition-local: error while stopping:", err);
        process.exit(1);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  if (argv[0] === "photos") return photos(argv.slice(1));
  if (argv[0] === "serve") return serve(argv.slice(1));
  return serve(argv);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`rekognition-local: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
