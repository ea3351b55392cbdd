import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  DescribeCollectionCommand,
  IndexFacesCommand,
  ListFacesCommand,
  ListUsersCommand,
  paginateListUsers,
  RekognitionClient,
  SearchUsersByImageCommand,
} from "@aws-sdk/client-rekognition";
import { DEFAULT_CREDENTIALS, startEmulator, Store } from "../../emulator/index.js";
import { clientFor, photo } from "./helpers.js";
import { scratchDir } from "../harness/scratch.js";

const CLI = resolve(__dirname, "../../dist/emulator/cli.js");
const tempDir = () => scratchDir("rekognition-state-");

describe("persistence", () => {
  test("state survives a restart on the same data dir", async () => {
    const dataDir = tempDir();
    const first = await startEmulator({ port: 0, dataDir });
    let c = clientFor(first);
    await c.send(new CreateCollectionCommand({ CollectionId: "kept" }));
    const face = (
      await c.send(
        new IndexFacesCommand({
          CollectionId: "kept",
          Image: { Bytes: photo("rosa", 1) },
          ExternalImageId: "rosa-1",
        }),
      )
    ).FaceRecords![0]!.Face!;
    await c.send(new CreateUserCommand({ CollectionId: "kept", UserId: "rosa" }));
    await c.send(
      new AssociateFacesCommand({
        CollectionId: "kept",
        UserId: "rosa",
        FaceIds: [face.FaceId!],
        ClientRequestToken: "assoc-rosa",
      }),
    );
    c.destroy();
    await first.stop();

    const second = await startEmulator({ port: 0, dataDir });
    c = clientFor(second);
    try {
      const d = await c.send(new DescribeCollectionCommand({ CollectionId: "kept" }));
      expect([d.FaceCount, d.UserCount]).toEqual([1, 1]);
      const faces = await c.send(new ListFacesCommand({ CollectionId: "kept" }));
      expect(faces.Faces![0]).toMatchObject({
        FaceId: face.FaceId,
        ExternalImageId: "rosa-1",
        UserId: "rosa",
        BoundingBox: face.BoundingBox,
      });
      // Vectors survive too: search still recognises the person.
      const found = await c.send(
        new SearchUsersByImageCommand({ CollectionId: "kept", Image: { Bytes: photo("rosa", 2) } }),
      );
      expect(found.UserMatches![0]!.User!.UserId).toBe("rosa");
      // So do idempotency tokens.
      const replay = await c.send(
        new AssociateFacesCommand({
          CollectionId: "kept",
          UserId: "rosa",
          FaceIds: [face.FaceId!],
          ClientRequestToken: "assoc-rosa",
        }),
      );
      expect(replay.AssociatedFaces).toEqual([{ FaceId: face.FaceId }]);
    } finally {
      c.destroy();
      await second.stop();
    }
  });

  test("the journal is folded into a snapshot, and a torn last line is ignored", () => {
    const dataDir = tempDir();
    const store = Store.open({ dataDir, compactEvery: 3 });
    for (let i = 0; i < 7; i++) {
      store.commit({ mutations: [{ type: "createCollection", id: `c${i}`, arn: `arn-${i}`, createdAt: i }] });
    }
    expect(existsSync(join(dataDir, "snapshot.json"))).toBe(true);
    // Simulate a kill in the middle of writing a line (no close, no compaction).
    appendFileSync(join(dataDir, "journal.ndjson"), '{"seq":8,"mutations":[{"type":"createColl');
    const reopened = Store.open({ dataDir });
    expect([...reopened.collections.keys()].sort()).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    // New writes after the torn line are kept.
    reopened.commit({ mutations: [{ type: "createCollection", id: "c7", arn: "arn-7", createdAt: 7 }] });
    const again = Store.open({ dataDir });
    expect(again.collections.has("c7")).toBe(true);
    expect(readFileSync(join(dataDir, "journal.ndjson"), "utf8")).not.toContain("createColl\n");
  });
});

