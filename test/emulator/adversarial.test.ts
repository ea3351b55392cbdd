/**
 * Hostile and malformed requests against every operation: wrong JSON types per
 * member, nesting, sizes, encodings, signature tampering and broken HTTP. Every case
 * asserts the status and the error type; afterwards the endpoint still serves and
 * the data seeded first is exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  IndexFacesCommand,
  ListCollectionsCommand,
  ListFacesCommand,
  ListUsersCommand,
  RekognitionClient,
} from "@aws-sdk/client-rekognition";
import type { RunningEmulator } from "../../emulator/index.js";
import { OPERATIONS } from "../../emulator/operations/index.js";
import { photo, rawCall, requestHeaders, startWithClient } from "./helpers.js";
import { sendRaw } from "./raw-http.js";

let emu: RunningEmulator;
let client: RekognitionClient;
let seeded: { faces: unknown; users: unknown; collections: unknown };

const SEED = "adv-seed";
// Every base input names a collection that does not exist, so no case can change the seeded one.
const MISSING = "adv-missing";
const target = (op: string) => `RekognitionService.${op}`;

async function snapshot() {
  const faces = await client.send(new ListFacesCommand({ CollectionId: SEED }));
  const users = await client.send(new ListUsersCommand({ CollectionId: SEED }));
  const collections = await client.send(new ListCollectionsCommand({}));
  return { faces: faces.Faces, users: users.Users, collections: collections.CollectionIds };
}

beforeAll(async () => {
  ({ emu, client } = await startWithClient());
  await client.send(new CreateCollectionCommand({ CollectionId: SEED }));
  const faceIds: string[] = [];
  for (const [person, n] of [
    ["alice", 1],
    ["alice", 2],
    ["bob", 1],
  ] as const) {
    const out = await client.send(
      new IndexFacesCommand({ CollectionId: SEED, Image: { Bytes: photo(person, n) }, MaxFaces: 1 }),
    );
    faceIds.push(out.FaceRecords![0]!.Face!.FaceId!);
  }
  for (const userId of ["alice", "bob"]) {
    await client.send(new CreateUserCommand({ CollectionId: SEED, UserId: userId }));
  }
  await client.send(
    new AssociateFacesCommand({ CollectionId: SEED, UserId: "alice", FaceIds: faceIds.slice(0, 2) }),
  );
  seeded = await snapshot();
  expect((seeded.faces as unknown[]).length).toBe(3);
});

afterAll(async () => {
  client.destroy();
  await emu.stop();
});

type Kind = "string" | "int" | "number" | "stringList" | "map" | "image";

/** Each operation's input members and their JSON kinds (from the API reference). */
const MEMBERS: Record<string, Record<string, Kind>> = {
  CreateCollection: { CollectionId: "string", Tags: "map" },
  DescribeCollection: { CollectionId: "string" },
  ListCollections: { MaxResults: "int", NextToken: "string" },
  DeleteCollection: { CollectionId: "string" },
  IndexFaces: {
    CollectionId: "string",
    Image: "image",
    ExternalImageId: "string",
    MaxFaces: "int",
    QualityFilter: "string",
    DetectionAttributes: "stringList",
  },
  ListFaces: {
    CollectionId: "string",
    MaxResults: "int",
    NextToken: "string",
    UserId: "string",
    FaceIds: "stringList",
  },
  DeleteFaces: { CollectionId: "string", FaceIds: "stringList" },
  CreateUser: { CollectionId: "string", UserId: "string", ClientRequestToken: "string" },
  DeleteUser: { CollectionId: "string", UserId: "string", ClientRequestToken: "string" },
  ListUsers: { CollectionId: "string", MaxResults: "int", NextToken: "string" },
  AssociateFaces: {
    CollectionId: "string",
    UserId: "string",
    FaceIds: "stringList",
    UserMatchThreshold: "number",
    ClientRequestToken: "string",
  },
  DisassociateFaces: {
    CollectionId: "string",
    UserId: "string",
    FaceIds: "stringList",
    ClientRequestToken: "string",
  },
  SearchFaces: { CollectionId: "string", FaceId: "string", MaxFaces: "int", FaceMatchThreshold: "number" },
  SearchFacesByImage: {
    CollectionId: "string",
    Image: "image",
    MaxFaces: "int",
    FaceMatchThreshold: "number",
    QualityFilter: "string",
  },
  SearchUsers: {
    CollectionId: "string",
    UserId: "string",
    FaceId: "string",
    UserMatchThreshold: "number",
    MaxUsers: "int",
  },
  SearchUsersByImage: {
    CollectionId: "string",
    Image: "image",
    UserMatchThreshold: "number",
    MaxUsers: "int",
    QualityFilter: "string",
  },
  TagResource: { ResourceArn: "string", Tags: "map" },
  UntagResource: { ResourceArn: "string", TagKeys: "stringList" },
  ListTagsForResource: { ResourceArn: "string" },
};

