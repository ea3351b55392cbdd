import { describe, expect, it } from "vitest";
import {
  checkConfig,
  configSource,
  inputsFromVariables,
  pluginConfig,
  pluginWording,
} from "../../provider/plugin/config.js";
import { explainSetupFailures, setupHint } from "../../provider/aws/client.js";
import { readAwsSettings } from "../../provider/aws/settings.js";
import { sealed } from "../../provider/sealing.js";
import { revealProps, sealKeys } from "../../provider/plugin/wire.js";

describe("the plugin's configuration", () => {
  it("reads its own keys with the meaning of the aws: keys, as JSON text (Python) or as values (Go, YAML)", () => {
    const endpoints = [{ rekognition: "http://127.0.0.1:4599" }];
    for (const inputs of [
      { region: "eu-west-1", maxRetries: "3", endpoints: JSON.stringify(endpoints) },
      { region: "eu-west-1", maxRetries: 3, endpoints },
    ])
      expect(readAwsSettings(configSource(inputs), {})).toMatchObject({
        region: "eu-west-1",
        maxAttempts: 4,
        endpoint: "http://127.0.0.1:4599",
      });
  });

  it("takes secret credentials as the engine sends them", () => {
    const settings = readAwsSettings(
      configSource({ accessKey: sealed("AKID"), secretKey: sealed("s3cr3t"), region: "us-east-1" }),
      {},
    );
    expect(settings.credentials).toEqual({ accessKeyId: "AKID", secretAccessKey: "s3cr3t" });
  });

  it("reads Configure's variables when the engine sends no arguments", () => {
    const variables = new Map([
      ["rekognition-faces:config:region", "us-west-2"],
      ["aws:config:region", "ignored"],
    ]);
    expect(inputsFromVariables(variables)).toEqual({ region: "us-west-2" });
  });

  it("mints the stack's identity once, and keeps the recorded one", () => {
    const first = checkConfig({}, { region: "us-east-1" });
    expect(first.failures).toEqual([]);
    expect(first.inputs["stackIdentity"]).toMatch(/^[0-9a-f-]{36}$/);
    const again = checkConfig(first.inputs, { region: "us-east-1" });
    expect(again.inputs["stackIdentity"]).toBe(first.inputs["stackIdentity"]);
    expect(pluginConfig(again.inputs).identity).toBe(first.inputs["stackIdentity"]);
  });

  it("names an unknown key and a bad value with the plugin's own key and the fix", () => {
    const checked = checkConfig({}, { regoin: "us-east-1", maxRetries: "many" });
    const reasons = checked.failures.map((f) => f.reason).join("\n");
    expect(reasons).toContain(
      "rekognition-faces:regoin is not a setting of this provider: did you mean rekognition-faces:region? (use one of region,",
    );
    expect(reasons).toContain("rekognition-faces:maxRetries");
    expect(reasons).not.toContain("aws:maxRetries");
    // A mis-cased secret is named on the provider, so the engine never prints its value beside the key.
    const [failure] = checkConfig({}, { secretkey: sealed("s3cr3t") }).failures;
    expect(failure).toEqual({
      property: "",
      reason: expect.stringContaining(
        "rekognition-faces:secretkey is not a setting of this provider: did you mean rekognition-faces:secretKey?",
      ) as string,
    });
  });
});

describe("secrets on the wire", () => {
  it("reveals secret inputs, remembers their names, and seals outputs of the same name", () => {
    const revealed = revealProps({ userId: sealed("agent"), faceIds: ["a", "b"], nested: { x: sealed(1) } });
    expect(revealed.plain).toEqual({ userId: "agent", faceIds: ["a", "b"], nested: { x: 1 } });
    expect([...revealed.secretKeys].sort()).toEqual(["nested", "userId"]);
    const outputs = sealKeys({ userId: "agent", userStatus: "ACTIVE" }, revealed.secretKeys);
    expect(outputs).toEqual({ userId: sealed("agent"), userStatus: "ACTIVE" });
    expect(sealKeys(outputs, revealed.secretKeys)).toEqual(outputs);
  });
});

describe("a call that never reached the service", () => {
  const endpoint = "http://127.0.0.1:4599";
  const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

  it("is explained with the setting and the fix, in the plugin's own keys under the plugin", () => {
    const region = setupHint(new Error("Region is missing"), "Rekognition", endpoint, undefined);
    expect(region).toBe("set the stack's region (pulumi config set aws:region us-east-1), or AWS_REGION");
    expect(pluginWording(region!)).toContain("pulumi config set rekognition-faces:region us-east-1");
    const credentials = setupHint(
      named("CredentialsProviderError", "Could not load credentials from any providers"),
      "Rekognition",
      endpoint,
      "us-east-1",
    );
    expect(pluginWording(credentials!)).toBe(
      "give the stack credentials: rekognition-faces:profile, or rekognition-faces:accessKey with " +
        "rekognition-faces:secretKey (set with --secret), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
        `(at ${endpoint}: the keys its rekognition-local prints when it starts)`,
    );
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4599"), { code: "ECONNREFUSED" });
    expect(setupHint(refused, "S3", undefined, "eu-west-1")).toBe(
      "S3 in eu-west-1 cannot be reached: check the network, a proxy, and the region",
    );
  });

  it("names the credential settings when the service refuses the keys, and a region that is not a code", () => {
    const refused = named(
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    );
    expect(setupHint(refused, "Rekognition", undefined, "us-east-1")).toBe(
      "Rekognition refused the stack's credentials: check aws:accessKey and aws:secretKey (or the profile, " +
        "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), and aws:token for temporary keys",
    );
    expect(setupHint(named("ExpiredTokenException", "expired"), "S3", endpoint, undefined)).toContain(
      `aws:token for temporary keys (at ${endpoint}: the keys its rekognition-local prints when it starts)`,
    );
    const region = new Error('Region not accepted: region="US East" is not a valid hostname component.');
    expect(setupHint(region, "Rekognition", undefined, "US East")).toBe(
      "set the stack's region to a region code such as us-east-1 (pulumi config set aws:region us-east-1)",
    );
  });

  it("explains an error shared by calls that failed together once", async () => {
    let middleware: ((next: () => Promise<never>) => (args: object) => Promise<unknown>) | undefined;
    const stack = { add: (m: typeof middleware) => (middleware = m) };
    explainSetupFailures(stack as never, "Rekognition", endpoint, undefined);
    const shared = new Error("Region is missing");
    const failing = middleware!(() => Promise.reject(shared));
    await Promise.allSettled([failing({}), failing({}), failing({})]);
    expect(shared.message).toBe(
      "Region is missing: set the stack's region (pulumi config set aws:region us-east-1), or AWS_REGION",
    );
  });

  it("leaves any other error as it is", () => {
    expect(setupHint(named("AccessDeniedException", "denied"), "Rekognition", endpoint, "us-east-1")).toBe(
      undefined,
    );
    expect(setupHint("a string", "Rekognition", undefined, undefined)).toBe(undefined);
  });
});
