import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CreateCollectionCommand,
  DeleteCollectionCommand,
  DescribeCollectionCommand,
  IndexFacesCommand,
  ListCollectionsCommand,
  CreateUserCommand,
  paginateListCollections,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import type { RunningEmulator } from "../../emulator/index.js";
import { photo, sdkError, startWithClient } from "./helpers.js";

let emu: RunningEmulator;
let client: RekognitionClient;

beforeAll(async () => {
  ({ emu, client } = await startWithClient());
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

describe("collections", () => {
  test("create returns the ARN, model version and status code", async () => {
    const out = await client.send(
      new CreateCollectionCommand({ CollectionId: "staff", Tags: { team: "security" } }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FaceModelVersion).toBe("7.0");
    expect(out.CollectionArn).toMatch(/^aws:rekognition:us-east-1:\d{12}:collection\/staff$/);
  });

  test("creating an existing collection is ResourceAlreadyExistsException", async () => {
    await client.send(new CreateCollectionCommand({ CollectionId: "dup" }));
    const err = await sdkError(() => client.send(new CreateCollectionCommand({ CollectionId: "dup" })));
    expect(err.name).toBe("ResourceAlreadyExistsException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test("describe counts faces and users and reports the creation time in epoch seconds", async () => {
    const before = Date.now() / 1000;
    await client.send(new CreateCollectionCommand({ CollectionId: "described" }));
    await client.send(
      new IndexFacesCommand({ CollectionId: "described", Image: { Bytes: photo("dora", 1) } }),
    );
    await client.send(new CreateUserCommand({ CollectionId: "described", UserId: "dora" }));
    const out = await client.send(new DescribeCollectionCommand({ CollectionId: "described" }));
    expect(out.FaceCount).toBe(1);
    expect(out.UserCount).toBe(1);
    expect(out.FaceModelVersion).toBe("7.0");
    expect(out.CollectionARN).toMatch(/collection\/described$/);
    expect(out.CreationTimestamp).toBeInstanceOf(Date);
    expect(out.CreationTimestamp!.getTime() / 1000).toBeGreaterThanOrEqual(Math.floor(before) - 1);
  });

  test("list pages through every collection", async () => {
    for (let i = 0; i < 7; i++)
      await client.send(new CreateCollectionCommand({ CollectionId: `paged-${i}` }));
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateListCollections({ client, pageSize: 3 }, {})) {
      pages++;
      ids.push(...(page.CollectionIds ?? []));
      expect(page.FaceModelVersions).toHaveLength(page.CollectionIds!.length);
    }
    expect(pages).toBeGreaterThan(3);
    for (let i = 0; i < 7; i++) expect(ids).toContain(`paged-${i}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("delete removes the collection; describing or deleting it again is ResourceNotFoundException", async () => {
    await client.send(new CreateCollectionCommand({ CollectionId: "gone" }));
    expect((await client.send(new DeleteCollectionCommand({ CollectionId: "gone" }))).StatusCode).toBe(200);
    expect(
      (await sdkError(() => client.send(new DescribeCollectionCommand({ CollectionId: "gone" })))).name,
    ).toBe("ResourceNotFoundException");
    expect(
      (await sdkError(() => client.send(new DeleteCollectionCommand({ CollectionId: "gone" })))).name,
    ).toBe("ResourceNotFoundException");
    const list = await client.send(new ListCollectionsCommand({}));
    expect(list.CollectionIds).not.toContain("gone");
  });

  test.each([
    ["", "CollectionId"],
    ["has space", "CollectionId"],
    ["x".repeat(256), "CollectionId"],
    ["slash/no", "CollectionId"],
  ])("invalid collection id %j is InvalidParameterException naming %s", async (id, field) => {
    const err = await sdkError(() => client.send(new CreateCollectionCommand({ CollectionId: id })));
    expect(err.name).toBe("InvalidParameterException");
    expect(err.message).toContain(field);
  });

  test("a 255-character id with every allowed character is accepted", async () => {
    const id = "aZ09_.-".repeat(40).slice(0, 255);
    await client.send(new CreateCollectionCommand({ CollectionId: id }));
    expect((await client.send(new DescribeCollectionCommand({ CollectionId: id }))).FaceCount).toBe(0);
  });

  test("ListCollections MaxResults out of range names the field", async () => {
    const err = await sdkError(() => client.send(new ListCollectionsCommand({ MaxResults: 5000 })));
    expect(err.name).toBe("InvalidParameterException");
    expect(err.message).toContain("MaxResults");
  });
});
