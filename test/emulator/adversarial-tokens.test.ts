/**
 * Forged session tokens and requests that mix the two protocols, sent as raw
 * HTTP so that no SDK can paper over the answer. Every forged request tries a
 * DisassociateFaces on a seeded user; afterwards the user still has its faces.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  IndexFacesCommand,
  ListFacesCommand,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { RunningEmulator } from "../../emulator/index.js";
import { photo, startWithClient } from "./helpers.js";
import { rawRequest, sendRaw, type RawResponse } from "./raw-http.js";

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let emu: RunningEmulator;
let client: RekognitionClient;
let longTerm: Keys;
let sessionA: Required<Keys>;
let sessionB: Required<Keys>;
let faceIds: string[];

const COLLECTION = "token-seed";
const TARGET = "RekognitionService.DisassociateFaces";
const JSON_TYPE = "application/x-amz-json-1.1";
const body = () => JSON.stringify({ CollectionId: COLLECTION, UserId: "alice", FaceIds: [faceIds[0]] });

async function assumeRole(name: string): Promise<Required<Keys>> {
  const sts = new STSClient({ endpoint: emu.endpoint, region: "us-east-1", credentials: longTerm });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: "arn:aws:iam::123456789012:role/deployer",
      RoleSessionName: name,
      DurationSeconds: 900,
    }),
  );
  sts.destroy();
  return {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
  };
}

function unsignedRequest(extraHeaders: Record<string, string> = {}, contentType = JSON_TYPE) {
  const url = new URL(emu.endpoint);
  return new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: {
      host: url.host,
      "content-type": contentType,
      "x-amz-target": TARGET,
      ...extraHeaders,
    },
    body: body(),
  });
}

const signer = (keys: Keys, service = "rekognition") =>
  new SignatureV4({ credentials: keys, region: "us-east-1", service, sha256: Sha256 });

/** Sends a request as the headers and query say, byte for byte. */
function send(
  request: { headers: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
  add: [string, string][] = [],
): Promise<RawResponse> {
  const query = Object.entries(request.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  return sendRaw(
    emu.endpoint,
    rawRequest({
      target: query ? `/?${query}` : "/",
      headers: [...Object.entries(request.headers), ...add],
      body: request.body as string,
    }),
  );
}

/** Signed in the Authorization header; the keys' token, when they have one, signed with it. */
const headerSigned = async (keys: Keys, add: [string, string][] = []) =>
  send(await signer(keys).sign(unsignedRequest()), add);

/** Presigned: the signature (and the keys' token) in the query string. */
const presigned = async (keys: Keys, extraQuery: Record<string, string> = {}) => {
  const request = await signer(keys).presign(unsignedRequest(), {
    expiresIn: 300,
    unhoistableHeaders: new Set(["x-amz-target", "content-type"]),
  });
  request.query = { ...request.query, ...extraQuery };
  return send(request);
};

function expectJsonError(res: RawResponse, status: number, type: string) {
  expect(
    { status: res.status, type: res.json.__type, header: res.headers["x-amzn-errortype"] },
    res.text,
  ).toEqual({ status, type, header: type });
  expect(res.headers["content-type"]).toBe(JSON_TYPE);
}

const aliceFaces = async () =>
  (await client.send(new ListFacesCommand({ CollectionId: COLLECTION, UserId: "alice" }))).Faces!.map(
    (f) => f.FaceId,
  );

beforeAll(async () => {
  ({ emu, client } = await startWithClient());
  longTerm = emu.credentials;
  await client.send(new CreateCollectionCommand({ CollectionId: COLLECTION }));
  faceIds = [];
  for (const n of [1, 2]) {
    const out = await client.send(
      new IndexFacesCommand({ CollectionId: COLLECTION, Image: { Bytes: photo("alice", n) }, MaxFaces: 1 }),
    );
    faceIds.push(out.FaceRecords![0]!.Face!.FaceId!);
  }
  await client.send(new CreateUserCommand({ CollectionId: COLLECTION, UserId: "alice" }));
  await client.send(
    new AssociateFacesCommand({ CollectionId: COLLECTION, UserId: "alice", FaceIds: faceIds }),
  );
  sessionA = await assumeRole("session-a");
  sessionB = await assumeRole("session-b");
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

describe("session tokens: only a live session's own token, with its own key", () => {
  const INVALID = "The security token included in the request is invalid.";

  test.each<[string, () => Promise<RawResponse>]>([
    ["the long-term key with a token, signed", () => headerSigned({ ...longTerm, sessionToken: "tok" })],
    [
      "the long-term key with a token, unsigned",
      () => headerSigned(longTerm, [["X-Amz-Security-Token", "tok"]]),
    ],
    [
      "the long-term key with a live session's token",
      () => headerSigned({ ...longTerm, sessionToken: sessionA.sessionToken }),
    ],
    ["a session's key without its token", () => headerSigned({ ...sessionA, sessionToken: undefined })],
    [
      "a session's key with an unknown token, signed",
      () => headerSigned({ ...sessionA, sessionToken: "tok" }),
    ],
    [
      "a session's key with an unknown token, unsigned",
      () => headerSigned({ ...sessionA, sessionToken: undefined }, [["X-Amz-Security-Token", "tok"]]),
    ],
    [
      "a session's key with another session's token",
      () => headerSigned({ ...sessionA, sessionToken: sessionB.sessionToken }),
    ],
    [
      "a session's own token, and a second, unknown one unsigned",
      () => headerSigned(sessionA, [["X-Amz-Security-Token", "tok"]]),
    ],
    ["presigned: the long-term key with a token", () => presigned({ ...longTerm, sessionToken: "tok" })],
    [
      "presigned: a session's key with another session's token",
      () => presigned({ ...sessionA, sessionToken: sessionB.sessionToken }),
    ],
    [
      "presigned: the long-term key, a token added to the query unsigned",
      () => presigned(longTerm, { "X-Amz-Security-Token": "tok" }),
    ],
  ])("%s: UnrecognizedClientException (400)", async (_name, attempt) => {
    const res = await attempt();
    expectJsonError(res, 400, "UnrecognizedClientException");
    expect(res.json.Message).toBe(INVALID);
  });

  test("the session's own token, in the header or the query, is accepted", async () => {
    for (const attempt of [() => headerSigned(sessionA), () => presigned(sessionA)]) {
      const res = await attempt();
      expect({ status: res.status, type: res.json.__type }, res.text).toEqual({
        status: 200,
        type: undefined,
      });
      // Put the face back for the next attempt and the final check.
      await client.send(
        new AssociateFacesCommand({ CollectionId: COLLECTION, UserId: "alice", FaceIds: [faceIds[0]!] }),
      );
    }
  });

  test("an expired session's token: ExpiredTokenException (400), signed in the header or presigned", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 901_000 });
    for (const attempt of [() => headerSigned(sessionA), () => presigned(sessionA)]) {
      const res = await attempt();
      expectJsonError(res, 400, "ExpiredTokenException");
      expect(res.json.Message).toBe("The security token included in the request is expired");
    }
  });

  test("afterwards alice still has both faces", async () => {
    expect((await aliceFaces()).sort()).toEqual([...faceIds].sort());
  });
});

describe("a Rekognition target with a form-encoded body gets Rekognition's JSON answer, not STS's XML", () => {
  const FORM = "application/x-www-form-urlencoded; charset=utf-8";
  const formRequest = (target: string) => {
    const request = unsignedRequest({ "x-amz-target": target }, FORM);
    request.body = "Action=GetCallerIdentity&Version=2011-06-15";
    return request;
  };

  test("unsigned: MissingAuthenticationTokenException (403) in JSON", async () => {
    const res = await send(formRequest(TARGET));
    expectJsonError(res, 403, "MissingAuthenticationTokenException");
  });

  test("signed for Rekognition: SerializationException (400) in JSON", async () => {
    const res = await send(await signer(longTerm).sign(formRequest(TARGET)));
    expectJsonError(res, 400, "SerializationException");
  });

  test("signed for STS, naming STS's JSON target: Rekognition's UnknownOperationException", async () => {
    const request = formRequest("AWSSecurityTokenServiceV20110615.GetCallerIdentity");
    const res = await send(await signer(longTerm, "sts").sign(request));
    expectJsonError(res, 400, "UnknownOperationException");
  });

  test("afterwards alice still has both faces", async () => {
    expect((await aliceFaces()).sort()).toEqual([...faceIds].sort());
  });
});
