import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateCollectionCommand,
  CreateUserCommand,
  DescribeCollectionCommand,
  ListFacesCommand,
  ListUsersCommand,
} from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { dynamicHost, hosts, type Host } from "../harness/hosts.js";
import { waitForProcessesToEnd } from "../harness/processes.js";
import { type LocalRekognition, startLocalRekognition, usersOf } from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService, recordedAssociations } from "../harness/truth.js";

const header = 'import * as rk from "pulumi-rekognition-faces";\n';

/**
 * A `pulumi up` killed after the service made a user or a collection but
 * before the state recorded it. What a user does next (cancel, refresh, up)
 * converges with no `adopt: true`, and the stack owns what it made.
 */
describe("Interrupted creates heal by themselves", () => {
  let local: LocalRekognition;

  beforeAll(async () => {
    local = await startLocalRekognition();
  });
  afterAll(async () => local?.stop());

  /** Runs `pulumi up` until `made()` says the service holds the thing, then kills it. */
  async function killOnceMade(stack: TestStack, made: () => Promise<boolean>): Promise<void> {
    const running = stack.startUp();
    const deadline = Date.now() + 60_000;
    while (!(await made())) {
      if (Date.now() > deadline) throw new Error("the create never reached the service");
      await sleep(50);
    }
    process.kill(-running.child.pid!, "SIGKILL");
    await running.done;
    expect(await waitForProcessesToEnd(stack.dir, 10_000)).toEqual([]);
    await local.emulator.control.setFaults({ rules: [] });
    expect((await stack.pulumi(["cancel", "--yes", "--non-interactive"])).code).toBe(0);
    expect((await stack.refresh()).ok).toBe(true);
  }

  it("a User whose create was killed after CreateUser ran", async () => {
    const collectionId = "interrupted-user";
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    const stack = await TestStack.create({
      name: "interrupted-user",
      program: `${header}new rk.User("kim", { collectionId: "${collectionId}", userId: "kim" });\n`,
      config: local.config,
      env: local.env,
    });
    const users = () => usersOf(local, collectionId);
    try {
      // Every answer is lost, and each attempt is slow, so the kill lands before a retry can finish.
      await local.emulator.control.setFaults({
        rules: [
          { operations: ["CreateUser"], kind: "latency", rate: 1, latencyMs: 3000 },
          { operations: ["CreateUser"], kind: "drop-after", rate: 1 },
        ],
      });
      await killOnceMade(stack, async () => (await users()).includes("kim"));
      expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:User")).toEqual([]);
      // The stack's identity, which the CreateUser token derives from, was recorded first.
      const identity = async () =>
        (await stack.resources("pulumi-nodejs:dynamic/rekognition:StackIdentity")).map(
          (r) => r.outputs?.["stackId"],
        );
      const [recorded] = await identity();
      expect(recorded).toMatch(/^[0-9a-f-]{36}$/);

      const healed = await stack.up();
      expect(healed.changes).toMatchObject({ create: 1 });
      expect(await identity()).toEqual([recorded]);
      expect((await stack.resource("kim")).outputs?.["origin"]).toBe("created");
      expect(await users()).toEqual(["kim"]);
      // The stack made it, so the stack deletes it.
      await stack.destroy();
      expect(await users()).toEqual([]);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
      await stack.dispose();
    }
  });

  it("a User this stack deleted is made again, not answered from the old record", async () => {
    const collectionId = "recreated-user";
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    const program = `${header}new rk.User("lea", { collectionId: "${collectionId}", userId: "lea" });\n`;
    const stack = await TestStack.on(local, "recreated-user", program);
    try {
      await stack.up();
      await stack.destroy();
      await stack.up();
      const users = await local.client.send(new ListUsersCommand({ CollectionId: collectionId }));
      expect(users.Users?.map((u) => u.UserId)).toEqual(["lea"]);
    } finally {
      await stack.dispose();
    }
  });

  it("a Collection whose create was killed after CreateCollection ran", async () => {
    const collectionId = "interrupted-collection";
    const stack = await TestStack.create({
      name: "interrupted-collection",
      program: `${header}new rk.Collection("staff", { collectionId: "${collectionId}" });\n`,
      config: local.config,
      env: local.env,
    });
    const exists = async (): Promise<boolean> => {
      try {
        await local.client.send(new DescribeCollectionCommand({ CollectionId: collectionId }));
        return true;
      } catch {
        return false;
      }
    };
    try {
      await local.emulator.control.setFaults({
        rules: [
          { operations: ["CreateCollection"], kind: "latency", rate: 1, latencyMs: 3000 },
          { operations: ["CreateCollection"], kind: "drop-after", rate: 1 },
        ],
      });
      await killOnceMade(stack, exists);
      const healed = await stack.up();
      expect(healed.changes).toMatchObject({ create: 1 });
      const recorded = (await stack.resource("staff")).outputs;
      expect(recorded?.["origin"]).toBe("created");
      // The stack's mark is not one of the declared tags.
      expect(recorded?.["tags"]).toEqual({});
      expect((await stack.preview()).changes).toEqual({ same: 3 });
      await stack.destroy();
      expect(await exists()).toBe(false);
    } finally {
      await local.emulator.control.setFaults({ rules: [] });
      await stack.dispose();
    }
  });

  it("takes over nothing it did not make: another stack's collection still needs adopt", async () => {
    const collectionId = "someone-elses";
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    const stack = await TestStack.create({
      name: "someone-elses",
      program: `${header}new rk.Collection("staff", { collectionId: "${collectionId}" });\n`,
      config: local.config,
      env: local.env,
    });
    try {
      const failed = await stack.up({ expectFailure: true });
      expect(failed.errors.join("\n")).toMatch(/collection 'someone-elses' already exists.*adopt: true/s);
    } finally {
      await stack.dispose();
    }
  });

  it("a FaceRoster whose users exist already (a lost state) recovers with adopt: true", async () => {
    const collectionId = "lost-roster";
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "pat" }));
    const program = (adopt: boolean): string =>
      `${header}new rk.FaceRoster("team", { collectionId: "${collectionId}", people: { pat: ["photos/pat-1.png"] }${adopt ? ", adopt: true" : ""} });\n`;
    const stack = await TestStack.on(local, "lost-roster", program(false));
    stack.writeFile("photos/pat-1.png", generatePortrait("pat", 1));
    try {
      const refused = await stack.up({ expectFailure: true });
      expect(refused.errors.join("\n")).toMatch(/user 'pat' already exists.*adopt: true/s);
      stack.writeProgram(program(true));
      await stack.up();
      const [user] = await stack.resources("pulumi-nodejs:dynamic/rekognition:User");
      expect(user?.outputs?.["origin"]).toBe("adopted");
      await expectStateMatchesService(stack, local);
      expect((await recordedAssociations(stack)).get("team-pat")?.faceIds).toHaveLength(1);
      // Adopted, so destroy keeps the user.
      await stack.destroy();
      const users = await local.client.send(new ListUsersCommand({ CollectionId: collectionId }));
      expect(users.Users?.map((u) => u.UserId)).toEqual(["pat"]);
    } finally {
      await stack.dispose();
    }
  });

  describe("an IndexedFace leaves no second face behind", () => {
    const collectionId = "left-behind";
    const program = (host: Host): string =>
      `import * as rk from "${host.module}";\n` +
      `new rk.IndexedFace("quinn-1", { collectionId: "${collectionId}", image: { path: "photos/quinn-1.png" }, externalImageId: "quinn" });\n`;
    const facesOfQuinn = async (): Promise<string[]> =>
      (
        (await local.client.send(new ListFacesCommand({ CollectionId: collectionId, MaxResults: 100 })))
          .Faces ?? []
      )
        .filter((f) => f.ExternalImageId === "quinn")
        .map((f) => f.FaceId!);

    beforeAll(async () => {
      await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    });

    /** Deploys the photo's stack through `run`; afterwards exactly one face is the photo's, the
     * recorded one, and destroy removes it. */
    async function leavesOneFace(
      name: string,
      run: (stack: TestStack) => Promise<void>,
      host: Host = dynamicHost,
    ): Promise<void> {
      const stack = await host.stack(local, name, program(host));
      stack.writeFile("photos/quinn-1.png", generatePortrait("quinn", 1));
      try {
        await run(stack);
        await local.emulator.control.setFaults({ rules: [] });
        expect(await facesOfQuinn()).toEqual([(await stack.resource("quinn-1")).id]);
        await stack.destroy();
        expect(await facesOfQuinn()).toEqual([]);
      } finally {
        await local.emulator.control.setFaults({ rules: [] });
        await stack.dispose();
      }
    }

    it("when the first IndexFaces ran but its answer was lost", async () => {
      await leavesOneFace("retried-index", async (stack) => {
        // Seeded so that the first IndexFaces runs and its answer is lost.
        await local.emulator.control.setFaults({
          rules: [{ operations: ["IndexFaces"], kind: "drop-after", rate: 0.5 }],
          seed: 9,
        });
        await local.emulator.control.resetCounters();
        await stack.up();
        // The lost answer's face is found and taken: IndexFaces is not sent again.
        expect((await local.emulator.control.counters()).byOperation["IndexFaces"]).toBe(1);
      });
    });

    for (const host of hosts) {
      it(`when the last IndexFaces ran but its answer was lost, under ${host.name}`, async () => {
        await leavesOneFace(
          `last-index-${host === dynamicHost ? "dynamic" : "plugin"}`,
          async (stack) => {
            // One attempt, no retry: its face is searched for and taken, and the run succeeds.
            await stack.setConfig({ [host.setting("maxRetries")]: "0" });
            await local.emulator.control.setFaults({
              rules: [{ operations: ["IndexFaces"], kind: "drop-after", rate: 1 }],
            });
            await local.emulator.control.resetCounters();
            await stack.up();
            expect((await local.emulator.control.counters()).byOperation["IndexFaces"]).toBe(1);
          },
          host,
        );
      });
    }

    it("when the run was killed after IndexFaces ran", async () => {
      await leavesOneFace("killed-index", async (stack) => {
        // The answer is lost, and the search for what it left is slow: the kill lands first.
        await local.emulator.control.setFaults({
          rules: [
            { operations: ["IndexFaces"], kind: "drop-after", rate: 1 },
            { operations: ["SearchFacesByImage"], kind: "latency", rate: 1, latencyMs: 3000 },
          ],
        });
        await killOnceMade(stack, async () => (await facesOfQuinn()).length > 0);
        await local.emulator.control.resetCounters();
        await stack.up();
        // The next run takes the face the killed one left instead of indexing the photo again.
        expect((await local.emulator.control.counters()).byOperation["IndexFaces"] ?? 0).toBe(0);
      });
    });
  });
});