function startCli(dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; endpoint: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const child = spawn(
    process.execPath,
    [
      CLI,
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--updating-window-ms",
      "0",
      "--face-model",
      "synthetic",
      ...extra,
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return new Promise((resolvePromise, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolvePromise({ child, endpoint: m[1]! });
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`cli exited with ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((r) => child.once("exit", r));

describe("crash safety", () => {
  test("kill -9 mid-stream: the restarted emulator loads and holds every acknowledged write", async () => {
    const dataDir = tempDir();
    // Frequent snapshots, so the kill may also land in the middle of one.
    const { child, endpoint } = await startCli(dataDir, ["--compact-every", "25"]);
    const client = new RekognitionClient({
      endpoint,
      region: "us-east-1",
      credentials: DEFAULT_CREDENTIALS,
      maxAttempts: 1,
    });
    await client.send(new CreateCollectionCommand({ CollectionId: "crash" }));
    const face = (
      await client.send(new IndexFacesCommand({ CollectionId: "crash", Image: { Bytes: photo("tom", 1) } }))
    ).FaceRecords![0]!.Face!.FaceId!;

    const acknowledged: string[] = [];
    let stop = false;
    // Four writers in parallel, so writes are in flight at the moment of the kill.
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const userId = `w${w}-u${i}`;
        try {
          await client.send(new CreateUserCommand({ CollectionId: "crash", UserId: userId }));
          acknowledged.push(userId);
        } catch {
          return;
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await client.send(new CreateUserCommand({ CollectionId: "crash", UserId: "tom" }));
    await client.send(new AssociateFacesCommand({ CollectionId: "crash", UserId: "tom", FaceIds: [face] }));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await exited(child);
    stop = true;
    await Promise.all(writers);
    client.destroy();

    const restarted = await startCli(dataDir);
    const again = new RekognitionClient({
      endpoint: restarted.endpoint,
      region: "us-east-1",
      credentials: DEFAULT_CREDENTIALS,
    });
    try {
      const users = new Set<string>();
      for await (const page of paginateListUsers({ client: again }, { CollectionId: "crash" })) {
        for (const u of page.Users ?? []) users.add(u.UserId!);
      }
      for (const id of acknowledged) expect(users.has(id), `acknowledged ${id} is missing`).toBe(true);
      expect(users.has("tom")).toBe(true);
      const tom = await again.send(new ListFacesCommand({ CollectionId: "crash", UserId: "tom" }));
      expect(tom.Faces!.map((f) => f.FaceId)).toEqual([face]);
      expect(
        (await again.send(new ListUsersCommand({ CollectionId: "crash", MaxResults: 1 }))).Users,
      ).toHaveLength(1);
    } finally {
      again.destroy();
      restarted.child.kill("SIGTERM");
      await exited(restarted.child);
    }
  });

  test("--token-ttl-seconds: the token is persisted, and once its lifetime is over the same token is a new request", async () => {
    const dataDir = tempDir();
    const flags = ["--token-ttl-seconds", "1"];
    const call = (UserId: string) =>
      new CreateUserCommand({ CollectionId: "tokens", UserId, ClientRequestToken: "create-1" });
    const first = await startCli(dataDir, flags);
    let client = new RekognitionClient({
      endpoint: first.endpoint,
      region: "us-east-1",
      credentials: DEFAULT_CREDENTIALS,
    });
    await client.send(new CreateCollectionCommand({ CollectionId: "tokens" }));
    await client.send(call("ann"));
    client.destroy();
    first.child.kill("SIGTERM");
    await exited(first.child);
    const snapshot = () =>
      (JSON.parse(readFileSync(join(dataDir, "snapshot.json"), "utf8")) as { tokens: { key: string }[] })
        .tokens;
    expect(snapshot().map((t) => t.key)).toEqual(["CreateUser:create-1"]);

    await new Promise((r) => setTimeout(r, 1_100));
    const second = await startCli(dataDir, flags);
    client = new RekognitionClient({
      endpoint: second.endpoint,
      region: "us-east-1",
      credentials: DEFAULT_CREDENTIALS,
    });
    try {
      // Expired: the same token with other parameters is a new request, not a mismatch.
      await client.send(call("bob"));
      const users = await client.send(new ListUsersCommand({ CollectionId: "tokens" }));
      expect(users.Users!.map((u) => u.UserId)).toEqual(["ann", "bob"]);
    } finally {
      client.destroy();
      second.child.kill("SIGTERM");
      await exited(second.child);
    }
  });

  test("SIGTERM shuts down cleanly with exit code 0, and a taken port is a one-line error with exit code 1", async () => {
    const dataDir = tempDir();
    const { child, endpoint } = await startCli(dataDir);
    const port = new URL(endpoint).port;
    const second = spawn(process.execPath, [CLI, "--port", port], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    second.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((r) => second.once("exit", r));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(port);
    expect(stderr).toContain("--port");
    child.kill("SIGTERM");
    const exitCode = await new Promise((r) => child.once("exit", r));
    expect(exitCode).toBe(0);
    expect(existsSync(join(dataDir, "snapshot.json"))).toBe(true);
  });
});
