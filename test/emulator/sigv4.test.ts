import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import aws4 from "aws4";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ListCollectionsCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { verifySignature } from "../../emulator/protocol/signature.js";
import { rawRequest, sendRaw, type RawResponse } from "./raw-http.js";

let emu: RunningEmulator;
/** Temporary credentials from the emulator's STS: a session token is accepted only with these. */
let session: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  const sts = new STSClient({ endpoint: emu.endpoint, region: "us-east-1", credentials: emu.credentials });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/signer", RoleSessionName: "sigv4" }),
  );
  sts.destroy();
  session = {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
  };
});
afterAll(async () => {
  await emu.stop();
});

const LIST = "RekognitionService.ListCollections";
const JSON_TYPE = "application/x-amz-json-1.1";
const SIGNERS = join(__dirname, "signers");
const BOTOCORE_PIN = "botocore==1.44.8";

function host() {
  return new URL(emu.endpoint).host;
}

function creds(extra: { sessionToken?: string; secretAccessKey?: string; accessKeyId?: string } = {}) {
  return { ...emu.credentials, ...extra };
}

/** Sends header lines in the given order (names may repeat) to the emulator. */
function send(headers: [string, string][], body: string, target = "/"): Promise<RawResponse> {
  return sendRaw(emu.endpoint, rawRequest({ target, headers, body }));
}

function expectOk(res: RawResponse) {
  expect(res.json.__type, res.text).toBeUndefined();
  expect(res.status).toBe(200);
  expect(res.json.CollectionIds).toBeInstanceOf(Array);
}

function expectRefused(res: RawResponse, type: string, status = 403) {
  expect(res.status, res.text).toBe(status);
  expect(res.json.__type).toBe(type);
  expect(res.headers["x-amzn-errortype"]).toBe(type);
}

