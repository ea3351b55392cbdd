// The rekognition-faces-import command, as a user runs it: the compiled bin in
// a child process, against rekognition-local over HTTP.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  IndexFacesCommand,
} from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait, VECTOR_LENGTH, type FaceRecord, type Mutation } from "../../emulator/index.js";
import { startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";
import { scratchDir } from "../harness/scratch.js";

const CLI = resolve(__dirname, "../../dist/provider/import-file/cli.js");
const READS = ["DescribeCollection", "ListUsers", "ListFaces"];

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The command in its own process; asynchronous, so the emulator in this one keeps answering. */
async function runImport(args: string[], env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      // Only what the command is given: no profile or endpoint of the machine running the tests.
      env: { PATH: process.env.PATH ?? "", HOME: tmp, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

interface ImportFileJson {
  nameTable?: Record<string, string>;
  resources: { type: string; name: string; id: string; provider?: string }[];
}

let local: LocalRekognition;
let tmp: string;

beforeAll(async () => {
  local = await startLocalRekognition();
  tmp = scratchDir("import-file-");
});

afterAll(async () => {
  await local?.stop();
});

/** The operations the emulator received since the last reset, as its request log lists them. */
async function operationsLogged(since: number): Promise<string[]> {
  const log = await local.emulator.control.requestLog(1000);
  expect(log.logged - since).toBeLessThanOrEqual(1000);
  return log.requests.slice(log.requests.length - (log.logged - since)).map((r) => r.operation);
}

describe("rekognition-faces-import", () => {
  it("the compiled bin starts with a node shebang, like rekognition-local", () => {
    expect(readFileSync(CLI, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("writes a collection of 3 users: 2 with their face associations, 1 as a User only", async () => {
    const { client } = local;
    const collectionId = "import-small";
    await client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    for (const [userId, photos] of [
      ["alice.smith", 2],
      ["bob:42", 1],
      ["carol", 0],
    ] as const) {
      await client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: userId }));
      const faceIds: string[] = [];
      for (let photo = 1; photo <= photos; photo++) {
        const indexed = await client.send(
          new IndexFacesCommand({
            CollectionId: collectionId,
            Image: { Bytes: generatePortrait(userId, photo) },
            MaxFaces: 1,
          }),
        );
        faceIds.push(indexed.FaceRecords![0]!.Face!.FaceId!);
      }
      if (faceIds.length > 0) {
        await client.send(
          new AssociateFacesCommand({ CollectionId: collectionId, UserId: userId, FaceIds: faceIds }),
        );
      }
    }
    const out = join(tmp, "small.json");
    const before = (await local.emulator.control.requestLog(1)).logged;

    // The endpoint from the environment, as the AWS SDK reads it.
    const run = await runImport(["--collection", collectionId, "--out", out], {
      ...local.env,
      AWS_ENDPOINT_URL_REKOGNITION: local.emulator.endpoint,
    });

    expect(run.stderr).toContain(`wrote ${out}: 1 collection, 3 users, 2 face associations`);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({
      resources: [
        { type: "rekognition-faces:index:Collection", name: "import-small-collection", id: collectionId },
        { type: "rekognition-faces:index:User", name: "alice-smith-user", id: `${collectionId}/alice.smith` },
        {
          type: "rekognition-faces:index:UserFaceAssociation",
          name: "alice-smith-faces",
          id: `${collectionId}/alice.smith`,
        },
        { type: "rekognition-faces:index:User", name: "bob-42-user", id: `${collectionId}/bob:42` },
        {
          type: "rekognition-faces:index:UserFaceAssociation",
          name: "bob-42-faces",
          id: `${collectionId}/bob:42`,
        },
        { type: "rekognition-faces:index:User", name: "carol-user", id: `${collectionId}/carol` },
      ],
    });
    for (const operation of await operationsLogged(before)) expect(READS).toContain(operation);
  });

  it("leaves the collection out and names the provider on request", async () => {
    const urn = "urn:pulumi:dev::roster::pulumi:providers:rekognition-faces::local";
    const run = await runImport(
      [
        "--collection",
        "import-small",
        "--no-collection",
        "--provider",
        urn,
        "--endpoint",
        local.emulator.endpoint,
      ],
      local.env,
    );
    expect(run.status).toBe(0);
    const file = JSON.parse(run.stdout) as ImportFileJson;
    expect(file.nameTable).toEqual({ local: urn });
    expect(file.resources.map((r) => r.type)).not.toContain("rekognition-faces:index:Collection");
    expect(file.resources).toHaveLength(5);
    expect(file.resources.every((r) => r.provider === "local")).toBe(true);
  });

  it("pages through 2,000 users and 4,500 faces with reads only, telling progress every 1,000 users", async () => {
    const collectionId = "import-large";
    const people = 2_000;
    seedLarge(collectionId, people);
    const before = (await local.emulator.control.requestLog(1)).logged;
    await local.emulator.control.resetCounters();

    const run = await runImport(
      ["--collection", collectionId, "--endpoint", local.emulator.endpoint],
      local.env,
    );

    expect(run.status).toBe(0);
    const file = JSON.parse(run.stdout) as ImportFileJson;
    const users = file.resources.filter((r) => r.type === "rekognition-faces:index:User");
    const associations = file.resources.filter(
      (r) => r.type === "rekognition-faces:index:UserFaceAssociation",
    );
    expect(users).toHaveLength(people);
    // Every fourth person has no faces.
    expect(associations).toHaveLength(1_500);
    expect(associations.map((r) => r.id)).toEqual(
      Array.from({ length: people }, (_, p) => p)
        .filter((p) => p % 4 !== 0)
        .map((p) => `${collectionId}/${person(p)}`),
    );
    expect(new Set(file.resources.map((r) => r.name)).size).toBe(file.resources.length);
    expect(run.stderr).toContain("1,000 users listed");
    expect(run.stderr).toContain("2,000 users listed");

    // 2,000 users in pages of 500; 4,500 associated faces + 500 of no one in pages of 4,096.
    const counters = await local.emulator.control.counters();
    const calls = Object.fromEntries(Object.entries(counters.byOperation).filter(([, n]) => n > 0));
    expect(calls).toEqual({ DescribeCollection: 1, ListUsers: 4, ListFaces: 2 });
    const logged = await operationsLogged(before);
    expect(logged).toHaveLength(7);
    for (const operation of logged) expect(READS).toContain(operation);
    expect(run.stderr).toContain("(7 calls");
  });

  it("lists each user's faces instead when that is fewer calls than listing the collection", async () => {
    // 2 users, and 9,000 faces of no one: 3 pages of the collection against 2 calls.
    const collectionId = "import-few-users";
    seedLarge(collectionId, 2, 9_000);
    await local.emulator.control.resetCounters();

    const run = await runImport(
      ["--collection", collectionId, "--endpoint", local.emulator.endpoint],
      local.env,
    );

    expect(run.status).toBe(0);
    const file = JSON.parse(run.stdout) as ImportFileJson;
    expect(file.resources.map((r) => [r.type, r.id])).toEqual([
      ["rekognition-faces:index:Collection", collectionId],
      ["rekognition-faces:index:User", `${collectionId}/${person(0)}`],
      ["rekognition-faces:index:User", `${collectionId}/${person(1)}`],
      ["rekognition-faces:index:UserFaceAssociation", `${collectionId}/${person(1)}`],
    ]);
    const counters = await local.emulator.control.counters();
    const calls = Object.fromEntries(Object.entries(counters.byOperation).filter(([, n]) => n > 0));
    expect(calls).toEqual({ DescribeCollection: 1, ListUsers: 1, ListFaces: 2 });
  });

  it("says in one line which collection is missing, and how to fix it", async () => {
    const run = await runImport(
      [
        "--collection",
        "no-such-collection",
        "--out",
        join(tmp, "none.json"),
        "--endpoint",
        local.emulator.endpoint,
      ],
      local.env,
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([
      `rekognition-faces-import: collection 'no-such-collection' does not exist in region ${local.emulator.region} ` +
        `at ${local.emulator.endpoint}: check --collection (aws rekognition list-collections lists them), ` +
        "or --region / --endpoint if it lives elsewhere",
    ]);
  });

  it("refuses a bad option with the option named, and prints its usage on --help", async () => {
    const bad = await runImport(["--collection", "x", "--endpoint", "localhost:4599"], local.env);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("--endpoint");
    const help = await runImport(["--help"], {});
    expect(help.status).toBe(0);
    for (const flag of [
      "--collection",
      "--out",
      "--no-collection",
      "--provider",
      "--region",
      "--endpoint",
      "--profile",
    ])
      expect(help.stdout).toContain(flag);
  });
});

const person = (p: number) => `person.${String(p).padStart(4, "0")}`;

/**
 * Written straight to the store (fast, no HTTP): `people` users, every
 * fourth with no faces and the others with 3, and `strangers` faces of no one.
 */
function seedLarge(collectionId: string, people: number, strangers = 500): void {
  const now = Date.now();
  const face = (): FaceRecord => ({
    faceId: randomUUID(),
    imageId: randomUUID(),
    boundingBox: { Width: 0.4, Height: 0.5, Left: 0.3, Top: 0.2 },
    confidence: 99.9,
    vector: Float32Array.from({ length: VECTOR_LENGTH }, (_, i) => (i === 0 ? 1 : 0)),
    indexedAt: now,
  });
  const faces: FaceRecord[] = Array.from({ length: strangers }, face);
  const mutations: Mutation[] = [];
  for (let p = 0; p < people; p++) {
    const userId = person(p);
    mutations.push({ type: "createUser", collectionId, userId, createdAt: now });
    if (p % 4 === 0) continue;
    const own = [face(), face(), face()];
    faces.push(...own);
    mutations.push({ type: "associate", collectionId, userId, faceIds: own.map((f) => f.faceId), at: now });
  }
  local.emulator.store.commit({
    mutations: [
      {
        type: "createCollection",
        id: collectionId,
        arn: `aws:rekognition:${local.emulator.region}:123456789012:collection/${collectionId}`,
        createdAt: now,
      },
      { type: "addFaces", collectionId, faces },
      ...mutations,
    ],
  });
}
