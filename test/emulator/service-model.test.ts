/**
 * Every operation rekognition-local serves answers what Rekognition's service
 * model allows: each 200 response, as received over HTTP, is checked shape by
 * shape against botocore's service-2.json (the model the SDKs are generated
 * from), and every pagination token against the request member it goes back in.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningEmulator } from "../../emulator/index.js";
import { OPERATIONS } from "../../emulator/operations/index.js";
import { photo, rawCall, startWithClient } from "./helpers.js";
import {
  botocoreDataDir,
  loadModel,
  tokenViolations,
  violations,
  type Paginator,
  type ServiceModel,
} from "./service-model.js";
import { scratchDir } from "../harness/scratch.js";

let emu: RunningEmulator;
let model: ServiceModel;
let paginators: Record<string, Paginator>;
let s3: { model: ServiceModel; paginators: Record<string, Paginator> };
// A bucket folder whose keys include one of S3's longest (1,024 bytes).
const bucket = scratchDir("model-bucket-");
const LONG_KEY = Array.from({ length: 4 }, (_, i) => String(i).repeat(254)).join("/") + "/x.pn";
const exercised = new Set<string>();

// The longest ids the model allows, so that pages end on them.
const LONG_COLLECTION = "a".repeat(255);
const LONG_USER = "u".repeat(128);
const STAFF = "staff";

const b64 = (bytes: Buffer) => bytes.toString("base64");

/** Calls `operation` over HTTP and checks the raw 200 response against the model; returns it. */
async function conforming(operation: string, input: Record<string, unknown>) {
  const res = await rawCall(emu, `RekognitionService.${operation}`, JSON.stringify(input));
  expect({ operation, status: res.status, error: res.json.__type }).toEqual({
    operation,
    status: 200,
    error: undefined,
  });
  const outputShape = model.operations[operation]!.output!.shape;
  expect([
    ...violations(model, outputShape, res.json, operation),
    ...tokenViolations(model, paginators, operation, res.json),
  ]).toEqual([]);
  exercised.add(operation);
  return res.json as Record<string, unknown> & { NextToken?: string };
}

beforeAll(async () => {
  const data = botocoreDataDir(join(__dirname, "../.."));
  ({ model, paginators } = loadModel(data, "rekognition", "2016-06-27"));
  s3 = loadModel(data, "s3", "2006-03-01");
  for (const key of ["a.png", LONG_KEY, "z.png"]) {
    mkdirSync(dirname(join(bucket, key)), { recursive: true });
    writeFileSync(join(bucket, key), key);
  }
  ({ emu } = await startWithClient({ s3Buckets: { photos: bucket } }));
});
afterAll(async () => emu?.stop());

describe("responses against Rekognition's service model", () => {
  const faceIds: string[] = [];
  let arn = "";

  test("collections, and a ListCollections page that ends on a 255-character id", async () => {
    await conforming("CreateCollection", { CollectionId: LONG_COLLECTION });
    arn = (await conforming("CreateCollection", { CollectionId: STAFF, Tags: { team: "security" } }))
      .CollectionArn as string;
    await conforming("DescribeCollection", { CollectionId: STAFF });
    const first = await conforming("ListCollections", { MaxResults: 1 });
    expect(first.CollectionIds).toEqual([LONG_COLLECTION]);
    expect(first.NextToken).toBeDefined();
    const second = await conforming("ListCollections", { MaxResults: 1, NextToken: first.NextToken });
    expect(second.CollectionIds).toEqual([STAFF]);
  });

  test("faces: IndexFaces, ListFaces page by page", async () => {
    for (const [person, n] of [
      ["alice", 1],
      ["alice", 2],
      ["bob", 1],
    ] as const) {
      const out = await conforming("IndexFaces", {
        CollectionId: STAFF,
        Image: { Bytes: b64(photo(person, n)) },
        ExternalImageId: `${person}-${n}`,
        MaxFaces: 1,
        DetectionAttributes: ["ALL"],
      });
      faceIds.push((out.FaceRecords as { Face: { FaceId: string } }[])[0]!.Face.FaceId);
    }
    // A photo of two people indexed with room for one: the other is reported unindexed.
    await conforming("IndexFaces", {
      CollectionId: STAFF,
      Image: { Bytes: b64(photo("carol", 1, 2)) },
      MaxFaces: 1,
      QualityFilter: "NONE",
    });
    let token: string | undefined;
    const listed: string[] = [];
    do {
      const out = await conforming("ListFaces", { CollectionId: STAFF, MaxResults: 1, NextToken: token });
      listed.push(...(out.Faces as { FaceId: string }[]).map((f) => f.FaceId));
      token = out.NextToken;
    } while (token);
    expect(listed).toEqual(expect.arrayContaining(faceIds));
  });

  test("users: associations, and a ListUsers page that ends on a 128-character id", async () => {
    for (const userId of ["alice", "bob", LONG_USER, "zed"]) {
      await conforming("CreateUser", {
        CollectionId: STAFF,
        UserId: userId,
        ClientRequestToken: `create-${userId.length}-${userId[0]}`,
      });
    }
    await conforming("AssociateFaces", {
      CollectionId: STAFF,
      UserId: "alice",
      FaceIds: [faceIds[0], faceIds[1], "00000000-0000-0000-0000-000000000000"],
    });
    // Bob's face, claimed for alice, who already has faces: too unlike her to join.
    await conforming("AssociateFaces", { CollectionId: STAFF, UserId: "alice", FaceIds: [faceIds[2]] });
    await conforming("DisassociateFaces", {
      CollectionId: STAFF,
      UserId: "alice",
      FaceIds: [faceIds[1], "00000000-0000-0000-0000-000000000000"],
    });
    const first = await conforming("ListUsers", { CollectionId: STAFF, MaxResults: 3 });
    expect((first.Users as { UserId: string }[]).at(-1)?.UserId).toBe(LONG_USER);
    expect(first.NextToken).toBeDefined();
    const second = await conforming("ListUsers", { CollectionId: STAFF, NextToken: first.NextToken });
    expect((second.Users as { UserId: string }[]).map((u) => u.UserId)).toEqual(["zed"]);
    await conforming("ListFaces", { CollectionId: STAFF, UserId: "alice" });
  });

  test("searches", async () => {
    await conforming("SearchFaces", { CollectionId: STAFF, FaceId: faceIds[0], FaceMatchThreshold: 0 });
    await conforming("SearchFacesByImage", {
      CollectionId: STAFF,
      Image: { Bytes: b64(photo("alice", 3)) },
      FaceMatchThreshold: 0,
    });
    await conforming("SearchUsers", { CollectionId: STAFF, UserId: "alice", UserMatchThreshold: 0 });
    await conforming("SearchUsers", { CollectionId: STAFF, FaceId: faceIds[1], UserMatchThreshold: 0 });
    await conforming("SearchUsersByImage", {
      CollectionId: STAFF,
      Image: { Bytes: b64(photo("alice", 3, 2)) },
      UserMatchThreshold: 0,
    });
  });

  test("tags", async () => {
    await conforming("TagResource", { ResourceArn: arn, Tags: { floor: "3" } });
    await conforming("ListTagsForResource", { ResourceArn: arn });
    await conforming("UntagResource", { ResourceArn: arn, TagKeys: ["floor"] });
  });

  test("deletions", async () => {
    // Alice's second face was released; her first is still hers.
    const out = await conforming("DeleteFaces", { CollectionId: STAFF, FaceIds: [faceIds[1], faceIds[0]] });
    expect(out.DeletedFaces).toEqual([faceIds[1]]);
    expect(
      await conforming("DeleteFaces", { CollectionId: STAFF, FaceIds: [faceIds[0]] }),
    ).not.toHaveProperty("DeletedFaces");
    await conforming("DeleteUser", { CollectionId: STAFF, UserId: "zed" });
    await conforming("DeleteCollection", { CollectionId: LONG_COLLECTION });
  });

  test("every operation the endpoint serves was checked", () => {
    expect([...exercised].sort()).toEqual(Object.keys(OPERATIONS).sort());
  });
});

