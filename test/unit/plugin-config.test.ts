import { describe, expect, it } from "vitest";
import {
  checkConfig,
  configSource,
  inputsFromVariables,
  pluginConfig,
} from "../../provider/plugin/config.js";
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
      "rekognition-faces:regoin is not a setting of this provider: use one of region,",
    );
    expect(reasons).toContain("rekognition-faces:maxRetries");
    expect(reasons).not.toContain("aws:maxRetries");
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
