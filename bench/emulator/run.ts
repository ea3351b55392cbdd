/**
 * Throughput and latency of rekognition-local on a large collection.
 *
 * Loads 100,000 faces and 10,000 users straight into the store (no HTTP), then
 * drives AssociateFaces, ListFaces (UserId filter), SearchUsers and SearchFaces through the real
 * AWS SDK over HTTP with 4 requests in flight, and writes the numbers into the
 * "Performance" section of docs/emulator.md. First, before anything else grows the
 * process, IndexFaces on real photographs with the real face model.
 *
 * Run after a build, from the repository root:
 *   npm run build && node_modules/.bin/node --experimental-strip-types bench/emulator/run.ts
 */
import type * as Emulator from "../../emulator/index.js";
import type * as Sdk from "@aws-sdk/client-rekognition";

// Plain require keeps this file CommonJS, so it runs under type stripping as is.
const emulator = require("../../dist/emulator/index.js") as typeof Emulator;
const sdk = require("@aws-sdk/client-rekognition") as typeof Sdk;
const { randomUUID } = require("node:crypto") as typeof import("node:crypto");
const { readFileSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
const os = require("node:os") as typeof import("node:os");
const path = require("node:path") as typeof import("node:path");

const USERS = 10_000;
const FACES_PER_USER = 10; // 9 associated up front, 1 left free for the AssociateFaces run
const CONCURRENCY = 4;
const COLLECTION = "bench";

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return v.map((x) => x / n);
}

function randomVector(rand: () => number, base?: Float32Array): Float32Array {
  const v = new Float32Array(emulator.VECTOR_LENGTH);
  for (let i = 0; i < v.length; i++) v[i] = base ? base[i]! + (rand() - 0.5) * 0.05 : rand() - 0.5;
  return unit(v);
}

function load(store: Emulator.Store) {
  let seed = 42;
  const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const now = Date.now();
  store.commit({
    mutations: [
      {
        type: "createCollection",
        id: COLLECTION,
        arn: `aws:rekognition:us-east-1:123456789012:collection/${COLLECTION}`,
        createdAt: now,
      },
    ],
  });
  const users: { userId: string; associated: string[]; free: string }[] = [];
  const faces: Emulator.FaceRecord[] = [];
  for (let u = 0; u < USERS; u++) {
    const base = randomVector(rand);
    const ids = Array.from({ length: FACES_PER_USER }, () => randomUUID());
    for (const faceId of ids) {
      faces.push({
        faceId,
        imageId: randomUUID(),
        boundingBox: { Width: 0.5, Height: 0.6, Left: 0.25, Top: 0.2 },
        confidence: 99.99,
        vector: randomVector(rand, base),
        indexedAt: now,
      });
    }
    users.push({ userId: `user-${String(u).padStart(5, "0")}`, associated: ids.slice(1), free: ids[0]! });
  }
  store.commit({ mutations: [{ type: "addFaces", collectionId: COLLECTION, faces }] });
  store.commit({
    mutations: users.map((u) => ({
      type: "createUser" as const,
      collectionId: COLLECTION,
      userId: u.userId,
      createdAt: now,
    })),
  });
  store.commit({
    mutations: users.map((u) => ({
      type: "associate" as const,
      collectionId: COLLECTION,
      userId: u.userId,
      faceIds: u.associated,
      at: now,
    })),
  });
  return users;
}

interface Result {
  operation: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
}

async function measure(
  operation: string,
  requests: number,
  call: (i: number) => Promise<unknown>,
): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { operation, requests, rps: requests / seconds, p50: pct(50), p99: pct(99) };
}

const REAL_PHOTOS = path.resolve(__dirname, "../../test/photos/real");
const REAL_REQUESTS = 40;

/** IndexFaces with the real model on the test photographs, and the process's peak memory after it. */
async function measureRealModel(): Promise<{ result: Result; firstMs: number; peakMb: number }> {
  const emu = await emulator.startEmulator({ port: 0, faceModel: "real" });
  const client = new sdk.RekognitionClient({
    endpoint: emu.endpoint,
    region: "us-east-1",
    credentials: emu.credentials,
  });
  const photos = ["obama-1", "obama-2", "obama-3", "biden-1"].map((n) =>
    readFileSync(path.join(REAL_PHOTOS, `${n}.jpg`)),
  );
  await client.send(new sdk.CreateCollectionCommand({ CollectionId: "real" }));
  const index = async (i: number) => {
    const out = await client.send(
      new sdk.IndexFacesCommand({ CollectionId: "real", Image: { Bytes: photos[i % photos.length]! } }),
    );
    if (out.FaceRecords?.length !== 1) throw new Error(`IndexFaces found ${out.FaceRecords?.length} faces`);
  };
  const t = performance.now();
  await index(0); // loads the networks
  const firstMs = performance.now() - t;
  const result = await measure("IndexFaces (real model, 0.2–0.3 MP photos)", REAL_REQUESTS, index);
  client.destroy();
  await emu.stop();
  return { result, firstMs, peakMb: process.resourceUsage().maxRSS / 1024 };
}

