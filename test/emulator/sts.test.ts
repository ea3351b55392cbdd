import { ListCollectionsCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
  type AssumeRoleCommandInput,
} from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { credentialProvider } from "../../provider/aws/credentials.js";
import { readAwsSettings } from "../../provider/aws/settings.js";

const ROLE_A = "arn:aws:iam::111111111111:role/deployer";
const ROLE_B = "arn:aws:iam::222222222222:role/faces/admin";
const CALLER = { accessKeyId: "AKIDCALLER", secretAccessKey: "caller-secret" };

let emu: RunningEmulator;
const sts = (credentials: AwsCredentialIdentity = emu.credentials) =>
  new STSClient({ endpoint: emu.endpoint, region: emu.region, credentials, maxAttempts: 1 });
const rekognition = (credentials: AwsCredentialIdentity) =>
  new RekognitionClient({ endpoint: emu.endpoint, region: emu.region, credentials, maxAttempts: 1 });
const assume = async (input: Partial<AssumeRoleCommandInput>, credentials?: AwsCredentialIdentity) => {
  const out = await sts(credentials).send(
    new AssumeRoleCommand({ RoleArn: ROLE_A, RoleSessionName: "test", ...input }),
  );
  const c = out.Credentials!;
  return {
    out,
    credentials: {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    },
  };
};
const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(STSServiceException);
    const e = err as STSServiceException;
    return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
  }
  throw new Error("expected the call to fail");
};

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    accountId: "999999999999",
    sts: {
      callerCredentials: [CALLER],
      roles: {
        [ROLE_A]: {},
        [ROLE_B]: { externalId: "faces-external-id" },
      },
    },
  });
});
afterAll(async () => emu?.stop());

describe("rekognition-local STS", () => {
  it("GetCallerIdentity names the emulator's account for its long-term keys", async () => {
    const out = await sts().send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({
      Account: "999999999999",
      Arn: "arn:aws:iam::999999999999:user/rekognition-local",
    });
    expect(out.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
  });

  it("AssumeRole issues temporary credentials that Rekognition accepts with their session token only", async () => {
    const { out, credentials } = await assume({ RoleSessionName: "deploy", DurationSeconds: 900 });
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(out.AssumedRoleUser?.Arn).toBe("arn:aws:sts::111111111111:assumed-role/deployer/deploy");
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]+:deploy$/);
    const expiresIn = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(800_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);

    const identity = await sts(credentials).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: "111111111111", Arn: out.AssumedRoleUser!.Arn });
    expect((await rekognition(credentials).send(new ListCollectionsCommand({}))).CollectionIds).toEqual([]);

    const { sessionToken: _dropped, ...withoutToken } = credentials;
    for (const wrong of [withoutToken, { ...credentials, sessionToken: "forged" }]) {
      await expect(rekognition(wrong).send(new ListCollectionsCommand({}))).rejects.toMatchObject({
        name: "UnrecognizedClientException",
      });
    }
  });

  it("chains roles: a role session assumes the next role, for an hour at most", async () => {
    const first = await assume({ RoleSessionName: "first" });
    const second = await assume(
      { RoleArn: ROLE_B, RoleSessionName: "second", ExternalId: "faces-external-id" },
      first.credentials,
    );
    expect((await sts(second.credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      "arn:aws:sts::222222222222:assumed-role/admin/second",
    );
    expect(
      await failureOf(assume({ RoleSessionName: "too-long", DurationSeconds: 7200 }, first.credentials)),
    ).toEqual({
      name: "ValidationError",
      message:
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      status: 400,
    });
  });

  it("answers bad requests with STS's error codes", async () => {
    expect(await failureOf(assume({ RoleArn: "arn:aws:iam::1:role/x" }))).toEqual({
      name: "ValidationError",
      message: "arn:aws:iam::1:role/x is invalid",
      status: 400,
    });
    expect(await failureOf(assume({ RoleSessionName: "a b" }))).toMatchObject({
      name: "ValidationError",
      message: expect.stringContaining("at 'roleSessionName' failed to satisfy constraint"),
    });
    expect(await failureOf(assume({ DurationSeconds: 60 }))).toMatchObject({
      name: "ValidationError",
      message: expect.stringContaining("Value '60' at 'durationSeconds'"),
    });
    expect(await failureOf(assume({ RoleArn: ROLE_B, ExternalId: "wrong-id" }))).toEqual({
      name: "AccessDenied",
      message: `User: arn:aws:iam::999999999999:user/rekognition-local is not authorized to perform: sts:AssumeRole on resource: ${ROLE_B}`,
      status: 403,
    });
    expect(await failureOf(assume({ RoleArn: "arn:aws:iam::111111111111:role/not-declared" }))).toMatchObject(
      { name: "AccessDenied", status: 403 },
    );
    expect(
      await failureOf(
        sts({ accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" }).send(new GetCallerIdentityCommand({})),
      ),
    ).toEqual({
      name: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
      status: 403,
    });
    expect(
      await failureOf(
        sts({ ...emu.credentials, secretAccessKey: "wrong" }).send(new GetCallerIdentityCommand({})),
      ),
    ).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
  });

  it("refuses a session token it did not issue for the key, and an expired session's", async () => {
    expect(
      await failureOf(
        sts({ ...emu.credentials, sessionToken: "tok" }).send(new GetCallerIdentityCommand({})),
      ),
    ).toEqual({
      name: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
      status: 403,
    });
    const { credentials } = await assume({ DurationSeconds: 900 });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 901_000 });
    try {
      expect(await failureOf(sts(credentials).send(new GetCallerIdentityCommand({})))).toEqual({
        name: "ExpiredToken",
        message: "The security token included in the request is expired",
        status: 403,
      });
      await expect(rekognition(credentials).send(new ListCollectionsCommand({}))).rejects.toMatchObject({
        name: "ExpiredTokenException",
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it("encodes errors as STS's XML document", async () => {
    const response = await fetch(emu.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("text/xml");
    const body = await response.text();
    expect(body).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>Missing Authentication Token<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/,
    );
  });

  it("accepts caller keys for STS only: Rekognition sees only the roles they assume", async () => {
    await expect(rekognition(CALLER).send(new ListCollectionsCommand({}))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
    const { credentials } = await assume({}, CALLER);
    await expect(rekognition(credentials).send(new ListCollectionsCommand({}))).resolves.toBeDefined();
  });

  it("counts STS calls by action with the other requests", async () => {
    await emu.control.resetCounters();
    await sts().send(new GetCallerIdentityCommand({}));
    await assume({});
    expect((await emu.control.counters()).byOperation).toEqual({ GetCallerIdentity: 1, AssumeRole: 1 });
  });

  it("serves the provider's assumeRoles chain, with the external ID", async () => {
    const settings = readAwsSettings({
      get: (key: string) =>
        ({
          "aws:region": "us-east-1",
          "aws:accessKey": CALLER.accessKeyId,
          "aws:secretKey": CALLER.secretAccessKey,
          "aws:endpoints": JSON.stringify([{ sts: emu.endpoint }]),
          "aws:assumeRoles": JSON.stringify([
            { roleArn: ROLE_A, sessionName: "provider-1", duration: "30m" },
            {
              roleArn: ROLE_B,
              sessionName: "provider-2",
              externalId: "faces-external-id",
              tags: { team: "faces" },
            },
          ]),
        })[key],
    });
    const credentials = await credentialProvider(settings)!();
    expect(credentials.sessionToken).toBeDefined();
    expect((await sts(credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      "arn:aws:sts::222222222222:assumed-role/admin/provider-2",
    );
  });
});
