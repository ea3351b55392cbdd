import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associationProgram } from "../harness/programs.js";
import {
  callsSince,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "checks";
const face = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("UserFaceAssociation: bad input fails the preview, naming the field and the fix", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition();
    stack = await TestStack.create({
      name: "checks",
      program: associationProgram([]),
      config: local.config,
      env: local.env,
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  const cases: { label: string; args: Record<string, unknown>; expected: RegExp }[] = [
    {
      label: "a collection ID with a space",
      args: { collectionId: "my roster" },
      expected: /collectionId 'my roster' may contain only letters, digits/,
    },
    {
      label: "a user ID too long",
      args: { userId: "u".repeat(129) },
      expected: /userId must be 1–128 characters long, got 129/,
    },
    {
      label: "a face ID that is not a UUID",
      args: { faceIds: ["alice-1.png"] },
      expected:
        /faceIds\[0\] is 'alice-1.png', not a Rekognition face ID: use the FaceId that IndexFaces returned/,
    },
    {
      label: "a duplicate face",
      args: { faceIds: [face(1), face(1)] },
      expected: /faceIds lists 00000000-0000-4000-8000-000000000001 more than once: remove the duplicate/,
    },
    {
      label: "no faces",
      args: { faceIds: [] },
      expected: /faceIds is empty: declare at least one face, or delete the association/,
    },
    {
      label: "more faces than a user can hold",
      args: { faceIds: Array.from({ length: 101 }, (_, i) => face(i)) },
      expected: /faceIds has 101 faces, but a Rekognition user holds at most 100/,
    },
    {
      label: "a threshold out of range",
      args: { userMatchThreshold: 120 },
      expected: /userMatchThreshold must be a number from 0 to 100, got 120/,
    },
  ];

  // One preview each: the engine stops at the first resource that fails its check.
  for (const { label, args, expected } of cases) {
    it(`rejects ${label}`, async () => {
      stack.writeProgram(
        associationProgram([{ name: "bad", collectionId, userId: "alice", faceIds: [face(1)], ...args }]),
      );
      const preview = await stack.preview({ expectFailure: true });
      expect(preview.errors.join("\n")).toMatch(expected);
      expect(await callsSince(local)).toEqual({});
    });
  }

  it("handles face IDs that are unknown until another resource is created", async () => {
    const faces = await seedRoster(local, collectionId, ["alice"], 1);
    await local.emulator.control.resetCounters();
    stack.writeFile(
      "node_modules/face-source/index.js",
      `exports.provider = {
        async configure() {}, async check(_o, n) { return { inputs: n }; }, async diff() { return {}; },
        async create(i) { return { id: i.faceId, outs: i }; }, async read(id, p) { return { id, props: p }; },
        async update(_id, _o, n) { return { outs: n }; }, async delete() {},
      };`,
    );
    stack.writeProgram(`
import * as pulumi from "@pulumi/pulumi";
import { UserFaceAssociation } from "pulumi-rekognition-faces";
import { providerShim } from "pulumi-rekognition-faces/shim";
// Stands in for an IndexedFace: its output is known only once it is created.
class FaceSource extends pulumi.dynamic.Resource {
  declare readonly faceId: pulumi.Output<string>;
  constructor(name: string, faceId: string) { super(providerShim("face-source"), name, { faceId }, {}); }
}
const source = new FaceSource("source", ${JSON.stringify(faces["alice"]![0])});
new UserFaceAssociation("alice", { collectionId: "${collectionId}", userId: "alice", faceIds: [source.faceId] });
`);
    const preview = await stack.preview();
    expect(preview.ok).toBe(true);
    expect(await callsSince(local)).toEqual({});
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 3 });
    expect((await stack.resource("alice")).outputs?.["faceIds"]).toEqual([faces["alice"]![0]]);
  });
});

describe("UserFaceAssociation: credentials never reach the state, the logs or the serialized provider", () => {
  it("deploys with known secrets in the environment and in config, then finds none of them", async () => {
    const secretKey = "never-in-state-5f1c2d9e8b7a";
    // A decoy in the environment: the configured keys take precedence, as in @pulumi/aws.
    const environmentSecret = "environment-secret-3a9e4c7b1d2f";
    const local = await startLocalRekognition({
      credentials: { accessKeyId: "AKIDSECRETTEST", secretAccessKey: secretKey },
    });
    const faces = await seedRoster(local, "secrets", ["alice"], 2);
    const stack = await TestStack.create({
      name: "secrets",
      program: associationProgram([
        { name: "alice", collectionId: "secrets", userId: "alice", faceIds: faces["alice"]! },
      ]),
      config: local.config,
      secretConfig: { "aws:secretKey": secretKey, "aws:accessKey": "AKIDSECRETTEST" },
      env: {
        ...local.env,
        AWS_ACCESS_KEY_ID: "AKIDENVIRONMENT",
        AWS_SECRET_ACCESS_KEY: environmentSecret,
        AWS_SESSION_TOKEN: "session-token-9d8c7b6a5f4e",
      },
    });
    try {
      const result = await stack.up();
      expect(result.changes).toMatchObject({ create: 2 });
      const stateFiles = filesUnder(join(stack.dir, ".state"))
        .map((path) => readFileSync(path, "utf8"))
        .join("\n");
      const serialized = String((await stack.resource("alice")).inputs?.["__provider"]);
      for (const text of [
        stateFiles,
        await stack.exportStateText(),
        serialized,
        result.stdout,
        result.stderr,
      ]) {
        expect(text).not.toContain(secretKey);
        expect(text).not.toContain(environmentSecret);
        expect(text).not.toContain("session-token-9d8c7b6a5f4e");
      }
      expect(stateFiles).toContain(faces["alice"]![0]);
      // The engine records the stack configuration as the dynamic provider's
      // inputs; a secret value is there only as ciphertext.
      const [defaultProvider] = await stack.resources("pulumi:providers:pulumi-nodejs");
      expect(defaultProvider?.inputs?.["aws:secretKey"]).toMatchObject({ ciphertext: expect.any(String) });
    } finally {
      await stack.dispose();
      await local.stop();
    }
  });
});
