import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CreateCollectionCommand,
  DeleteCollectionCommand,
  IndexFacesCommand,
  ListCollectionsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { callsSince, startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";
import { ownerTagKey } from "../../provider/scope.js";
import { TestStack } from "../harness/stack.js";

interface CollectionDeclaration {
  readonly collectionId: string;
  readonly tags?: Record<string, string>;
  readonly adopt?: boolean;
  readonly deleteOnDestroy?: boolean;
}

function collectionsProgram(collections: readonly CollectionDeclaration[]): string {
  const lines = ['import { Collection } from "pulumi-rekognition-faces";', ""];
  collections.forEach((args, i) => {
    lines.push(
      `const c${i} = new Collection(${JSON.stringify(args.collectionId)}, ${JSON.stringify(args)});`,
    );
    lines.push(
      `export const ${args.collectionId.replace(/[^a-zA-Z0-9_]/g, "_")} = ` +
        `{ arn: c${i}.arn, faceModelVersion: c${i}.faceModelVersion, faceCount: c${i}.faceCount, userCount: c${i}.userCount };`,
    );
  });
  return lines.join("\n") + "\n";
}

describe("Collection: create, adopt, refresh, destroy", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  const staff: CollectionDeclaration = { collectionId: "staff", tags: { team: "security" } };

  const collectionIds = async (): Promise<string[]> =>
    ((await local.client.send(new ListCollectionsCommand({}))).CollectionIds ?? []).sort();

  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: "legacy" }));
    stack = await TestStack.create({
      name: "collection",
      program: collectionsProgram([staff]),
      config: local.config,
      env: local.env,
    });
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("creates the collection with one call and outputs its ARN and model", async () => {
    const result = await stack.up();
    // The stack, its identity and the collection.
    expect(result.changes).toMatchObject({ create: 3 });
    expect(await callsSince(local)).toEqual({ CreateCollection: 1 });
    const staffOut = (await stack.outputs())["staff"] as Record<string, unknown>;
    // Rekognition's own ARNs read "aws:rekognition:<region>:<account>:collection/<id>".
    expect(staffOut["arn"]).toMatch(/aws:rekognition:us-east-1:\d{12}:collection\/staff$/);
    expect(staffOut["faceModelVersion"]).toEqual(expect.any(String));
    expect(staffOut).toMatchObject({ faceCount: 0, userCount: 0 });
    expect((await stack.resource("staff")).id).toBe("staff");
  });

  it("makes no call at all when nothing changed, preview included", async () => {
    const result = await stack.up({ withPreview: true });
    expect(result.changes).toEqual({ same: 3 });
    expect(await callsSince(local)).toEqual({});
  });

  it("fails at preview naming the field when the collection ID is invalid", async () => {
    stack.writeProgram(collectionsProgram([staff, { collectionId: "front door" }]));
    const preview = await stack.preview({ expectFailure: true });
    expect(preview.errors.join("\n")).toMatch(/collectionId 'front door' may contain only letters, digits/);
  });

  it("fails at preview naming a tag that Rekognition would refuse, and the fix", async () => {
    stack.writeProgram(
      collectionsProgram([staff, { collectionId: "bad-tags", tags: { "aws:owner": "me", team: "a;b" } }]),
    );
    const errors = (await stack.preview({ expectFailure: true })).errors.join("\n");
    expect(errors).toContain(
      "tag name 'aws:owner' starts with 'aws:', which AWS reserves for its own tags: rename it",
    );
    expect(errors).toContain("tags.team 'a;b' may contain only letters, digits, spaces and _ . : / = + - @");
  });

  it("refuses a collection that exists already, naming adopt: true", async () => {
    stack.writeProgram(collectionsProgram([staff, { collectionId: "legacy" }]));
    const result = await stack.up({ expectFailure: true });
    expect(result.errors.join("\n")).toMatch(/collection 'legacy' already exists.*adopt: true/);
  });

  it("adopts an existing collection on request", async () => {
    stack.writeProgram(collectionsProgram([staff, { collectionId: "legacy", adopt: true }]));
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1 });
    // The tags tell whether this stack made it (a create it did not see finish).
    expect(await callsSince(local)).toEqual({
      CreateCollection: 1,
      DescribeCollection: 1,
      ListTagsForResource: 1,
    });
    expect((await stack.resource("legacy")).outputs?.["origin"]).toBe("adopted");
  });

  it("records deleteOnDestroy without a call", async () => {
    stack.writeProgram(
      collectionsProgram([
        { ...staff, deleteOnDestroy: true },
        { collectionId: "legacy", adopt: true },
      ]),
    );
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({});
  });

  const staffArn = async () => (await stack.resource("staff")).outputs?.["arn"] as string;
  /** The tags users declared; the stack's own mark is there too, and stays. */
  const staffTags = async () => {
    const listed = await local.client.send(new ListTagsForResourceCommand({ ResourceArn: await staffArn() }));
    const { [ownerTagKey]: mark, ...tags } = listed.Tags ?? {};
    expect(mark).toMatch(/^[0-9a-f]{32}$/);
    return tags;
  };
  const tagged: CollectionDeclaration = {
    ...staff,
    tags: { floor: "3", site: "hq" },
    deleteOnDestroy: true,
  };

  it("updates tags in place: UntagResource for removed names, TagResource for new values", async () => {
    stack.writeProgram(collectionsProgram([tagged, { collectionId: "legacy", adopt: true }]));
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({ UntagResource: 1, TagResource: 1 });
    expect(await staffTags()).toEqual({ floor: "3", site: "hq" });
    expect((await stack.resource("staff")).outputs?.["tags"]).toEqual({ floor: "3", site: "hq" });
  });

  it("refresh records tags changed outside the stack, and the next up restores them", async () => {
    const ResourceArn = await staffArn();
    await local.client.send(new TagResourceCommand({ ResourceArn, Tags: { floor: "4", owner: "someone" } }));
    await local.client.send(new UntagResourceCommand({ ResourceArn, TagKeys: ["site"] }));
    await local.emulator.control.resetCounters();
    await stack.refresh();
    expect(await callsSince(local)).toEqual({ DescribeCollection: 2, ListTagsForResource: 2 });
    expect((await stack.resource("staff")).outputs?.["tags"]).toEqual({ floor: "4", owner: "someone" });

    const preview = await stack.preview({ diff: true });
    // Dynamic providers report no per-property diff: the preview shows the update.
    expect(preview.changes).toMatchObject({ update: 1 });
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({ UntagResource: 1, TagResource: 1 });
    expect(await staffTags()).toEqual({ floor: "3", site: "hq" });
    expect((await stack.up()).changes).toEqual({ same: 4 });
  });

  it("refreshes face and user counts, and drops a collection deleted outside the stack", async () => {
    await local.client.send(
      new IndexFacesCommand({
        CollectionId: "staff",
        Image: { Bytes: generatePortrait("dana", 1) },
        MaxFaces: 1,
      }),
    );
    await local.client.send(new DeleteCollectionCommand({ CollectionId: "legacy" }));
    await local.emulator.control.resetCounters();
    await stack.refresh();
    // The deleted collection has no tags to list.
    expect(await callsSince(local)).toEqual({ DescribeCollection: 2, ListTagsForResource: 1 });
    expect((await stack.resource("staff")).outputs).toMatchObject({ faceCount: 1, userCount: 0 });
    expect((await stack.resources("pulumi-nodejs:dynamic/rekognition:Collection")).map((r) => r.id)).toEqual([
      "staff",
    ]);
  });

  it("deletes the collections it created on destroy", async () => {
    await local.client.send(new CreateCollectionCommand({ CollectionId: "legacy" }));
    stack.writeProgram(collectionsProgram([staff, { collectionId: "legacy", adopt: true }]));
    await stack.up();
    await local.emulator.control.resetCounters();
    const result = await stack.destroy();
    expect(result.changes).toMatchObject({ delete: 4 });
    expect(await callsSince(local)).toEqual({ DeleteCollection: 1 });
    expect(await collectionIds()).toEqual(["legacy"]);
  });
});

