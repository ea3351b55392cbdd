import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { accountRefusal } from "../../provider/aws/account.js";
import { cacheKey } from "../../provider/aws/client.js";
import { client, configureFromStack } from "../../provider/aws/configured.js";
import { provider as userProvider } from "../../provider/dynamic/user.js";
import { assumeRoleParams, credentialProvider } from "../../provider/aws/credentials.js";
import { ENDPOINT_KEYS } from "../../provider/aws/endpoint-keys.js";
import { ConfigurationError, readAwsSettings, type AwsSettings } from "../../provider/aws/settings.js";
import { scratchDir } from "../harness/scratch.js";

const source = (values: Record<string, string>) => ({ get: (k: string) => values[k] });
const read = (values: Record<string, string>) => readAwsSettings(source(values));
const failure = (values: Record<string, string>): string => {
  try {
    read(values);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error(`expected a configuration error for ${JSON.stringify(values)}`);
};
const endpoints = (...entries: unknown[]) => ({ "aws:endpoints": JSON.stringify(entries) });
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

/** The member names of @pulumi/aws's ProviderEndpoint, read from its type declarations. */
function pulumiAwsEndpointKeys(): string[] {
  const path = join(process.cwd(), "node_modules/@pulumi/aws/types/input.d.ts");
  const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest);
  const declaration = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "ProviderEndpoint",
  );
  if (!declaration) throw new Error("@pulumi/aws no longer declares ProviderEndpoint in types/input.d.ts");
  return declaration.members.map((m) => (m.name as ts.Identifier).text);
}

describe("the provider plugin's keys in a stack of the dynamic provider", () => {
  it("are refused where the aws: key is not set, naming the key to set", () => {
    expect(failure({ "rekognition-faces:region": "eu-west-1" })).toBe(
      "rekognition-faces:region is the provider plugin's key (YAML, Python, Go); this stack's resources are the " +
        "dynamic provider's, which read aws:region: set aws:region instead (pulumi config set aws:region …) and " +
        "remove rekognition-faces:region",
    );
    expect(failure({ "aws:region": "eu-west-1", "rekognition-faces:endpoints": "[]" })).toContain(
      "which read aws:endpoints",
    );
  });

  it("are left to the plugin where the aws: key is set too, and rateLimits is this package's own key", () => {
    expect(read({ "aws:region": "eu-west-1", "rekognition-faces:region": "eu-west-1" }).region).toBe(
      "eu-west-1",
    );
    expect(read({ "rekognition-faces:rateLimits": '{"default": 2}' }).rateLimits).toEqual({ default: 2 });
  });
});

