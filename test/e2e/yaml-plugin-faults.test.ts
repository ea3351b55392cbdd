// What the provider plugin promises beside the dynamic provider, in YAML
// stacks: bad input fails at preview with the field and no stack trace,
// secrets stay sealed in state, and a killed `pulumi up` or plugin heals.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginYamlProject } from "../harness/programs.js";
import { processesIn, waitForProcessesToEnd } from "../harness/processes.js";
import {
  callsSince,
  facesOfUser,
  noAmbientAws,
  seedRoster,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService } from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const userType = "rekognition-faces:index:User";
const associationType = "rekognition-faces:index:UserFaceAssociation";

function userProject(name: string, collectionId: string, userId: string): string {
  return pluginYamlProject(name, { kim: { type: userType, properties: { collectionId, userId } } });
}

/** The plugin processes the engine started for a stack. */
function pluginsOf(stack: TestStack): number[] {
  return processesIn(stack.dir).filter((pid) =>
    readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("provider/plugin/main.js"),
  );
}

describe("the provider plugin's guarantees, in YAML stacks", () => {
  let local: LocalRekognition;

  beforeAll(async () => {
    ensureYamlHost();
    local = await startLocalRekognition();
  });
  afterAll(async () => local?.stop());

  it("fails bad input at preview, naming the field, with no stack trace and nothing deployed lost", async () => {
    const collectionId = "plugin-check";
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    const stack = await TestStack.create({
      name: "plugin-check",
      yaml: userProject("plugin-check", collectionId, "kim"),
      config: local.pluginConfig,
      env: local.env,
    });
    try {
      await stack.up();
      const before = await stack.resource("kim");
      stack.writeYaml(userProject("plugin-check", collectionId, "kim and pat"));
      const preview = await stack.preview({ expectFailure: true });
      const message = preview.errors.join("\n");
      expect(message).toContain("userId");
      expect(message).toContain("kim and pat");
      expect(message).not.toMatch(/\n\s+at \S+ \(/);
      expect(await usersOf(local, collectionId)).toEqual(["kim"]);
      expect((await stack.resource("kim")).outputs).toEqual(before.outputs);
    } finally {
      await stack.dispose();
    }
  });

  it("fails a photo's nested field at preview on the resource, naming the field, never as a value {<nil>}", async () => {
    const stack = await TestStack.create({
      name: "plugin-nested-check",
      yaml: pluginYamlProject("plugin-nested-check", {
        face: {
          type: "rekognition-faces:index:IndexedFace",
          properties: { collectionId: "any", image: { path: "photos/nobody.png" } },
        },
      }),
      config: local.pluginConfig,
      env: local.env,
    });
    try {
      const preview = await stack.preview({ expectFailure: true });
      const shown = `${preview.stdout}\n${preview.stderr}`;
      expect(shown).toContain("image.path 'photos/nobody.png': there is no file at");
      expect(shown).not.toContain("<nil>");
    } finally {
      await stack.dispose();
    }
  });

  it("fails a call to an endpoint where nothing answers, naming it and rekognition-local", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.close();
    const stack = await TestStack.create({
      name: "plugin-unreachable",
      yaml: pluginYamlProject("plugin-unreachable", {
        staff: { type: "rekognition-faces:index:Collection", properties: { collectionId: "any" } },
      }),
      config: {
        "rekognition-faces:region": "us-east-1",
        "rekognition-faces:endpoints[0].rekognition": endpoint,
        "rekognition-faces:maxRetries": "0",
      },
      env: local.env,
    });
    try {
      const up = await stack.up({ expectFailure: true });
      expect(up.errors.join("\n")).toContain(
        `nothing answers at ${endpoint}, the stack's Rekognition endpoint (its endpoints configuration, or AWS_ENDPOINT_URL_REKOGNITION): ` +
          "start rekognition-local there, or correct the endpoint",
      );
      expect(await stack.resources("rekognition-faces:index:Collection")).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  it("fails a stack with no region naming the plugin's own region key", async () => {
    const stack = await TestStack.create({
      name: "plugin-no-region",
      yaml: pluginYamlProject("plugin-no-region", {
        staff: { type: "rekognition-faces:index:Collection", properties: { collectionId: "any" } },
      }),
      config: { "rekognition-faces:endpoints[0].rekognition": local.emulator.endpoint },
      env: { ...local.env, ...noAmbientAws },
    });
    try {
      const up = await stack.up({ expectFailure: true });
      expect(up.errors.join("\n")).toContain(
        "Region is missing: set the stack's region (pulumi config set rekognition-faces:region us-east-1), or AWS_REGION",
      );
      expect(await stack.resources("rekognition-faces:index:Collection")).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  it("fails a setting the plugin does not know at preview, naming it and the keys it takes", async () => {
    const stack = await TestStack.create({
      name: "plugin-bad-config",
      yaml: userProject("plugin-bad-config", "any", "kim"),
      config: { ...local.pluginConfig, "rekognition-faces:regoin": "us-east-1" },
      env: local.env,
    });
    try {
      await callsSince(local);
      const preview = await stack.preview({ expectFailure: true });
      const message = preview.errors.join("\n");
      expect(message).toContain(
        "rekognition-faces:regoin is not a setting of this provider: did you mean rekognition-faces:region? (use one of region,",
      );
      expect(message).not.toMatch(/\n\s+at \S+ \(/);
      expect(await callsSince(local)).toEqual({});
    } finally {
      await stack.dispose();
    }
  });

  it("keeps credentials and secret face IDs sealed in the state", async () => {
    const collectionId = "plugin-secrets";
    const faces = (await seedRoster(local, collectionId, ["lee"], 2))["lee"]!;
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...env } = local.env;
    const credentials = local.emulator.credentials;
    const stack = await TestStack.create({
      name: "plugin-secrets",
      yaml: pluginYamlProject("plugin-secrets", {
        lee: {
          type: associationType,
          properties: { collectionId, userId: "lee", faceIds: { "fn::secret": faces } },
        },
        hidden: {
          type: "rekognition-faces:index:User",
          properties: { collectionId, userId: { "fn::secret": "hidden-kept-secret" } },
        },
      }),
      config: { ...local.pluginConfig, "rekognition-faces:accessKey": credentials.accessKeyId },
      secretConfig: { "rekognition-faces:secretKey": credentials.secretAccessKey },
      env,
    });
    try {
      await stack.up();
      expect(await facesOfUser(local, collectionId, "lee")).toEqual([...faces].sort());
      const state = await stack.exportStateText();
      expect(state).not.toContain(credentials.secretAccessKey);
      for (const face of faces) expect(state).not.toContain(face);
      const recorded = (await stack.resource("lee")).outputs!;
      expect(recorded["faceIds"]).toMatchObject({ "4dabf18193072939515e22adb298388d": expect.any(String) });
      // A secret user ID is in no ID either: the User's is its digest.
      expect(await usersOf(local, collectionId)).toContain("hidden-kept-secret");
      expect(state).not.toContain("hidden-kept-secret");
      expect((await stack.resource("hidden")).id).toMatch(/^plugin-secrets\/sha256-[0-9a-f]{16}$/);
    } finally {
      await stack.dispose();
    }
  });

  it("heals a `pulumi up` killed after CreateUser ran: the stack owns the user it made", async () => {
    const collectionId = "plugin-killed-up";
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    const stack = await TestStack.create({
      name: "plugin-killed-up",
      yaml: userProject("plugin-killed-up", collectionId, "kim"),
      config: local.pluginConfig,
      env: local.env,
    });
    try {
      await local.emulator.control.setFaults({
        rules: [
          { operations: ["CreateUser"], kind: "latency", rate: 1, latencyMs: 3000 },
          { operations: ["CreateUser"], kind: "drop-after", rate: 1 },
        ],
      });
      const running = stack.startUp();
      await until(async () => (await usersOf(local, collectionId)).includes("kim"));
      process.kill(-running.child.pid!, "SIGKILL");
      await running.done;
      await expectPluginsEnded(stack);
      await local.emulator.control.setFaults({ rules: [] });
      expect(await stack.resources(userType)).toEqual([]);
      // The identity the CreateUser token derives from was recorded with the provider first.
      const [provider] = await stack.resources("pulumi:providers:rekognition-faces");
      expect(provider?.inputs?.["stackIdentity"]).toMatch(/^[0-9a-f-]{36}$/);

      expect((await stack.pulumi(["cancel", "--yes", "--non-interactive"])).code).toBe(0);
      await stack.refresh();
      const healed = await stack.up();
      expect(healed.changes).toMatchObject({ create: 1 });
      expect((await stack.resource("kim")).outputs?.["origin"]).toBe("created");
      expect(await usersOf(local, collectionId)).toEqual(["kim"]);
      await stack.destroy();
      expect(await usersOf(local, collectionId)).toEqual([]);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
      await stack.dispose();
    }
  });

  it("heals a plugin killed while it waits for its users to become ACTIVE: the next up finishes, and state matches the service", async () => {
    // Users stay UPDATING for a while after their faces change, as on AWS.
    const slow = await startLocalRekognition({ updatingWindowMs: 8000 });
    const collectionId = "plugin-killed";
    const faces = await seedRoster(slow, collectionId, ["ana", "ben", "cy"], 2);
    const resources: Parameters<typeof pluginYamlProject>[1] = {};
    for (const [person, ids] of Object.entries(faces))
      resources[person] = {
        type: associationType,
        properties: { collectionId, userId: person, faceIds: ids },
      };
    const stack = await TestStack.create({
      name: "plugin-killed",
      yaml: pluginYamlProject("plugin-killed", resources),
      config: slow.pluginConfig,
      env: slow.env,
    });
    try {
      const running = stack.startUp();
      // Killed once the service holds the faces, before the plugin saw them ACTIVE.
      await until(async () => (await facesOfUser(slow, collectionId, "ana")).length > 0);
      expect(pluginsOf(stack)).not.toEqual([]);
      for (const pid of pluginsOf(stack)) process.kill(pid, "SIGKILL");
      const failed = await running.done;
      expect(failed.code, failed.stdout).not.toBe(0);
      expect(failed.stdout).toContain("exited prematurely");
      await expectPluginsEnded(stack);

      await stack.pulumi(["cancel", "--yes", "--non-interactive"]);
      await stack.up({ refresh: true });
      await expectStateMatchesService(stack, slow, { type: associationType });
      for (const [person, ids] of Object.entries(faces))
        expect(await facesOfUser(slow, collectionId, person)).toEqual([...ids].sort());
      expect((await stack.up()).changes).toEqual({ same: 4 });
    } finally {
      await stack.dispose();
      await slow.stop();
    }
  });
});

/**
 * The plugin ends with its engine. The YAML language host (pulumi-yaml
 * v1.25.0) outlives an engine killed with SIGKILL, as it does without this
 * package: it is stopped here so that the next command starts clean.
 */
async function expectPluginsEnded(stack: TestStack): Promise<void> {
  await waitForProcessesToEnd(stack.dir, 10_000);
  expect(pluginsOf(stack).map(commandOf)).toEqual([]);
  for (const pid of processesIn(stack.dir)) {
    expect(commandOf(pid)).toContain("pulumi-language-yaml");
    process.kill(pid, "SIGKILL");
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return `${pid} (ended)`;
  }
}

async function until(done: () => Promise<boolean>, intervalMs = 50, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await sleep(intervalMs);
  }
}