/**
 * Forwards requests to rekognition-local untouched (the signature covers the
 * Host header, which is passed on as it came), except those whose operation
 * is in `denied`, which get the service's AccessDeniedException.
 */
async function denyingProxy(
  target: string,
): Promise<{ endpoint: string; denied: Set<string>; server: Server }> {
  const upstream = new URL(target);
  const denied = new Set<string>();
  const server = createServer((req, res) => {
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    if (denied.has(operation)) {
      req.resume();
      const message = `User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: rekognition:${operation}`;
      res.writeHead(400, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-errortype": "AccessDeniedException",
        "x-amzn-requestid": "denied",
      });
      res.end(JSON.stringify({ __type: "AccessDeniedException", Message: message }));
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, denied, server };
}

describe("Collection: a refresh the credentials may not make", () => {
  let local: LocalRekognition;
  let proxy: Awaited<ReturnType<typeof denyingProxy>>;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition();
    proxy = await denyingProxy(local.emulator.endpoint);
    stack = await TestStack.create({
      name: "collection-denied",
      program: collectionsProgram([{ collectionId: "guarded", tags: { team: "security" } }]),
      config: { ...local.config, "aws:endpoints[0].rekognition": proxy.endpoint },
      env: local.env,
    });
    await stack.up();
  });
  afterAll(async () => {
    proxy?.denied.clear();
    await stack?.dispose();
    proxy?.server.close();
    await local?.stop();
  });

  it.each(["DescribeCollection", "ListTagsForResource"])(
    "AccessDenied on %s fails the refresh naming the permission, and keeps the collection",
    async (operation) => {
      proxy.denied.clear();
      proxy.denied.add(operation);
      const result = await stack.refresh({ expectFailure: true });
      const errors = result.errors.join("\n");
      expect(errors).toContain(`${operation} on collection 'guarded' was denied`);
      expect(errors).toContain(`Grant the deploying credentials rekognition:${operation}`);
      expect(errors).not.toMatch(/does not exist|deleted/);
      // Said once, with the resource: the host does not print it again on the stack, with its stack trace.
      const printed = result.stdout + result.stderr;
      expect(printed).not.toContain(`Error: ${operation} on collection 'guarded'`);
      expect(printed).not.toMatch(/\n\s+at \S+ \(/);
      expect((await stack.resource("guarded")).id).toBe("guarded");
    },
  );
});
