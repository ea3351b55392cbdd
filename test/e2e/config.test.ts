import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { noAmbientAws, startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack, type OperationResult } from "../harness/stack.js";

// A collection and a user in it: two resource types, so two provider
// configurations in the one dynamic provider process.
const program = `
import { Collection, User } from "pulumi-rekognition-faces";
const staff = new Collection("staff", { collectionId: "staff" });
const alice = new User("alice", { collectionId: staff.collectionId, userId: "alice" });
export const userStatus = alice.userStatus;
`;

// Ambient credentials no endpoint accepts: a deployment that falls back to
// them fails.
const ambient = { AWS_ACCESS_KEY_ID: "AKIDAMBIENT", AWS_SECRET_ACCESS_KEY: "ambient-secret" };
const output = (result: OperationResult) => `${result.stdout}\n${result.stderr}`;

describe("a mis-cased aws:endpoints key", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition();
    stack = await TestStack.create({
      name: "config-miscased",
      program,
      config: {
        "aws:region": local.emulator.region,
        "aws:endpoints[0].Rekognition": local.emulator.endpoint,
      },
      env: local.env,
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("fails preview and up with the key and the fix, and calls nothing", async () => {
    const expected = 'aws:endpoints[0] has an unknown service key "Rekognition": did you mean "rekognition"?';
    const preview = await stack.preview({ expectFailure: true });
    expect(preview.errors.join("\n")).toContain(expected);
    // Once, on the resource, without a stack trace.
    expect(output(preview)).not.toMatch(/^\s+at .+[(:]/m);
    expect(output(preview)).not.toContain("ConfigurationError");
    const up = await stack.up({ expectFailure: true });
    expect(up.errors.join("\n")).toContain(expected);
    expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:Collection")).toEqual([]);
    expect((await local.emulator.control.counters()).total).toBe(0);
  });
});

describe("an endpoint where nothing answers", () => {
  let stack: TestStack;
  let endpoint: string;

  beforeAll(async () => {
    // A port that was free a moment ago: nothing listens on it.
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.close();
    stack = await TestStack.create({
      name: "config-unreachable",
      program,
      config: { "aws:region": "us-east-1", "aws:endpoints[0].rekognition": endpoint, "aws:maxRetries": "0" },
      env: ambient,
    });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it("fails the deployment naming the endpoint, the setting and rekognition-local", async () => {
    const up = await stack.up({ expectFailure: true });
    expect(up.errors.join("\n")).toContain(
      `ECONNREFUSED 127.0.0.1:${new URL(endpoint).port}: nothing answers at ${endpoint}, the stack's ` +
        "Rekognition endpoint (its endpoints configuration, or AWS_ENDPOINT_URL_REKOGNITION): start rekognition-local there, or correct the endpoint",
    );
    expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:Collection")).toEqual([]);
  });
});

describe("a stack with no region, or no credentials", () => {
  let local: LocalRekognition;
  beforeAll(async () => {
    local = await startLocalRekognition();
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await local?.stop();
  });
  async function failedUp(
    name: string,
    config: Record<string, string>,
    env: Record<string, string | undefined>,
  ): Promise<string> {
    const stack = await TestStack.create({ name, program, config, env });
    try {
      const up = await stack.up({ expectFailure: true });
      expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:Collection")).toEqual([]);
      return up.errors.join("\n");
    } finally {
      await stack.dispose();
    }
  }

  it("fails naming the region setting instead of the SDK's words alone", async () => {
    const config = { "aws:endpoints[0].rekognition": local.emulator.endpoint, "aws:maxRetries": "0" };
    expect(await failedUp("config-no-region", config, { ...noAmbientAws, ...ambient })).toContain(
      "Region is missing: set the stack's region (pulumi config set aws:region us-east-1), or AWS_REGION",
    );
    expect((await local.emulator.control.counters()).total).toBe(0);
  });

  it("names the credential settings when the endpoint refuses the keys", async () => {
    const config = {
      "aws:region": local.emulator.region,
      "aws:endpoints[0].rekognition": local.emulator.endpoint,
      "aws:maxRetries": "0",
    };
    const env = {
      ...noAmbientAws,
      AWS_ACCESS_KEY_ID: "AKIDNOTKNOWN",
      AWS_SECRET_ACCESS_KEY: "not-its-secret",
    };
    expect(await failedUp("config-refused-keys", config, env)).toContain(
      "Rekognition refused the stack's credentials: check aws:accessKey and aws:secretKey",
    );
  });

  it("refuses the provider plugin's region key in a TypeScript stack, naming the key it reads", async () => {
    const config = {
      "rekognition-faces:region": local.emulator.region,
      "aws:endpoints[0].rekognition": local.emulator.endpoint,
    };
    expect(await failedUp("config-plugin-key", config, { ...noAmbientAws, ...ambient })).toContain(
      "rekognition-faces:region is the provider plugin's key (YAML, Python, Go); this stack's resources are the " +
        "dynamic provider's, which read aws:region: set aws:region instead",
    );
    expect((await local.emulator.control.counters()).total).toBe(0);
  });

  it("fails naming the credential settings, and rekognition-local's keys, instead of the SDK's words alone", async () => {
    const endpoint = local.emulator.endpoint;
    const config = {
      "aws:region": local.emulator.region,
      "aws:endpoints[0].rekognition": endpoint,
      "aws:maxRetries": "0",
    };
    const env = { ...noAmbientAws, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    expect(await failedUp("config-no-credentials", config, env)).toContain(
      "Could not load credentials from any providers: give the stack credentials: aws:profile, or " +
        "aws:accessKey with aws:secretKey (set with --secret), or AWS_ACCESS_KEY_ID and " +
        `AWS_SECRET_ACCESS_KEY (at ${endpoint}: the keys its rekognition-local prints when it starts)`,
    );
    expect((await local.emulator.control.counters()).total).toBe(0);
  });
});

describe("aws:assumeRoles through rekognition-local's STS", () => {
  const caller = { accessKeyId: "AKIDE2ECALLER", secretAccessKey: "caller-e2e-s3cr3t" };
  const role = "arn:aws:iam::111111111111:role/deployer";
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    // Rekognition accepts no long-term key: only credentials STS issued for the role.
    local = await startLocalRekognition({
      credentials: [],
      sts: { callerCredentials: [caller], roles: { [role]: { externalId: "ext-e2e-s3cr3t" } } },
    });
    const endpoint = local.emulator.endpoint;
    stack = await TestStack.create({
      name: "config-assume",
      program,
      config: {
        "aws:region": local.emulator.region,
        "aws:endpoints[0].rekognition": endpoint,
        "aws:endpoints[0].sts": endpoint,
        "aws:accessKey": caller.accessKeyId,
        "aws:assumeRoles[0].roleArn": role,
        "aws:assumeRoles[0].sessionName": "pulumi-e2e",
        "aws:allowedAccountIds[0]": "111111111111",
      },
      secretConfig: {
        "aws:secretKey": caller.secretAccessKey,
        "aws:assumeRoles[0].externalId": "ext-e2e-s3cr3t",
      },
      env: { ...local.env, ...ambient },
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("deploys with the assumed role's credentials, and keeps the secrets out of state and output", async () => {
    const up = await stack.up();
    expect(up.changes).toMatchObject({ create: 4 });
    const calls = (await local.emulator.control.counters()).byOperation;
    // Once per process: the role is assumed and the account checked before the first Rekognition call.
    expect(calls).toMatchObject({ AssumeRole: 1, GetCallerIdentity: 1, CreateCollection: 1, CreateUser: 2 });
    expect(await stack.outputs()).toEqual({ userStatus: "CREATED" });

    const state = await stack.exportStateText();
    for (const secret of [caller.secretAccessKey, "ext-e2e-s3cr3t"]) {
      expect(state).not.toContain(secret);
      expect(output(up)).not.toContain(secret);
    }
  });
});

describe("aws:accessKey and aws:secretKey from the stack", () => {
  const keys = { accessKeyId: "AKIDE2ESTATIC", secretAccessKey: "static-e2e-s3cr3t" };
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition({ credentials: [keys] });
    stack = await TestStack.create({
      name: "config-static",
      program,
      config: { ...local.config, "aws:accessKey": keys.accessKeyId },
      secretConfig: { "aws:secretKey": keys.secretAccessKey },
      env: { ...local.env, ...ambient },
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("take precedence over the environment, and the secret appears nowhere", async () => {
    const up = await stack.up({ withPreview: true });
    expect(up.changes).toMatchObject({ create: 4 });
    expect(await stack.outputs()).toEqual({ userStatus: "CREATED" });
    const state = await stack.exportStateText();
    expect(state).not.toContain(keys.secretAccessKey);
    expect(output(up)).not.toContain(keys.secretAccessKey);
    const stackFile = await stack.pulumi(["config", "--json"]);
    expect(stackFile.stdout).not.toContain(keys.secretAccessKey);
  });
});

describe("aws:allowedAccountIds and aws:forbiddenAccountIds", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    // The emulator's long-term keys belong to account 123456789012.
    local = await startLocalRekognition();
    stack = await TestStack.create({
      name: "config-accounts",
      program,
      config: { ...local.config, "aws:endpoints[0].sts": local.emulator.endpoint },
      env: local.env,
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  const upWith = async (key: string, account: string, expectFailure: boolean) => {
    await stack.pulumi(["config", "rm", "--path", "aws:allowedAccountIds"]);
    await stack.pulumi(["config", "rm", "--path", "aws:forbiddenAccountIds"]);
    await stack.setConfig({ [`${key}[0]`]: account });
    await local.emulator.control.resetCounters();
    const up = await stack.up({ expectFailure });
    return { up, calls: (await local.emulator.control.counters()).byOperation };
  };

  it("an account not allowed fails the deployment before any Rekognition call", async () => {
    const { up, calls } = await upWith("aws:allowedAccountIds", "111111111111", true);
    expect(up.errors.join("\n")).toContain(
      "the credentials belong to AWS account 123456789012, which is not in aws:allowedAccountIds (111111111111)",
    );
    expect(calls).toEqual({ GetCallerIdentity: 1 });
  });

  it("a forbidden account fails the deployment before any Rekognition call", async () => {
    const { up, calls } = await upWith("aws:forbiddenAccountIds", "123456789012", true);
    expect(up.errors.join("\n")).toContain(
      "the credentials belong to AWS account 123456789012, which aws:forbiddenAccountIds lists",
    );
    expect(calls).toEqual({ GetCallerIdentity: 1 });
  });

  it("an allowed account deploys, checked once", async () => {
    const { up, calls } = await upWith("aws:allowedAccountIds", "123456789012", false);
    expect(up.changes).toMatchObject({ create: 2 });
    expect(calls).toMatchObject({ GetCallerIdentity: 1, CreateCollection: 1, CreateUser: 2 });
  });
});

describe("rekognition-faces:rateLimits", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition();
    stack = await TestStack.create({
      name: "config-rates",
      program,
      // Set with --path, so the engine holds an object, as `pulumi config set --path` makes it.
      config: { ...local.config, "rekognition-faces:rateLimits.CreateUsers": "5" },
      env: local.env,
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("reaches the provider's configure from the stack: a wrong name fails with the fix, calling nothing", async () => {
    const up = await stack.up({ expectFailure: true });
    expect(up.errors.join("\n")).toContain(
      'rekognition-faces:rateLimits names an unknown operation "CreateUsers": did you mean "CreateUser"?',
    );
    expect((await local.emulator.control.counters()).total).toBe(0);

    await stack.pulumi(["config", "rm", "--path", "rekognition-faces:rateLimits.CreateUsers"]);
    await stack.setConfig({
      "rekognition-faces:rateLimits.CreateUser": "off",
      "rekognition-faces:rateLimits.default": "2",
    });
    const fixed = await stack.up();
    expect(fixed.changes).toMatchObject({ create: 2 }); // the collection and the user; the stack and its identity were made by the failed run
    expect(await stack.outputs()).toEqual({ userStatus: "CREATED" });
  });
});