describe("aws:endpoints", () => {
  it("lists exactly the service keys the installed @pulumi/aws accepts", () => {
    // On failure after an upgrade of @pulumi/aws: replace the list in
    // provider/aws/endpoint-keys.ts with the expected one.
    expect([...ENDPOINT_KEYS]).toEqual(pulumiAwsEndpointKeys());
    expect(ENDPOINT_KEYS).toContain("rekognition");
    expect(ENDPOINT_KEYS).toContain("sts");
  });

  it("reads the rekognition, sts and s3 entries, and accepts other services' keys", () => {
    expect(
      read(
        endpoints(
          { s3: "http://s3.local", dynamodb: "http://dynamodb.local" },
          { rekognition: "http://127.0.0.1:4599", sts: "https://sts.local" },
        ),
      ),
    ).toEqual({
      endpoint: "http://127.0.0.1:4599",
      stsEndpoint: "https://sts.local",
      s3Endpoint: "http://s3.local",
      maxAttempts: 10,
      // Another Rekognition endpoint is not paced by AWS's quotas unless configured.
      rateLimits: { default: 0 },
    });
  });

  it("keeps AWS's default rates without another endpoint, and configured rates with one", () => {
    expect(read({}).rateLimits).toBeUndefined();
    expect(
      read({
        ...endpoints({ rekognition: "http://127.0.0.1:4599" }),
        "rekognition-faces:rateLimits": '{"default": 5}',
      }).rateLimits,
    ).toEqual({ default: 5 });
  });

  it('takes "s3api" as another name of "s3", the first entry winning', () => {
    expect(read(endpoints({ s3api: "http://s3api.local" })).s3Endpoint).toBe("http://s3api.local");
    expect(read(endpoints({ s3: "http://one" }, { s3api: "http://two" })).s3Endpoint).toBe("http://one");
  });

  it("refuses a mis-cased key, naming it and the key it means", () => {
    const message = failure(endpoints({ Rekognition: "http://127.0.0.1:4599" }));
    expect(message).toContain('aws:endpoints[0] has an unknown service key "Rekognition"');
    expect(message).toContain('did you mean "rekognition"?');
  });

  it("refuses a misspelt key, naming the closest valid one", () => {
    expect(failure(endpoints({ s3: "http://s3" }, { rekognitoin: "http://x" }))).toContain(
      'aws:endpoints[1] has an unknown service key "rekognitoin": did you mean "rekognition"?',
    );
    expect(failure(endpoints({ STS: "http://x" }))).toContain('did you mean "sts"?');
  });

  it("refuses a key like no valid one without a guess", () => {
    const message = failure(endpoints({ "my-own-face-service": "http://x" }));
    expect(message).toContain('unknown service key "my-own-face-service"');
    expect(message).not.toContain("did you mean");
    expect(message).toContain('such as "rekognition"');
  });

  it("refuses an invalid URL, naming the entry and the value", () => {
    expect(failure(endpoints({ rekognition: "127.0.0.1 4599" }))).toContain(
      'aws:endpoints[0].rekognition is not a valid URL: "127.0.0.1 4599"',
    );
    expect(failure(endpoints({ rekognition: "ftp://host" }))).toContain(
      'aws:endpoints[0].rekognition must use http or https, got "ftp://host"',
    );
    expect(failure(endpoints({ sts: "" }))).toContain('aws:endpoints[0].sts must be a URL, got ""');
    expect(failure(endpoints({ s3: 42 }))).toContain("aws:endpoints[0].s3 must be a URL, got 42");
  });

  it("refuses a value that is not a list of objects", () => {
    expect(failure({ "aws:endpoints": "http://x" })).toMatch(/^aws:endpoints must be a list such as/);
    expect(failure({ "aws:endpoints": '{"rekognition": "http://x"}' })).toMatch(
      /^aws:endpoints must be a list/,
    );
    expect(failure(endpoints("http://x"))).toContain("aws:endpoints[0] must be an object");
  });
});