const FACE = "00000000-0000-4000-8000-000000000000";
const image = () => ({ Bytes: photo("carol", 1).toString("base64") });

/** A valid input for each operation, aimed at the missing collection. */
function base(op: string): Record<string, unknown> {
  const arn = `aws:rekognition:us-east-1:123456789012:collection/${MISSING}`;
  const all: Record<string, unknown> = {
    CollectionId: MISSING,
    UserId: "adv-user",
    FaceIds: [FACE],
    Image: image(),
    ResourceArn: arn,
    Tags: { k: "v" },
    TagKeys: ["k"],
  };
  const needs: Record<string, string[]> = {
    CreateCollection: [],
    ListCollections: [],
    IndexFaces: ["CollectionId", "Image"],
    DeleteFaces: ["CollectionId", "FaceIds"],
    CreateUser: ["CollectionId", "UserId"],
    DeleteUser: ["CollectionId", "UserId"],
    AssociateFaces: ["CollectionId", "UserId", "FaceIds"],
    DisassociateFaces: ["CollectionId", "UserId", "FaceIds"],
    SearchFaces: ["CollectionId"],
    SearchFacesByImage: ["CollectionId", "Image"],
    SearchUsers: ["CollectionId"],
    SearchUsersByImage: ["CollectionId", "Image"],
    TagResource: ["ResourceArn", "Tags"],
    UntagResource: ["ResourceArn", "TagKeys"],
    ListTagsForResource: ["ResourceArn"],
  };
  const input = Object.fromEntries((needs[op] ?? ["CollectionId"]).map((m) => [m, all[m]]));
  if (op === "SearchFaces") input.FaceId = FACE;
  if (op === "SearchUsers") input.UserId = "adv-user";
  return input;
}

const WRONG: Record<Kind, unknown[]> = {
  string: [42, true, 1.5, [], ["a"], {}],
  int: ["10", 1.5, true, [], {}],
  number: ["50", true, [], {}],
  stringList: ["x", 7, [1], [true], [[]], [{}], {}],
  map: ["x", 7, [], { k: 1 }, { k: ["v"] }],
  image: [
    "x",
    7,
    [],
    { Bytes: 42 },
    { Bytes: [] },
    { S3Object: "x" },
    { S3Object: { Bucket: 1, Name: "n" } },
  ],
};

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