/** Signs with the `aws4` package (an implementation independent of the AWS SDK); returns header lines and path. */
function aws4Signed(
  opts: {
    headers?: Record<string, string>;
    body?: string;
    path?: string;
    signQuery?: boolean;
    include?: string[];
    ignore?: string[];
    region?: string;
  } = {},
  credentials = creds(),
) {
  const request: aws4.Request & {
    extraHeadersToInclude?: Record<string, boolean>;
    extraHeadersToIgnore?: Record<string, boolean>;
  } = {
    host: host(),
    method: "POST",
    path: opts.path ?? "/",
    service: "rekognition",
    region: opts.region ?? "us-east-1",
    body: opts.body ?? "{}",
    headers: { "Content-Type": JSON_TYPE, "X-Amz-Target": LIST, ...opts.headers },
    extraHeadersToInclude: Object.fromEntries((opts.include ?? []).map((h) => [h, true])),
    extraHeadersToIgnore: Object.fromEntries((opts.ignore ?? []).map((h) => [h, true])),
    ...(opts.signQuery ? { signQuery: true } : {}),
  };
  const signed = aws4.sign(request, credentials);
  const headers = Object.entries(signed.headers ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
  return { headers, path: signed.path ?? "/", body: String(request.body) };
}

/** The Python that has botocore: the repository's signer venv (`npm run signers` makes it), else python3. */
function botocorePython(): string {
  const candidates = [join(__dirname, "../../.venv-signers/bin/python"), "python3"];
  for (const python of candidates) {
    if (python !== "python3" && !existsSync(python)) continue;
    const probe = spawnSync(python, ["-c", "import botocore"], { encoding: "utf8" });
    if (probe.status === 0) return python;
  }
  throw new Error(
    `botocore is needed to check signatures made by the AWS CLI's signer, and no Python here has it. Install it with: ` +
      `python3 -m venv .venv-signers && .venv-signers/bin/python -m pip install ${BOTOCORE_PIN} (npm test does this through npm run signers).`,
  );
}

interface BotocoreSpec {
  headers?: [string, string][];
  body?: string;
  presign?: boolean;
  /** Temporary credentials to sign with (their token included) instead of the long-term pair. */
  keys?: typeof session;
  region?: string;
}

/** Signs with botocore's SigV4Auth (or SigV4QueryAuth), the signer of boto3 and the AWS CLI. */
function botocoreSigned(spec: BotocoreSpec) {
  const input = JSON.stringify({
    url: `${emu.endpoint}/`,
    method: "POST",
    headers: spec.headers ?? [
      ["Content-Type", JSON_TYPE],
      ["X-Amz-Target", LIST],
    ],
    body: spec.body ?? "{}",
    region: spec.region ?? "us-east-1",
    access_key: (spec.keys ?? emu.credentials).accessKeyId,
    secret_key: (spec.keys ?? emu.credentials).secretAccessKey,
    ...(spec.keys ? { token: spec.keys.sessionToken } : {}),
    ...(spec.presign ? { presign: true } : {}),
  });
  const run = spawnSync(botocorePython(), [join(SIGNERS, "botocore_sign.py")], { input, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`botocore signer failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { url: string; headers: [string, string][]; body: string };
  const url = new URL(out.url);
  // botocore leaves Host to its HTTP client, which sends the URL's authority.
  return {
    headers: [["Host", url.host], ...out.headers] as [string, string][],
    path: url.pathname + url.search,
    body: out.body,
  };
}

describe("signers other than the JS SDK's", () => {
  test("the AWS SDK for JavaScript (smithy's signer), with and without a session token", async () => {
    for (const credentials of [creds(), session]) {
      const client = new RekognitionClient({
        endpoint: emu.endpoint,
        region: "ap-southeast-2",
        credentials,
        maxAttempts: 1,
      });
      const out = await client.send(new ListCollectionsCommand({}));
      expect(out.$metadata.httpStatusCode).toBe(200);
      client.destroy();
    }
  });

  test("aws4, signing user-agent and sending no x-amz-content-sha256", async () => {
    const s = aws4Signed({ headers: { "User-Agent": "aws4-test/1.0 (node)" }, include: ["user-agent"] });
    expect(s.headers.find(([k]) => k === "Authorization")![1]).toContain("user-agent");
    expect(s.headers.some(([k]) => k.toLowerCase() === "x-amz-content-sha256")).toBe(false);
    expectOk(await send(s.headers, s.body));
  });

  test("botocore (boto3, the AWS CLI): signed headers as botocore chooses them", async () => {
    const s = botocoreSigned({});
    const auth = s.headers.find(([k]) => k === "Authorization")![1];
    expect(auth).toMatch(/SignedHeaders=content-type;host;x-amz-date;x-amz-target,/);
    expectOk(await send([...s.headers, ["User-Agent", "Botocore/1.44.8 Python/3"]], s.body));
  });

  test("botocore with a session token, in another region", async () => {
    const s = botocoreSigned({ keys: session, region: "eu-west-3" });
    expect(s.headers.some(([k]) => k === "X-Amz-Security-Token")).toBe(true);
    expectOk(await send(s.headers, s.body));
  });

  test("botocore: a header sent twice, and values with runs of inner spaces, are canonicalised as the spec says", async () => {
    const s = botocoreSigned({
      headers: [
        ["Content-Type", JSON_TYPE],
        ["X-Amz-Target", LIST],
        ["X-Custom-Trace", "first   value"],
        ["X-Custom-Trace", "  second\t value "],
      ],
    });
    expect(s.headers.filter(([k]) => k === "X-Custom-Trace")).toHaveLength(2);
    expectOk(await send(s.headers, s.body));
  });

  test("botocore, presigned: the signature in the query string", async () => {
    const s = botocoreSigned({ presign: true, keys: session });
    expect(s.path).toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    expect(s.headers.some(([k]) => k === "Authorization")).toBe(false);
    // SigV4QueryAuth moves the JSON members into the query: ListCollections runs with an empty body.
    expectOk(await send(s.headers, s.body, s.path));
  });

  test("aws4, presigned, with X-Amz-Expires", async () => {
    const s = aws4Signed({ signQuery: true, path: "/?X-Amz-Expires=300" });
    expect(s.path).toContain("X-Amz-Signature=");
    expectOk(await send(s.headers, s.body, s.path));
  });

  test("requests shaped as the AWS SDK for Java v1 sends them (user-agent and amz-sdk-* signed, no payload hash header)", async () => {
    const s = aws4Signed({
      body: '{"MaxResults":10}',
      headers: {
        "User-Agent": "aws-sdk-java/1.12.780 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.15 java/17.0.15",
        "amz-sdk-invocation-id": "7b1c8b4e-0c7e-4b7a-9a55-3f7c2d1e6a90",
        "amz-sdk-retry": "0/0/500",
      },
      include: ["user-agent"],
    });
    expect(s.headers.find(([k]) => k === "Authorization")![1]).toMatch(
      /SignedHeaders=amz-sdk-invocation-id;amz-sdk-retry;content-length;content-type;host;user-agent;x-amz-date;x-amz-target,/,
    );
    expectOk(await send(s.headers, s.body));
  });

  test("a request signed by the real AWS SDK for Java v1 (AWS4Signer 1.12.780, recorded) verifies; altered, it does not", async () => {
    const recorded = JSON.parse(readFileSync(join(SIGNERS, "java-v1-request.json"), "utf8")) as {
      signedAt: number;
      body: string;
      headers: [string, string][];
    };
    const request = (headers: [string, string][]) => ({
      method: "POST",
      path: "/",
      headers: {},
      rawHeaders: headers.flat(),
      body: Buffer.from(recorded.body),
    });
    const at = new Date(recorded.signedAt);
    const verified = await verifySignature(request(recorded.headers), [emu.credentials], "rekognition", at);
    expect(verified.region).toBe("us-east-1");
    const altered = recorded.headers.map(([k, v]): [string, string] => [
      k,
      k === "User-Agent" ? `${v} x` : v,
    ]);
    await expect(
      verifySignature(request(altered), [emu.credentials], "rekognition", at),
    ).rejects.toMatchObject({
      code: "InvalidSignatureException",
    });
  });
});

describe("payload hash", () => {
  test("x-amz-content-sha256 UNSIGNED-PAYLOAD is signed as such and accepted", async () => {
    const s = aws4Signed({ headers: { "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" } });
    expectOk(await send(s.headers, s.body));
  });

  test("an x-amz-content-sha256 that does not describe the body is refused", async () => {
    const wrong = "0".repeat(64);
    const s = aws4Signed({ headers: { "X-Amz-Content-Sha256": wrong } });
    const res = await send(s.headers, s.body);
    expectRefused(res, "InvalidSignatureException");
    expect(res.json.Message).toContain("x-amz-content-sha256");
  });
});

describe("refusals", () => {
  test("no signature at all: MissingAuthenticationTokenException", async () => {
    const res = await send(
      [
        ["Host", host()],
        ["Content-Type", JSON_TYPE],
        ["X-Amz-Target", LIST],
      ],
      "{}",
    );
    expectRefused(res, "MissingAuthenticationTokenException");
  });

  test("an unknown access key: UnrecognizedClientException", async () => {
    const s = aws4Signed({}, creds({ accessKeyId: "AKIDNOBODY" }));
    // AWS JSON 1.1 services answer an unknown key with 400, not 403.
    expectRefused(await send(s.headers, s.body), "UnrecognizedClientException", 400);
  });

  test("a wrong secret: InvalidSignatureException", async () => {
    const s = aws4Signed({}, creds({ secretAccessKey: "not-the-secret" }));
    const res = await send(s.headers, s.body);
    expectRefused(res, "InvalidSignatureException");
    expect(res.json.Message).toMatch(/^The request signature we calculated does not match/);
  });

  test.each([
    ["20 minutes ago", -20, /^Signature expired: \d{8}T\d{6}Z is now earlier than/],
    ["20 minutes ahead", 20, /^Signature not yet current: \d{8}T\d{6}Z is still later than/],
  ])("a request signed %s: InvalidSignatureException in AWS's words", async (_when, minutes, message) => {
    const date = new Date(Date.now() + minutes * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, "");
    const s = aws4Signed({ headers: { "X-Amz-Date": date } });
    const res = await send(s.headers, s.body);
    expectRefused(res, "InvalidSignatureException");
    expect(res.json.Message).toMatch(message);
    expect(res.headers.date).toBeTruthy();
  });

  test("an expired presigned request: Signature expired", async () => {
    const date = new Date(Date.now() - 30 * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, "");
    const s = aws4Signed({ signQuery: true, path: `/?X-Amz-Expires=60&X-Amz-Date=${date}` });
    const res = await send(s.headers, s.body, s.path);
    expectRefused(res, "InvalidSignatureException");
    expect(res.json.Message).toMatch(/^Signature expired/);
  });

  test("a body changed after signing: InvalidSignatureException", async () => {
    const s = aws4Signed({ body: '{"MaxResults":5}' });
    const headers = s.headers.map(([k, v]): [string, string] => [k, k === "Content-Length" ? "17" : v]);
    expectRefused(await send(headers, '{"MaxResults":50}'), "InvalidSignatureException");
  });

  test("a signed header changed after signing: InvalidSignatureException", async () => {
    const s = aws4Signed({ headers: { "User-Agent": "original" }, include: ["user-agent"] });
    const headers = s.headers.map(([k, v]): [string, string] => [k, k === "User-Agent" ? "changed" : v]);
    expectRefused(await send(headers, s.body), "InvalidSignatureException");
  });

  test("a signed header sent twice where it was signed once: InvalidSignatureException", async () => {
    const s = aws4Signed({ headers: { "X-Custom": "one" } });
    expectRefused(await send([...s.headers, ["X-Custom", "two"]], s.body), "InvalidSignatureException");
  });

  test("the target changed after signing: InvalidSignatureException", async () => {
    const s = aws4Signed();
    const headers = s.headers.map(([k, v]): [string, string] => [
      k,
      k === "X-Amz-Target" ? "RekognitionService.ListUsers" : v,
    ]);
    expectRefused(await send(headers, s.body), "InvalidSignatureException");
  });

  test("host not signed: IncompleteSignatureException", async () => {
    const s = aws4Signed({ ignore: ["host"] });
    expect(s.headers.find(([k]) => k === "Authorization")![1]).not.toMatch(/[=;]host[;,]/);
    const res = await send(s.headers, s.body);
    expectRefused(res, "IncompleteSignatureException");
    expect(res.json.Message).toContain("'Host'");
  });

  test.each(["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "x-not-sent"])(
    "SignedHeaders naming %s, which the request does not carry: refused, never a 500, never accepted",
    async (name) => {
      // Signed as if the header were present and empty, which a lax verifier would accept.
      // (aws4 cannot hold a header named __proto__: that one is written into the list afterwards.)
      const standIn = name === "__proto__" ? "x-proto-stand-in" : name;
      const s = aws4Signed({ headers: { [standIn]: "" } });
      const headers = s.headers
        .filter(([k]) => k !== standIn)
        .map(([k, v]): [string, string] => [k, k === "Authorization" ? v.replace(standIn, name) : v]);
      expect(headers.find(([k]) => k === "Authorization")![1]).toContain(name.toLowerCase());
      const res = await send(headers, s.body);
      expectRefused(res, "InvalidSignatureException");
      expect(res.json.Message).toContain(name.toLowerCase());
    },
  );

  test("a credential scoped to another service: InvalidSignatureException", async () => {
    const request = {
      host: host(),
      path: "/",
      service: "s3",
      region: "us-east-1",
      body: "{}",
      // A JSON content type: without one aws4 sends a form, which is routed to STS.
      headers: { "Content-Type": JSON_TYPE, "X-Amz-Target": LIST },
    };
    const signed = aws4.sign(request, creds());
    const res = await send(
      Object.entries(signed.headers ?? {}).map(([k, v]) => [k, String(v)]),
      "{}",
    );
    expectRefused(res, "InvalidSignatureException");
    expect(res.json.Message).toContain("'rekognition'");
  });

  test("both an Authorization header and a presigned query: IncompleteSignatureException", async () => {
    const q = aws4Signed({ signQuery: true });
    const h = aws4Signed();
    const res = await send([...h.headers], h.body, q.path);
    expectRefused(res, "IncompleteSignatureException");
  });

  test("an Authorization header without its parts: IncompleteSignatureException listing them", async () => {
    const res = await send(
      [
        ["Host", host()],
        ["X-Amz-Target", LIST],
        [
          "Authorization",
          "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/rekognition/aws4_request",
        ],
      ],
      "{}",
    );
    expectRefused(res, "IncompleteSignatureException");
    expect(res.json.Message).toContain("'Signature'");
    expect(res.json.Message).toContain("'SignedHeaders'");
  });
});