describe("credentials and accounts", () => {
  it("reads every key @pulumi/aws uses for them", () => {
    const settings = read({
      "aws:region": "eu-west-1",
      "aws:profile": "dev",
      "aws:maxRetries": "4",
      "aws:accessKey": "AKIDSTATIC",
      "aws:secretKey": "static-secret",
      "aws:token": "static-token",
      "aws:sharedCredentialsFiles": JSON.stringify(["/a/credentials", "/b/credentials"]),
      "aws:sharedConfigFiles": JSON.stringify(["/a/config"]),
      "aws:allowedAccountIds": JSON.stringify(["111111111111", "222222222222"]),
    });
    expect(settings).toEqual({
      region: "eu-west-1",
      profile: "dev",
      maxAttempts: 5,
      credentials: {
        accessKeyId: "AKIDSTATIC",
        secretAccessKey: "static-secret",
        sessionToken: "static-token",
      },
      sharedCredentialsFiles: ["/a/credentials", "/b/credentials"],
      sharedConfigFiles: ["/a/config"],
      allowedAccountIds: ["111111111111", "222222222222"],
    });
    expect(read({ "aws:forbiddenAccountIds": '["333333333333"]' }).forbiddenAccountIds).toEqual([
      "333333333333",
    ]);
    // What \`pulumi config set --path 'aws:allowedAccountIds[0]' 123456789012\` stores.
    expect(read({ "aws:allowedAccountIds": "[123456789012]" }).allowedAccountIds).toEqual(["123456789012"]);
  });

  it("names the missing half of a key pair", () => {
    expect(failure({ "aws:accessKey": "AKIDSTATIC" })).toContain(
      "aws:accessKey is set (AKIDSTATIC) without aws:secretKey: set it as a secret",
    );
    expect(failure({ "aws:secretKey": "s3cr3t" })).toContain("aws:secretKey is set without aws:accessKey");
    expect(failure({ "aws:token": "t0k3n" })).toContain(
      "aws:token is set without aws:accessKey and aws:secretKey",
    );
    for (const message of [failure({ "aws:secretKey": "s3cr3t" }), failure({ "aws:token": "t0k3n" })]) {
      expect(message).not.toMatch(/s3cr3t|t0k3n/);
    }
  });

  it("refuses malformed account lists, and both lists at once", () => {
    expect(failure({ "aws:allowedAccountIds": '["12345"]' })).toBe(
      'aws:allowedAccountIds[0] must be a 12-digit AWS account ID, got "12345"',
    );
    expect(failure({ "aws:allowedAccountIds": "[12345678901]" })).toContain(
      "a leading zero is lost when the ID is stored as a number: quote it",
    );
    // A number far too short lost no zero: the ID itself is wrong.
    expect(failure({ "aws:allowedAccountIds": "[12345]" })).toBe(
      'aws:allowedAccountIds[0] must be a 12-digit AWS account ID, got "12345"',
    );
    expect(failure({ "aws:forbiddenAccountIds": "123456789012" })).toContain(
      "aws:forbiddenAccountIds must be a list of strings",
    );
    expect(
      failure({ "aws:allowedAccountIds": '["111111111111"]', "aws:forbiddenAccountIds": '["222222222222"]' }),
    ).toContain("aws:allowedAccountIds and aws:forbiddenAccountIds are both set");
    expect(failure({ "aws:sharedCredentialsFiles": '[""]' })).toBe(
      'aws:sharedCredentialsFiles[0] must be a non-empty string, got ""',
    );
  });

  it("refuses a retry count that is not a whole number", () => {
    expect(failure({ "aws:maxRetries": "three" })).toBe(
      "aws:maxRetries must be a whole number of retries (0 or more), got three",
    );
    expect(read({ "aws:maxRetries": "0" }).maxAttempts).toBe(1);
  });

  it("says which account is refused and by which key", () => {
    const allowed: AwsSettings = { maxAttempts: 1, allowedAccountIds: ["111111111111"] };
    expect(accountRefusal("111111111111", allowed)).toBeUndefined();
    expect(accountRefusal("999999999999", allowed)).toContain(
      "AWS account 999999999999, which is not in aws:allowedAccountIds (111111111111)",
    );
    const forbidden: AwsSettings = { maxAttempts: 1, forbiddenAccountIds: ["999999999999"] };
    expect(accountRefusal("111111111111", forbidden)).toBeUndefined();
    expect(accountRefusal("999999999999", forbidden)).toContain(
      "AWS account 999999999999, which aws:forbiddenAccountIds lists",
    );
  });

  it("gives static keys precedence over the profile and shared files", async () => {
    const provider = credentialProvider(
      read({
        "aws:profile": "dev",
        "aws:accessKey": "AKIDSTATIC",
        "aws:secretKey": "static-secret",
        "aws:sharedCredentialsFiles": '["/nowhere/credentials"]',
      }),
    );
    expect(await provider!()).toEqual({ accessKeyId: "AKIDSTATIC", secretAccessKey: "static-secret" });
  });

  it("reads the profile from the shared files, a later file first", async () => {
    const dir = scratchDir("aws-files-");
    const first = join(dir, "first");
    const second = join(dir, "second");
    writeFileSync(first, "[dev]\naws_access_key_id = AKIDFIRST\naws_secret_access_key = first-secret\n");
    writeFileSync(
      second,
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n" +
        "[dev]\naws_access_key_id = AKIDSECOND\naws_secret_access_key = second-secret\n",
    );
    const resolve = (profile: string, files: string[]) =>
      credentialProvider(
        read({
          "aws:profile": profile,
          "aws:sharedCredentialsFiles": JSON.stringify(files),
          "aws:sharedConfigFiles": JSON.stringify([join(dir, "no-config")]),
        }),
      )!();
    expect(await resolve("dev", [first, second])).toMatchObject({ accessKeyId: "AKIDSECOND" });
    expect(await resolve("dev", [second, first])).toMatchObject({ accessKeyId: "AKIDFIRST" });
    expect(await resolve("default", [first, second])).toMatchObject({ accessKeyId: "AKIDDEFAULT" });
  });

  it("leaves the SDK's default chain alone when nothing is configured", () => {
    expect(credentialProvider(read({}))).toBeUndefined();
  });
});