async function main() {
  // Other work on the machine slows every row: the report says how busy it was.
  const loadAtStart = os.loadavg()[0]!.toFixed(1);
  const real = await measureRealModel();
  const emu = await emulator.startEmulator({ port: 0 });
  const loadStart = performance.now();
  const users = load(emu.store);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const client = new sdk.RekognitionClient({
    endpoint: emu.endpoint,
    region: "us-east-1",
    credentials: emu.credentials,
  });
  const pick = (i: number) => users[(i * 7919) % users.length]!;

  // Warm up connections and the per-user vectors.
  for (let i = 0; i < 50; i++)
    await client.send(new sdk.ListFacesCommand({ CollectionId: COLLECTION, UserId: pick(i).userId }));
  await client.send(new sdk.SearchUsersCommand({ CollectionId: COLLECTION, FaceId: users[0]!.free }));

  const results: Result[] = [real.result];
  results.push(
    await measure("AssociateFaces", 2000, async (i) => {
      const u = users[i]!;
      const out = await client.send(
        new sdk.AssociateFacesCommand({ CollectionId: COLLECTION, UserId: u.userId, FaceIds: [u.free] }),
      );
      if (out.AssociatedFaces?.length !== 1)
        throw new Error(`AssociateFaces did not associate: ${JSON.stringify(out)}`);
    }),
  );
  results.push(
    await measure("ListFaces (UserId filter)", 3000, async (i) => {
      const out = await client.send(
        new sdk.ListFacesCommand({ CollectionId: COLLECTION, UserId: pick(i).userId }),
      );
      if (!out.Faces?.length) throw new Error("ListFaces returned nothing");
    }),
  );
  results.push(
    await measure("SearchUsers (FaceId)", 1000, async (i) => {
      const u = pick(i);
      const out = await client.send(
        new sdk.SearchUsersCommand({ CollectionId: COLLECTION, FaceId: u.associated[0]!, MaxUsers: 5 }),
      );
      if (out.UserMatches?.[0]?.User?.UserId !== u.userId)
        throw new Error("SearchUsers did not find the owner first");
    }),
  );
  results.push(
    await measure("SearchFaces (FaceId, 100,000 faces)", 500, async (i) => {
      const u = pick(i);
      const out = await client.send(
        new sdk.SearchFacesCommand({ CollectionId: COLLECTION, FaceId: u.associated[0]!, MaxFaces: 5 }),
      );
      const top = out.FaceMatches?.[0]?.Face?.FaceId;
      if (!top || ![...u.associated, u.free].includes(top))
        throw new Error("SearchFaces did not find the person's faces first");
    }),
  );
  client.destroy();
  await emu.stop();

  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const date = new Date().toISOString().slice(0, 10);
  const table = [
    "| operation | requests | requests/s | p50 (ms) | p99 (ms) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.operation} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
    ),
  ].join("\n");
  const section = [
    "<!-- bench:start -->",
    `Measured ${date} on ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, load average ${loadAtStart} at the start,`,
    `with ${USERS * FACES_PER_USER} faces and ${USERS} users in one collection (loaded into the store in ${loadSeconds.toFixed(1)} s),`,
    `through @aws-sdk/client-rekognition over HTTP with SigV4 verification on, ${CONCURRENCY} requests in flight, in-memory state:`,
    "",
    table,
    "",
    `The real model's row runs first, in a fresh process: its first IndexFaces (which loads the networks) took ${(real.firstMs / 1000).toFixed(1)} s,`,
    `and the process peaked at ${real.peakMb.toFixed(0)} MB resident by the end of it. Its one worker analyses one photo at a time.`,
    "<!-- bench:end -->",
  ].join("\n");
  console.log(section);
  const doc = path.resolve(__dirname, "../../docs/emulator.md");
  const text = readFileSync(doc, "utf8");
  const updated = text.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, section);
  if (updated === text && !text.includes(section)) throw new Error("docs/emulator.md has no bench markers");
  writeFileSync(doc, updated);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
