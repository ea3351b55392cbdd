import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ListCollectionsCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { clientFor, rawCall, requestHeaders, sdkError, startWithClient } from "./helpers.js";

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

  test("an unknown key is UnrecognizedClientException (403)", async () => {
    const bad = clientFor(emu, {
      credentials: { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const err = await sdkError(() => bad.send(new ListCollectionsCommand({})));
    expect(err.name).toBe("UnrecognizedClientException");
    expect(err.$metadata?.httpStatusCode).toBe(403);
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

  test("any region works and names the ARN's region; session tokens are accepted", async () => {
    const c = new RekognitionClient({
      endpoint: emu.endpoint,
      region: "eu-central-1",
      credentials: { ...emu.credentials, sessionToken: "session-token-value" },
    });
    const { CreateCollectionCommand } = await import("@aws-sdk/client-rekognition");
    const out = await c.send(new CreateCollectionCommand({ CollectionId: "in-frankfurt" }));
    expect(out.CollectionArn).toMatch(/^aws:rekognition:eu-central-1:/);
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