describe("aws:assumeRoles", () => {
  it("reads every field, in order", () => {
    const settings = read({
      "aws:assumeRoles": JSON.stringify([
        {
          roleArn: role("111111111111", "first"),
          sessionName: "deploy",
          externalId: "ext-secret",
          duration: "1h30m",
          policy: '{"Version":"2012-10-17","Statement":[]}',
          policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
          tags: { team: "faces" },
          transitiveTagKeys: ["team"],
          sourceIdentity: "alice",
        },
        { roleArn: role("222222222222", "path/second") },
      ]),
    });
    expect(settings.assumeRoles).toEqual([
      {
        roleArn: role("111111111111", "first"),
        sessionName: "deploy",
        externalId: "ext-secret",
        durationSeconds: 5400,
        policy: '{"Version":"2012-10-17","Statement":[]}',
        policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        tags: { team: "faces" },
        transitiveTagKeys: ["team"],
        sourceIdentity: "alice",
      },
      { roleArn: role("222222222222", "path/second") },
    ]);
    expect(assumeRoleParams(settings.assumeRoles![0]!)).toEqual({
      RoleArn: role("111111111111", "first"),
      RoleSessionName: "deploy",
      ExternalId: "ext-secret",
      DurationSeconds: 5400,
      Policy: '{"Version":"2012-10-17","Statement":[]}',
      PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      Tags: [{ Key: "team", Value: "faces" }],
      TransitiveTagKeys: ["team"],
      SourceIdentity: "alice",
    });
  });

  it("reads the older aws:assumeRole object as a list of one", () => {
    expect(
      read({ "aws:assumeRole": JSON.stringify({ roleArn: role("111111111111", "old"), duration: "900s" }) }),
    ).toMatchObject({ assumeRoles: [{ roleArn: role("111111111111", "old"), durationSeconds: 900 }] });
  });

  it("names the entry, the field and the fix for each problem", () => {
    const one = (entry: unknown) => failure({ "aws:assumeRoles": JSON.stringify([entry]) });
    expect(one({ roleArn: "deploy" })).toBe(
      'aws:assumeRoles[0].roleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy, got "deploy"',
    );
    expect(one({ roleArn: role("111111111111", "r"), rolearn: "x" })).toContain(
      'aws:assumeRoles[0] has an unknown field "rolearn": did you mean "roleArn"?',
    );
    expect(one({ roleArn: role("111111111111", "r"), duration: "5m" })).toContain(
      'aws:assumeRoles[0].duration is "5m" (300s): use a duration between 15m and 12h',
    );
    expect(one({ roleArn: role("111111111111", "r"), duration: "an hour" })).toContain(
      'aws:assumeRoles[0].duration is not a duration: "an hour"',
    );
    expect(one({ roleArn: role("111111111111", "r"), sessionName: "a b" })).toContain(
      'aws:assumeRoles[0].sessionName must be 2–64 of letters, digits and +=,.@_-, got "a b"',
    );
    expect(one({ roleArn: role("111111111111", "r"), tags: { team: 1 } })).toContain(
      "aws:assumeRoles[0].tags must be a map of strings",
    );
    expect(one({ roleArn: role("111111111111", "r"), policyArns: "arn" })).toContain(
      "aws:assumeRoles[0].policyArns must be a list of strings",
    );
    expect(one("arn:aws:iam::111111111111:role/r")).toContain("aws:assumeRoles[0] must be an object");
    expect(failure({ "aws:assumeRoles": JSON.stringify({ roleArn: role("111111111111", "r") }) })).toContain(
      "for a single object use aws:assumeRole",
    );
    expect(
      failure({
        "aws:assumeRoles": JSON.stringify([{ roleArn: role("111111111111", "r") }]),
        "aws:assumeRole": JSON.stringify({ roleArn: role("111111111111", "r") }),
      }),
    ).toContain("aws:assumeRoles and aws:assumeRole are both set");
  });

  it("keeps the external ID out of every message", () => {
    const messages = [
      failure({ "aws:assumeRoles": '[{"roleArn": "bad", "externalId": "ext-s3cr3t"' }),
      failure({ "aws:assumeRoles": JSON.stringify([{ roleArn: role("111111111111", "r"), externalId: 7 }]) }),
      failure({ "aws:assumeRole": '{"externalId": "ext-s3cr3t", "roleArn": 1' }),
    ];
    expect(messages[0]).toContain("aws:assumeRoles must be a list such as");
    expect(messages[1]).toBe("aws:assumeRoles[0].externalId must be a string, got a number");
    for (const message of messages) expect(message).not.toMatch(/s3cr3t|: 7/);
  });
});

