import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CreateCollectionCommand,
  CreateUserCommand,
  ListCollectionsCommand,
  ListUsersCommand,
  RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { clientFor, rawCall, requestHeaders, sdkError, startWithClient } from "./helpers.js";
import { sendRaw } from "./raw-http.js";

let emu: RunningEmulator;
let client: RekognitionClient;

beforeAll(async () => {
  ({ emu, client } = await startWithClient());
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

const target = (op: string) => `RekognitionService.${op}`;

/** The server must still answer a normal request after whatever came before. */
async function stillServes() {
  const out = await client.send(new ListCollectionsCommand({}));
  expect(out.$metadata.httpStatusCode).toBe(200);
}

function expectAwsError(
  res: { status: number; headers: Headers; json: Record<string, unknown> },
  code: string,
  status = 400,
) {
  expect(res.status).toBe(status);
  expect(res.json.__type).toBe(code);
  expect(res.json.Code).toBe(code);
  expect(typeof res.json.Message).toBe("string");
  expect(res.json.message).toBe(res.json.Message);
  expect(res.json.Logref).toBe(res.headers.get("x-amzn-requestid"));
  expect(res.headers.get("x-amzn-errortype")).toBe(code);
  expect(JSON.stringify(res.json)).not.toMatch(/\bat .*\.(js|ts):\d+/);
}

describe("wire protocol", () => {
  test("a successful response is JSON 1.1 with a request id", async () => {
    const res = await rawCall(emu, target("ListCollections"), "{}");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.CollectionIds).toEqual([]);
  });

  test.each([
    ["unknown operation", target("DetectUnicorns"), "{}", "UnknownOperationException"],
    ["another service's target", "DynamoDB_20120810.ListTables", "{}", "UnknownOperationException"],
    ["missing target", undefined, "{}", "UnknownOperationException"],
    ["not JSON", target("ListCollections"), "{not json", "SerializationException"],
    ["a JSON array", target("ListCollections"), "[1,2]", "SerializationException"],
    ["a JSON string", target("ListCollections"), '"hello"', "SerializationException"],
    ["JSON null", target("ListCollections"), "null", "SerializationException"],
    [
      "invalid UTF-8",
      target("ListCollections"),
      new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      "SerializationException",
    ],
    [
      "CollectionId a number",
      target("CreateCollection"),
      '{"CollectionId": 42}',
      "InvalidParameterException",
    ],
    ["CollectionId missing", target("CreateCollection"), "{}", "InvalidParameterException"],
    [
      "FaceIds a string",
      target("DeleteFaces"),
      '{"CollectionId":"c","FaceIds":"abc"}',
      "InvalidParameterException",
    ],
    [
      "FaceIds with a number",
      target("DeleteFaces"),
      '{"CollectionId":"c","FaceIds":[1]}',
      "InvalidParameterException",
    ],
    [
      "MaxResults a string",
      target("ListFaces"),
      '{"CollectionId":"c","MaxResults":"10"}',
      "InvalidParameterException",
    ],
    [
      "MaxResults fractional",
      target("ListFaces"),
      '{"CollectionId":"c","MaxResults":1.5}',
      "InvalidParameterException",
    ],
    ["Image missing", target("IndexFaces"), '{"CollectionId":"c"}', "InvalidParameterException"],
    ["Image an array", target("IndexFaces"), '{"CollectionId":"c","Image":[]}', "InvalidParameterException"],
    [
      "Image.Bytes not base64",
      target("IndexFaces"),
      '{"CollectionId":"c","Image":{"Bytes":"@@@"}}',
      "InvalidParameterException",
    ],
    [
      "Image with neither member",
      target("IndexFaces"),
      '{"CollectionId":"c","Image":{}}',
      "InvalidParameterException",
    ],
    [
      "Tags not a map",
      target("CreateCollection"),
      '{"CollectionId":"c","Tags":"x"}',
      "InvalidParameterException",
    ],
    [
      "UserMatchThreshold a string",
      target("AssociateFaces"),
      '{"CollectionId":"c","UserId":"u","FaceIds":["00000000-0000-0000-0000-000000000000"],"UserMatchThreshold":"high"}',
      "InvalidParameterException",
    ],
  ])("%s → %s, and the server keeps serving", async (_name, tgt, body, code) => {
    const res = await rawCall(emu, tgt, body);
    expectAwsError(res, code);
    await stillServes();
  });

  test("validation messages name the member at fault", async () => {
    const res = await rawCall(emu, target("DeleteFaces"), '{"CollectionId":"c","FaceIds":"abc"}');
    expect(res.json.Message).toContain("FaceIds");
    const missing = await rawCall(emu, target("CreateUser"), '{"CollectionId":"c"}');
    expect(missing.json.Message).toContain("UserId");
  });

  test("an oversize FaceIds list is refused by name", async () => {
    const ids = Array.from({ length: 101 }, () => "00000000-0000-0000-0000-000000000000");
    const res = await rawCall(
      emu,
      target("AssociateFaces"),
      JSON.stringify({ CollectionId: "c", UserId: "u", FaceIds: ids }),
    );
    expectAwsError(res, "InvalidParameterException");
    expect(res.json.Message).toContain("FaceIds");
  });

  test("a body over the limit is a clean 413, and the server keeps serving", async () => {
    const huge = `{"CollectionId":"c","Image":{"Bytes":"${"A".repeat(21 * 1024 * 1024)}"}}`;
    const res = await rawCall(emu, target("IndexFaces"), huge, { sign: false });
    expectAwsError(res, "RequestEntityTooLargeException", 413);
    await stillServes();
  });

  test("a GET is refused in the service's terms", async () => {
    const res = await fetch(emu.endpoint + "/");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe("UnknownOperationException");
    await stillServes();
  });
});

describe("signatures", () => {
  test("a wrong secret is InvalidSignatureException (403)", async () => {
    const bad = clientFor(emu, {
      credentials: { accessKeyId: emu.credentials.accessKeyId, secretAccessKey: "wrong" },
      maxAttempts: 1,
    });
    const err = await sdkError(() => bad.send(new ListCollectionsCommand({})));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });

  test("an unknown key is UnrecognizedClientException (400, as AWS JSON 1.1 services answer it)", async () => {
    const bad = clientFor(emu, {
      credentials: { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const err = await sdkError(() => bad.send(new ListCollectionsCommand({})));
    expect(err.name).toBe("UnrecognizedClientException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test("an unsigned request is MissingAuthenticationTokenException (403)", async () => {
    const res = await rawCall(emu, target("ListCollections"), "{}", { sign: false });
    expectAwsError(res, "MissingAuthenticationTokenException", 403);
  });

  test("a malformed Authorization header is IncompleteSignatureException (403)", async () => {
    const res = await fetch(emu.endpoint, {
      method: "POST",
      headers: { "x-amz-target": target("ListCollections"), authorization: "AWS4-HMAC-SHA256 garbage" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("IncompleteSignatureException");
    await stillServes();
  });

  test("a request signed more than 15 minutes ago is InvalidSignatureException: Signature expired", async () => {
    const res = await rawCall(emu, target("ListCollections"), "{}", {
      signingDate: new Date(Date.now() - 20 * 60 * 1000),
    });
    expectAwsError(res, "InvalidSignatureException", 403);
    expect(res.json.Message).toMatch(/^Signature expired/);
    // The SDK corrects its clock from the Date header and retries.
    expect(res.headers.get("date")).toBeTruthy();
  });

  test("a body changed after signing is InvalidSignatureException", async () => {
    const headers = await requestHeaders(emu, target("ListCollections"), "{}", { region: "eu-west-1" });
    const res = await fetch(emu.endpoint, {
      method: "POST",
      headers,
      body: '{"MaxResults":1}',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { __type: string }).__type).toBe("InvalidSignatureException");
  });

  test("any region works and names the ARN's region; a session token with the long-term key is refused", async () => {
    const c = new RekognitionClient({
      endpoint: emu.endpoint,
      region: "eu-central-1",
      credentials: emu.credentials,
    });
    const { CreateCollectionCommand } = await import("@aws-sdk/client-rekognition");
    const out = await c.send(new CreateCollectionCommand({ CollectionId: "in-frankfurt" }));
    expect(out.CollectionArn).toMatch(/^aws:rekognition:eu-central-1:/);
    const withToken = clientFor(emu, {
      credentials: { ...emu.credentials, sessionToken: "session-token-value" },
      maxAttempts: 1,
    });
    const err = await sdkError(() => withToken.send(new ListCollectionsCommand({})));
    expect({ name: err.name, status: err.$metadata?.httpStatusCode }).toEqual({
      name: "UnrecognizedClientException",
      status: 400,
    });
  });

  test("verifySignatures: false accepts unsigned requests", async () => {
    const open = await startEmulator({ port: 0, verifySignatures: false });
    try {
      const res = await rawCall(open, target("ListCollections"), "{}", { sign: false });
      expect(res.status).toBe(200);
    } finally {
      await open.stop();
    }
  });

  test("custom credentials replace the default pair", async () => {
    const custom = await startEmulator({
      port: 0,
      credentials: { accessKeyId: "AKIDOTHER", secretAccessKey: "other-secret" },
    });
    try {
      expect(custom.credentials.accessKeyId).toBe("AKIDOTHER");
      const ok = clientFor(custom);
      expect((await ok.send(new ListCollectionsCommand({}))).CollectionIds).toEqual([]);
      const old = new RekognitionClient({
        endpoint: custom.endpoint,
        region: "us-east-1",
        credentials: emu.credentials,
        maxAttempts: 1,
      });
      expect((await sdkError(() => old.send(new ListCollectionsCommand({})))).name).toBe(
        "UnrecognizedClientException",
      );
    } finally {
      await custom.stop();
    }
  });
});

describe("hostile input at the protocol layer", () => {
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

  test.each([
    ["a member 100,000 arrays deep", target("CreateCollection"), `{"CollectionId":${deep(100_000)}}`],
    [
      "an unknown member 100,000 levels deep inside a valid AssociateFaces",
      target("AssociateFaces"),
      `{"CollectionId":"c","UserId":"u","FaceIds":["00000000-0000-0000-0000-000000000000"],"ClientRequestToken":"t1","Extra":${deep(100_000)}}`,
    ],
    [
      "an unknown member of nested objects inside a valid CreateUser",
      target("CreateUser"),
      `{"CollectionId":"c","UserId":"u","ClientRequestToken":"t2","Extra":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`,
    ],
    ["65 levels, one past the limit", target("ListCollections"), `{"X":${deep(64)}}`],
  ])("%s: SerializationException, never a 500", async (_name, tgt, body) => {
    const res = await rawCall(emu, tgt, body);
    expectAwsError(res, "SerializationException");
    expect(res.json.Message).toContain("64 levels");
    await stillServes();
  });

  test("brackets inside strings do not count as nesting", async () => {
    const res = await rawCall(emu, target("ListCollections"), `{"Unknown":"${"[{".repeat(1000)}\\"["}`);
    expect(res.status).toBe(200);
  });

  test.each([
    "RekognitionService.ListCollections.Extra",
    "RekognitionService.",
    "RekognitionService.constructor",
    "RekognitionService.__proto__",
    "XRekognitionService.ListCollections",
  ])("X-Amz-Target %j: UnknownOperationException", async (tgt) => {
    const res = await rawCall(emu, tgt, "{}");
    expectAwsError(res, "UnknownOperationException");
  });

  test.each([
    ["ListUsers", '{"CollectionId":"paged"}', ["users", "a"]],
    ["ListFaces", '{"CollectionId":"paged"}', ["faces", "00000000-0000-0000-0000-000000000000"]],
    ["ListCollections", "{}", ["collections", "a"]],
  ])(
    "%s with a NextToken the endpoint never issued: InvalidPaginationTokenException",
    async (op, body, forged) => {
      await rawCall(emu, target("CreateCollection"), '{"CollectionId":"paged"}');
      const token = Buffer.from(JSON.stringify(forged)).toString("base64url");
      for (const nextToken of [token, `${token}.${"A".repeat(22)}`, "not-a-token"]) {
        const input = { ...(JSON.parse(body) as object), NextToken: nextToken };
        const res = await rawCall(emu, target(op), JSON.stringify(input));
        expectAwsError(res, "InvalidPaginationTokenException");
      }
    },
  );
});

describe("pagination tokens across restarts", () => {
  test("a token issued before a restart with the same data dir still pages; another data dir's token is refused", async () => {
    const dirA = mkdtempSync(join(tmpdir(), "paging-a-"));
    const dirB = mkdtempSync(join(tmpdir(), "paging-b-"));
    try {
      let a = await startWithClient({ dataDir: dirA });
      await a.client.send(new CreateCollectionCommand({ CollectionId: "c" }));
      for (const u of ["u1", "u2", "u3"])
        await a.client.send(new CreateUserCommand({ CollectionId: "c", UserId: u }));
      const first = await a.client.send(new ListUsersCommand({ CollectionId: "c", MaxResults: 1 }));
      expect(first.Users?.map((u) => u.UserId)).toEqual(["u1"]);
      a.client.destroy();
      await a.emu.stop();

      a = await startWithClient({ dataDir: dirA });
      const second = await a.client.send(
        new ListUsersCommand({ CollectionId: "c", MaxResults: 1, NextToken: first.NextToken }),
      );
      expect(second.Users?.map((u) => u.UserId)).toEqual(["u2"]);
      a.client.destroy();
      await a.emu.stop();

      const b = await startWithClient({ dataDir: dirB });
      await b.client.send(new CreateCollectionCommand({ CollectionId: "c" }));
      const err = await sdkError(() =>
        b.client.send(new ListUsersCommand({ CollectionId: "c", NextToken: first.NextToken })),
      );
      expect(err.name).toBe("InvalidPaginationTokenException");
      b.client.destroy();
      await b.emu.stop();
    } finally {
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  });
});

describe("malformed HTTP gets the service's JSON error shape", () => {
  const head = (extra: string) =>
    `POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: ${target("ListCollections")}\r\n${extra}`;

  test.each([
    ["two different Content-Lengths", head("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"), 400],
    [
      "Content-Length with chunked",
      head("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
      400,
    ],
    [
      "a chunk size that is not hexadecimal",
      head("Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
      400,
    ],
    ["a NUL in a header value", head("X-Custom: a\u0000b\r\nContent-Length: 2\r\n\r\n{}"), 400],
    ["a header section over 16 KB", head(`X-Big: ${"a".repeat(20_000)}\r\nContent-Length: 2\r\n\r\n{}`), 431],
  ])("%s: answered in the service's shape, and the server keeps serving", async (_name, request, status) => {
    const res = await sendRaw(emu.endpoint, Buffer.from(request, "latin1"));
    expect(res.status, res.text).toBe(status);
    const type = status === 431 ? "RequestHeaderFieldsTooLargeException" : "BadRequestException";
    expect(res.json.__type).toBe(type);
    expect(res.headers["x-amzn-errortype"]).toBe(type);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(res.json.Logref).toBe(res.headers["x-amzn-requestid"]);
    await stillServes();
  });

  test("a request without Host: BadRequestException in the service's shape", async () => {
    const res = await sendRaw(
      emu.endpoint,
      `POST / HTTP/1.1\r\nX-Amz-Target: ${target("ListCollections")}\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe("BadRequestException");
    expect(res.json.Message).toContain("Host");
  });
});