interface Case {
  name: string;
  target: string | undefined;
  body: string | Uint8Array;
  status: number;
  type: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [op, members] of Object.entries(MEMBERS)) {
    for (const [member, kind] of Object.entries(members)) {
      for (const value of WRONG[kind]) {
        out.push({
          name: `${op}.${member} = ${JSON.stringify(value)}`,
          target: target(op),
          body: JSON.stringify({ ...base(op), [member]: value }),
          status: 400,
          type: "InvalidParameterException",
        });
      }
      if (kind === "string") {
        out.push({
          name: `${op}.${member}: 100,000 characters`,
          target: target(op),
          body: JSON.stringify({ ...base(op), [member]: "a".repeat(100_000) }),
          status: 400,
          type: "InvalidParameterException",
        });
      }
    }
    const valid = JSON.stringify(base(op));
    out.push(
      {
        name: `${op}: an unknown member nested 10,000 deep`,
        target: target(op),
        body: `${valid.slice(0, -1)}${valid === "{}" ? "" : ","}"Extra":${deep(10_000)}}`,
        status: 400,
        type: "SerializationException",
      },
      {
        name: `${op}: objects nested 65 deep`,
        target: target(op),
        body: `${'{"a":'.repeat(65)}1${"}".repeat(65)}`,
        status: 400,
        type: "SerializationException",
      },
      {
        name: `${op}: a body that is not valid UTF-8`,
        target: target(op),
        body: Buffer.concat([Buffer.from('{"CollectionId":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
        status: 400,
        type: "SerializationException",
      },
      {
        name: `${op}: UTF-16LE JSON`,
        target: target(op),
        body: Buffer.from(valid, "utf16le"),
        status: 400,
        type: "SerializationException",
      },
      {
        name: `${op}: a JSON array for a body`,
        target: target(op),
        body: `[${valid}]`,
        status: 400,
        type: "SerializationException",
      },
      {
        name: `${op}: truncated JSON`,
        target: target(op),
        body: valid.slice(0, -1),
        status: 400,
        type: "SerializationException",
      },
      {
        name: `${op}: the target with a suffix`,
        target: `${target(op)}.Extra`,
        body: valid,
        status: 400,
        type: "UnknownOperationException",
      },
      {
        name: `${op}: the target in lower case`,
        target: target(op.toLowerCase()),
        body: valid,
        status: 400,
        type: "UnknownOperationException",
      },
    );
  }
  out.push(
    {
      name: "a UTF-16 surrogate half encoded as UTF-8",
      target: target("DescribeCollection"),
      body: Buffer.concat([
        Buffer.from('{"CollectionId":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
      status: 400,
      type: "SerializationException",
    },
    {
      name: "UTF-16 with a byte-order mark",
      target: target("ListCollections"),
      body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")]),
      status: 400,
      type: "SerializationException",
    },
    {
      name: "a lone surrogate escape in an identifier",
      target: target("DescribeCollection"),
      body: '{"CollectionId":"a\\ud800b"}',
      status: 400,
      type: "InvalidParameterException",
    },
    {
      name: "a NUL escape in an identifier",
      target: target("DescribeCollection"),
      body: '{"CollectionId":"a\\u0000b"}',
      status: 400,
      type: "InvalidParameterException",
    },
    {
      name: "a number too large for a double",
      target: target("ListCollections"),
      body: '{"MaxResults":1e400}',
      status: 400,
      type: "InvalidParameterException",
    },
    {
      name: "__proto__ and constructor members",
      target: target("DescribeCollection"),
      body: `{"__proto__":{"CollectionId":"${SEED}"},"constructor":{"prototype":{"x":1}}}`,
      status: 400,
      type: "InvalidParameterException",
    },
  );
  return out;
}

describe("every operation, every member, hostile values", () => {
  test("the operation table covers every operation the endpoint serves", () => {
    expect(Object.keys(MEMBERS).sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  test.each(cases().map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const res = await rawCall(emu, c.target, c.body);
    expect({ status: res.status, type: res.json.__type }).toEqual({ status: c.status, type: c.type });
    expect(res.headers.get("x-amzn-errortype")).toBe(c.type);
  });

  test("a UTF-8 byte-order mark before the JSON is accepted, as JSON parsers may", async () => {
    const res = await rawCall(
      emu,
      target("ListCollections"),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("{}")]),
    );
    expect(res.status).toBe(200);
    expect(res.json.CollectionIds).toContain(SEED);
  });
});

describe("signature tampering", () => {
  const body = JSON.stringify({ CollectionId: SEED });

  async function tampered(
    change: (headers: Record<string, string>) => Record<string, string>,
    sentBody = body,
  ) {
    const headers = change(await requestHeaders(emu, target("DescribeCollection"), body));
    const res = await fetch(emu.endpoint + "/", { method: "POST", headers, body: sentBody });
    return { status: res.status, type: ((await res.json()) as { __type?: string }).__type };
  }
  const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");

  test.each<[string, (h: Record<string, string>) => Record<string, string>, string?, string?]>([
    [
      "the signature's last digit changed",
      (h) => ({ ...h, authorization: h.authorization!.replace(/[0-9a-f]$/, (d) => flip(d)) }),
      undefined,
      "InvalidSignatureException",
    ],
    [
      "the signature cut short",
      (h) => ({ ...h, authorization: h.authorization!.slice(0, -2) }),
      undefined,
      "InvalidSignatureException",
    ],
    [
      "the signature in upper case",
      (h) => ({
        ...h,
        authorization: h.authorization!.replace(
          /Signature=(\w+)/,
          (_m, s: string) => `Signature=${s.toUpperCase()}`,
        ),
      }),
      undefined,
      "InvalidSignatureException",
    ],
    [
      "the date moved by a second",
      (h) => ({
        ...h,
        "x-amz-date": h["x-amz-date"]!.replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10)),
      }),
      undefined,
      "InvalidSignatureException",
    ],
    [
      "the date in another format",
      (h) => ({ ...h, "x-amz-date": new Date().toISOString() }),
      undefined,
      "IncompleteSignatureException",
    ],
    [
      "the scope's region changed",
      (h) => ({ ...h, authorization: h.authorization!.replace("/us-east-1/", "/us-west-2/") }),
      undefined,
      "InvalidSignatureException",
    ],
    [
      "the scope's terminator changed",
      (h) => ({ ...h, authorization: h.authorization!.replace("aws4_request", "aws5_request") }),
      undefined,
      "InvalidSignatureException",
    ],
    [
      "the scope's date changed",
      (h) => ({ ...h, authorization: h.authorization!.replace(/\/\d{8}\//, "/19990101/") }),
      undefined,
      "InvalidSignatureException",
    ],
    [
      "the algorithm changed",
      (h) => ({ ...h, authorization: h.authorization!.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512") }),
      undefined,
      "IncompleteSignatureException",
    ],
    [
      "SignedHeaders emptied",
      (h) => ({ ...h, authorization: h.authorization!.replace(/SignedHeaders=[^,]+/, "SignedHeaders=") }),
      undefined,
      "IncompleteSignatureException",
    ],
    [
      "SignedHeaders in upper case",
      (h) => ({
        ...h,
        authorization: h.authorization!.replace(/SignedHeaders=[^,]+/, (m) =>
          m.toUpperCase().replace("SIGNEDHEADERS", "SignedHeaders"),
        ),
      }),
      undefined,
      "IncompleteSignatureException",
    ],
    [
      "the credential without its scope",
      (h) => ({ ...h, authorization: h.authorization!.replace(/Credential=[^,]+/, "Credential=AKIDLOCAL") }),
      undefined,
      "IncompleteSignatureException",
    ],
    [
      "the Authorization header removed",
      (h) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== "authorization")),
      undefined,
      "MissingAuthenticationTokenException",
    ],
    ["the body changed", (h) => h, JSON.stringify({ CollectionId: MISSING }), "InvalidSignatureException"],
  ])("%s: refused", async (_name, change, sentBody, type) => {
    const res = await tampered(change, sentBody);
    expect(res).toEqual({ status: 403, type });
  });
});

describe("malformed HTTP", () => {
  const op = target("ListCollections");
  test.each([
    ["an invalid method", `GE T / HTTP/1.1\r\nHost: x\r\n\r\n`, 400, "BadRequestException"],
    ["an invalid HTTP version", `POST / HTTP/9.9\r\nHost: x\r\n\r\n`, 400, "BadRequestException"],
    [
      "a header line without a colon",
      `POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target ${op}\r\n\r\n`,
      400,
      "BadRequestException",
    ],
    [
      "a space before a header's colon",
      `POST / HTTP/1.1\r\nHost : x\r\nContent-Length: 2\r\n\r\n{}`,
      400,
      "BadRequestException",
    ],
    [
      "a negative Content-Length",
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
      400,
      "BadRequestException",
    ],
    [
      "two Content-Lengths",
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\n{}`,
      400,
      "BadRequestException",
    ],
    [
      "Content-Length with chunked",
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      400,
      "BadRequestException",
    ],
    [
      "a bad chunk size",
      `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n{}\r\n0\r\n\r\n`,
      400,
      "BadRequestException",
    ],
    [
      "a control character in a header",
      `POST / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\nContent-Length: 2\r\n\r\n{}`,
      400,
      "BadRequestException",
    ],
    [
      "a bare LF in a header value",
      `POST / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\nContent-Length: 2\r\n\r\n{}`,
      400,
      "BadRequestException",
    ],
    [
      "64 KB of headers",
      `POST / HTTP/1.1\r\nHost: x\r\n${"X-Pad: ".concat("p".repeat(1000), "\r\n").repeat(64)}\r\n`,
      431,
      "RequestHeaderFieldsTooLargeException",
    ],
  ])("%s", async (_name, request, status, type) => {
    const res = await sendRaw(emu.endpoint, Buffer.from(request, "latin1"));
    expect({ status: res.status, type: res.json.__type }).toEqual({ status, type });
  });
});

describe("afterwards", () => {
  test("the endpoint still serves, and the seeded data is exactly as it was", async () => {
    const out = await client.send(new ListCollectionsCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await snapshot()).toEqual(seeded);
  });
});