describe("client cache key", () => {
  it("holds no secret in clear, and tells different secrets apart", () => {
    const settings = read({
      "aws:accessKey": "AKIDSTATIC",
      "aws:secretKey": "static-s3cr3t",
      "aws:token": "token-s3cr3t",
      "aws:assumeRoles": JSON.stringify([{ roleArn: role("111111111111", "r"), externalId: "ext-s3cr3t" }]),
    });
    const key = cacheKey(settings);
    expect(key).not.toMatch(/s3cr3t/);
    expect(key).toContain("AKIDSTATIC");
    const other = cacheKey({
      ...settings,
      credentials: { ...settings.credentials!, secretAccessKey: "other" },
    });
    expect(other).not.toBe(key);
    expect(cacheKey(read({ "aws:region": "eu-west-1" }))).toBe(cacheKey(read({ "aws:region": "eu-west-1" })));
  });
});

describe("configureFromStack", () => {
  it("fails at configure, and fails every later call, with the same message", () => {
    const bad = source(endpoints({ Rekognition: "http://127.0.0.1:4599" }));
    expect(() => configureFromStack(bad)).toThrow(
      /unknown service key "Rekognition": did you mean "rekognition"\?/,
    );
    expect(() => client()).toThrow(/unknown service key "Rekognition"/);
    expect(() => client()).toThrow(/unknown service key "Rekognition"/);

    configureFromStack(source(endpoints({ rekognition: "http://127.0.0.1:4599" })));
    expect(client()).toBe(client());
  });

  it("makes every method of a resource fail, even those that call nothing", async () => {
    const config = source(endpoints({ rekognitoin: "http://127.0.0.1:4599" }));
    // Kept, not thrown: the dynamic host would print it again with a stack trace.
    await expect(userProvider.configure({ config } as never)).resolves.toBeUndefined();
    const inputs = { collectionId: "staff", userId: "alice" };
    const state = { ...inputs, userStatus: "CREATED", origin: "created", lifetime: "l1" };
    await expect(userProvider.check({}, inputs)).rejects.toThrow(/unknown service key "rekognitoin"/);
    await expect(userProvider.diff("staff/alice", state, inputs)).rejects.toThrow(/"rekognitoin"/);
    await expect(
      userProvider.update("staff/alice", state, { ...inputs, deleteOnDestroy: false }),
    ).rejects.toThrow(/"rekognitoin"/);
    await expect(userProvider.read("staff/alice", state)).rejects.toThrow(/"rekognitoin"/);
    await expect(userProvider.delete("staff/alice", state)).rejects.toThrow(/"rekognitoin"/);

    await userProvider.configure({
      config: source(endpoints({ rekognition: "http://127.0.0.1:4599" })),
    } as never);
    await expect(userProvider.check({}, inputs)).resolves.toMatchObject({ failures: [] });
  });
});

describe("the AWS SDKs' endpoint environment", () => {
  const local = "http://127.0.0.1:4599";
  const withEnv = (env: NodeJS.ProcessEnv, values: Record<string, string> = {}) =>
    readAwsSettings(source(values), env);

  it("reads AWS_ENDPOINT_URL_REKOGNITION, then AWS_ENDPOINT_URL, as a local endpoint that is not paced", () => {
    expect(withEnv({ AWS_ENDPOINT_URL_REKOGNITION: local })).toMatchObject({
      endpoint: local,
      rateLimits: { default: 0 },
    });
    const shared = withEnv({ AWS_ENDPOINT_URL: "http://127.0.0.1:5000" });
    expect(shared).toMatchObject({ endpoint: "http://127.0.0.1:5000", stsEndpoint: "http://127.0.0.1:5000" });
    expect(withEnv({ AWS_ENDPOINT_URL: "http://a:1", AWS_ENDPOINT_URL_STS: "http://b:2" })).toMatchObject({
      endpoint: "http://a:1",
      stsEndpoint: "http://b:2",
    });
  });

  it("lets the stack's aws:endpoints win, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turn the environment off", () => {
    expect(
      withEnv({ AWS_ENDPOINT_URL_REKOGNITION: "http://env:1" }, endpoints({ rekognition: local })).endpoint,
    ).toBe(local);
    const ignored = withEnv({
      AWS_ENDPOINT_URL_REKOGNITION: local,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
    });
    expect(ignored.endpoint).toBeUndefined();
    expect(ignored.rateLimits).toBeUndefined();
  });

  it("refuses a malformed URL, naming the variable", () => {
    expect(() => withEnv({ AWS_ENDPOINT_URL_REKOGNITION: "not a url" })).toThrow(
      /AWS_ENDPOINT_URL_REKOGNITION/,
    );
  });
});