describe("S3 ListObjectsV2 against S3's service model", () => {
  test("continuation tokens, a page ending on a 1,024-byte key among them, go back as the model allows", async () => {
    expect(Buffer.byteLength(LONG_KEY)).toBe(1024);
    const client = new S3Client({
      endpoint: emu.endpoint,
      forcePathStyle: true,
      region: emu.region,
      credentials: emu.credentials,
    });
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await client.send(
        new ListObjectsV2Command({ Bucket: "photos", MaxKeys: 1, ContinuationToken: token }),
      );
      keys.push(...(out.Contents ?? []).map((c) => c.Key!));
      token = out.NextContinuationToken;
      expect(
        tokenViolations(s3.model, s3.paginators, "ListObjectsV2", { NextContinuationToken: token }),
      ).toEqual([]);
    } while (token);
    client.destroy();
    expect(keys).toEqual([LONG_KEY, "a.png", "z.png"]);
  });
});

describe("the model checker itself", () => {
  test("catches each kind of violation", () => {
    const v = (shape: string, value: unknown) => violations(model, shape, value);
    expect(v("ListCollectionsResponse", { NextToken: "t".repeat(387) })).toEqual([
      "$.NextToken (PaginationToken): length 387 is over the maximum 255",
    ]);
    expect(v("ListUsersResponse", { Users: [{ UserId: "a b", UserStatus: "HAPPY" }] })).toEqual([
      '$.Users[0].UserId (UserId): "a b" does not match the pattern [a-zA-Z0-9_.\\-:]+',
      '$.Users[0].UserStatus (UserStatus): "HAPPY" is not one of ACTIVE, UPDATING, CREATING, CREATED',
    ]);
    expect(v("AssociateFacesResponse", { AssociatedFaces: [{}], Extra: 1, UserStatus: 3 })).toEqual([
      "$ (AssociateFacesResponse): member Extra is not in the model",
      "$.UserStatus (UserStatus): expected a string, got number",
    ]);
    expect(v("ListUsersResponse", { Users: Array.from({ length: 501 }, () => ({})) })).toEqual([
      "$.Users (UserList): length 501 is over the maximum 500",
    ]);
    expect(v("DescribeCollectionResponse", { FaceCount: 1.5, CreationTimestamp: "yesterday" })).toEqual([
      "$.FaceCount (ULong): expected an integer, got 1.5",
      '$.CreationTimestamp (DateTime): expected epoch seconds, got "yesterday"',
    ]);
    expect(tokenViolations(model, paginators, "ListFaces", { NextToken: "t".repeat(256) })).toEqual([
      "ListFaces NextToken as the next request's NextToken (PaginationToken): length 256 is over the maximum 255",
    ]);
  });
});
