import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CreateCollectionCommand,
  DeleteCollectionCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { clientFor, sdkError } from "./helpers.js";
import { scratchDir } from "../harness/scratch.js";

let emu: RunningEmulator;
let client: RekognitionClient;
let seq = 0;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = clientFor(emu);
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

/** A new collection, with the tags given at creation; its ARN. */
async function collection(Tags?: Record<string, string>): Promise<string> {
  const out = await client.send(new CreateCollectionCommand({ CollectionId: `tagged-${++seq}`, Tags }));
  return out.CollectionArn!;
}

const tagsOf = async (ResourceArn: string, c: RekognitionClient = client) =>
  (await c.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags;

const manyTags = (n: number, prefix = "k") =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));

describe("TagResource, UntagResource, ListTagsForResource on collections", () => {
  test("tags given at CreateCollection are listed; a collection without tags lists none", async () => {
    expect(await tagsOf(await collection({ team: "security", "cost-centre": "42" }))).toEqual({
      team: "security",
      "cost-centre": "42",
    });
    expect(await tagsOf(await collection())).toEqual({});
  });

  test("TagResource adds and overwrites; UntagResource removes, ignoring keys not there", async () => {
    const arn = await collection({ team: "security", floor: "3" });
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: "ops", site: "Zürich HQ" } }));
    expect(await tagsOf(arn)).toEqual({ team: "ops", floor: "3", site: "Zürich HQ" });
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["floor", "never-set"] }));
    expect(await tagsOf(arn)).toEqual({ team: "ops", site: "Zürich HQ" });
  });

  test("the ARN with an arn: prefix names the same collection", async () => {
    const arn = await collection({ a: "1" });
    await client.send(new TagResourceCommand({ ResourceArn: `arn:${arn}`, Tags: { b: "2" } }));
    expect(await tagsOf(arn)).toEqual({ a: "1", b: "2" });
  });

  test("an unknown or deleted collection's ARN is ResourceNotFoundException", async () => {
    const arn = await collection();
    await client.send(new DeleteCollectionCommand({ CollectionId: arn.split("/").pop() }));
    // A live collection's ARN in another region names nothing.
    const other = (await collection()).replace("us-east-1", "eu-west-1");
    for (const ResourceArn of [arn, other, "aws:rekognition:us-east-1:123456789012:project/x"]) {
      for (const call of [
        () => client.send(new ListTagsForResourceCommand({ ResourceArn })),
        () => client.send(new TagResourceCommand({ ResourceArn, Tags: { a: "b" } })),
        () => client.send(new UntagResourceCommand({ ResourceArn, TagKeys: ["a"] })),
      ]) {
        const err = await sdkError(call);
        expect(err.name).toBe("ResourceNotFoundException");
        expect(err.message).toContain(ResourceArn);
      }
    }
  });

  test("more than 200 tags in one call is InvalidParameterException; past 200 in all, ServiceQuotaExceededException", async () => {
    const arn = await collection(manyTags(150));
    const tooMany = await sdkError(() =>
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: manyTags(201, "n") })),
    );
    expect(tooMany.name).toBe("InvalidParameterException");
    expect(tooMany.message).toContain("Tags");
    const created = await sdkError(() =>
      client.send(new CreateCollectionCommand({ CollectionId: "too-many-tags", Tags: manyTags(201) })),
    );
    expect(created.name).toBe("InvalidParameterException");
    const over = await sdkError(() =>
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: manyTags(51, "n") })),
    );
    expect(over.name).toBe("ServiceQuotaExceededException");
    expect(over.message).toMatch(/201 tags.*at most 200/);
    expect(Object.keys((await tagsOf(arn))!)).toHaveLength(150);
    // Overwriting existing keys does not count twice: exactly 200 is fine.
    await client.send(
      new TagResourceCommand({ ResourceArn: arn, Tags: { ...manyTags(10), ...manyTags(50, "n") } }),
    );
    expect(Object.keys((await tagsOf(arn))!)).toHaveLength(200);
  });

  test.each([
    [{ ["k".repeat(129)]: "v" }, "Tags.key"],
    [{ "": "v" }, "Tags.key"],
    [{ "aws:owner": "me" }, "Tags.key"],
    [{ "bad*key": "v" }, "Tags.key"],
    [{ team: "v".repeat(257) }, "Tags.team"],
    [{ team: "semi;colon" }, "Tags.team"],
  ])("tags %j break the documented rules and name %s", async (Tags, member) => {
    const arn = await collection();
    const err = await sdkError(() => client.send(new TagResourceCommand({ ResourceArn: arn, Tags })));
    expect(err.name).toBe("InvalidParameterException");
    expect(err.message).toContain(`'${member}'`);
    const create = await sdkError(() =>
      client.send(new CreateCollectionCommand({ CollectionId: `bad-tags-${++seq}`, Tags })),
    );
    expect(create.name).toBe("InvalidParameterException");
  });

  test("UntagResource and the ARN follow the reference's limits", async () => {
    const arn = await collection();
    const keys = await sdkError(() =>
      client.send(
        new UntagResourceCommand({
          ResourceArn: arn,
          TagKeys: Array.from({ length: 201 }, (_, i) => `k${i}`),
        }),
      ),
    );
    expect(keys.message).toContain("TagKeys");
    const reserved = await sdkError(() =>
      client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["aws:cloudformation:stack-name"] })),
    );
    expect(reserved.message).toContain("TagKeys.1");
    const short = await sdkError(() => client.send(new ListTagsForResourceCommand({ ResourceArn: "aws:x" })));
    expect(short.name).toBe("InvalidParameterException");
    expect(short.message).toContain("ResourceArn");
  });

  test("a tag named __proto__ is stored like any other", async () => {
    const arn = await collection();
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: JSON.parse('{"__proto__":"x"}') }));
    expect(Object.entries((await tagsOf(arn))!)).toEqual([["__proto__", "x"]]);
  });

  test("tags survive a restart", async () => {
    const dataDir = scratchDir("rekognition-tags-");
    const first = await startEmulator({ port: 0, dataDir });
    let c = clientFor(first);
    const arn = (
      await c.send(new CreateCollectionCommand({ CollectionId: "kept", Tags: { a: "1", b: "2" } }))
    ).CollectionArn!;
    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: { c: "3" } }));
    await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a"] }));
    c.destroy();
    await first.stop();
    const second = await startEmulator({ port: 0, dataDir });
    c = clientFor(second);
    try {
      expect(await tagsOf(arn, c)).toEqual({ b: "2", c: "3" });
    } finally {
      c.destroy();
      await second.stop();
    }
  });
});
