// A roster declared `deletedWith` the Collection that holds it: destroying
// the stack deletes the collection alone (one DeleteCollection takes every
// user and face in it), and the engine skips the roster's own deletions.
import { ListCollectionsCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { callsSince, startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { pluginYamlProject } from "../harness/programs.js";
import { TestStack } from "../harness/stack.js";
import { expectRosterMatchesService, expectStateMatchesService } from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const collectionId = "staff";

function teardownProgram(mode: "bulk" | "per-resource"): string {
  return [
    'import { Collection, FaceRoster } from "pulumi-rekognition-faces";',
    `const collection = new Collection("staff", { collectionId: "${collectionId}", deleteOnDestroy: true });`,
    `new FaceRoster("org", { collectionId: collection.collectionId, manifest: "people.csv", mode: "${mode}"${
      mode === "bulk" ? ", shards: 4" : ""
    } }, { deletedWith: collection });`,
    "",
  ].join("\n");
}

const userIds = (count: number): string[] =>
  Array.from({ length: count }, (_, n) => `p${String(n).padStart(2, "0")}`);

/** A manifest of `count` people, two photos each. */
function writeRoster(stack: TestStack, count: number): void {
  const rows = ["userId,photo"];
  for (const userId of userIds(count))
    for (const n of [1, 2]) {
      stack.writeFile(`photos/${userId}-${n}.png`, generatePortrait(userId, n));
      rows.push(`${userId},photos/${userId}-${n}.png`);
    }
  stack.writeFile("people.csv", rows.join("\n") + "\n");
}

/** The same roster under the dynamic provider host (TypeScript) and the provider plugin (YAML). */
interface Host {
  readonly name: string;
  readonly mode: "bulk" | "per-resource";
  readonly people: number;
  readonly typePrefix: string;
  start(local: LocalRekognition): Promise<TestStack>;
}

const dynamicHost = (mode: Host["mode"], people: number): Host => ({
  name: `${mode}, under the dynamic provider host`,
  mode,
  people,
  typePrefix: "pulumi-nodejs:dynamic/rekognition:",
  start: (local) => TestStack.on(local, `teardown-${mode}`, teardownProgram(mode)),
});

const pluginHost: Host = {
  name: "bulk, under the provider plugin in YAML",
  mode: "bulk",
  people: 40,
  typePrefix: "rekognition-faces:index:",
  start: (local) => {
    ensureYamlHost();
    return TestStack.create({
      name: "yaml-teardown",
      yaml: pluginYamlProject("yaml-teardown", {
        staff: {
          type: "rekognition-faces:index:Collection",
          properties: { collectionId, deleteOnDestroy: true },
        },
        org: {
          type: "rekognition-faces:index:FaceRoster",
          properties: {
            collectionId: "${staff.collectionId}",
            manifest: "people.csv",
            mode: "bulk",
            shards: 4,
          },
          options: { deletedWith: "${staff}" },
        },
      }),
      config: local.pluginConfig,
      env: local.env,
    });
  },
};

describe.each([dynamicHost("bulk", 40), dynamicHost("per-resource", 6), pluginHost])(
  "FaceRoster deleted with its collection ($name)",
  (host) => {
    const { mode, people } = host;
    const collectionType = `${host.typePrefix}Collection`;
    /** The state against the service, person by person. */
    const matchesService = async (): Promise<void> => {
      if (mode === "bulk") {
        const type = `${host.typePrefix}FaceRosterShard`;
        const recorded = await expectRosterMatchesService(stack, local, collectionId, { type });
        expect([...recorded.keys()].sort()).toEqual(userIds(people));
      } else {
        const type = `${host.typePrefix}UserFaceAssociation`;
        await expectStateMatchesService(stack, local, { type });
        expect(await stack.resources(type)).toHaveLength(people);
      }
    };
    let local: LocalRekognition;
    let stack: TestStack;

    const collections = async (): Promise<string[]> =>
      (await local.client.send(new ListCollectionsCommand({}))).CollectionIds ?? [];
    /** The stack's resources, by type, beyond the stack itself, its providers and its identity. */
    const managed = async (): Promise<string[]> =>
      (await stack.resources())
        .map((r) => r.type)
        .filter(
          (type) =>
            type !== "pulumi:pulumi:Stack" &&
            !type.startsWith("pulumi:providers:") &&
            !type.endsWith("StackIdentity"),
        )
        .sort();

    beforeAll(async () => {
      local = await startLocalRekognition();
      stack = await host.start(local);
      writeRoster(stack, people);
    });
    afterAll(async () => {
      await stack?.dispose();
      await local?.stop();
    });

    /** A destroy that is one DeleteCollection, leaving nothing in the service or the state. */
    async function expectDestroyedInOneCall(): Promise<void> {
      await callsSince(local);
      await stack.destroy();
      expect(await callsSince(local)).toEqual({ DeleteCollection: 1 });
      expect(await collections()).not.toContain(collectionId);
      expect(await managed()).toEqual([]);
    }

    it("a destroy is one DeleteCollection: no user or face is deleted one by one", async () => {
      await stack.up();
      expect(await usersOf(local, collectionId)).toEqual(userIds(people));
      await matchesService();
      await expectDestroyedInOneCall();
    });

    /** A destroy whose DeleteCollection is refused: it fails, and the collection stays in the state with its people. */
    async function refusedDestroy(): Promise<void> {
      await stack.up();
      await matchesService();
      await local.emulator.control.setFaults({
        rules: [{ operations: ["DeleteCollection"], kind: "access-denied", rate: 1 }],
      });
      try {
        const refused = await stack.destroy({ expectFailure: true });
        expect(refused.errors.join("\n")).toMatch(/AccessDenied|not authorized/);
      } finally {
        await local.emulator.control.setFaults({ rules: [] });
      }
      // The engine skipped the roster's deletions for the collection's: its
      // people are still in the collection the state keeps.
      expect(await managed()).toEqual([collectionType]);
      expect(await usersOf(local, collectionId)).toEqual(userIds(people));
    }

    it("a DeleteCollection refused keeps the collection with its people; the next destroy deletes it", async () => {
      await refusedDestroy();
      await expectDestroyedInOneCall();
    });

    // Bulk mode only: a per-resource roster's IndexedFace indexes its photo again
    // (README, "Destroying a roster with its collection").
    if (mode === "bulk")
      it("after a DeleteCollection refused, the next up takes each person back without indexing a photo", async () => {
        await refusedDestroy();
        await callsSince(local);
        await stack.up();
        const calls = await callsSince(local);
        // CreateUser, with this stack's token, answers for each user that exists; a search finds each photo's face.
        expect(calls).toMatchObject({ CreateUser: people, SearchFacesByImage: 2 * people });
        expect(calls["IndexFaces"] ?? 0).toBe(0);
        expect(calls["AssociateFaces"] ?? 0).toBe(0);
        const shardType = `${host.typePrefix}FaceRosterShard`;
        const state = await expectRosterMatchesService(stack, local, collectionId, { type: shardType });
        expect([...state.keys()].sort()).toEqual(userIds(people));
        expect(await stack.resources(shardType)).toHaveLength(4);
        await stack.destroy();
        expect(await collections()).not.toContain(collectionId);
      });
  },
);

describe("FaceRoster deleted with a collection a destroy keeps", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  const declaring = (collectionArgs: string, collectionOpts = ""): string =>
    teardownProgram("bulk").replace(
      `new Collection("staff", { collectionId: "${collectionId}", deleteOnDestroy: true });`,
      `new Collection("staff", { collectionId: "${collectionId}", ${collectionArgs} }${collectionOpts});`,
    );

  beforeAll(async () => {
    local = await startLocalRekognition();
    stack = await TestStack.on(local, "teardown-kept", declaring("adopt: true"));
    writeRoster(stack, 2);
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  const adopted =
    "it does not say deleteOnDestroy: true, so a destroy keeps it if the stack adopted it (or took it over holding people)";
  it.each([
    { label: "adopt: true", args: "adopt: true", opts: "", reason: adopted },
    {
      label: "deleteOnDestroy: false",
      args: "deleteOnDestroy: false",
      opts: "",
      reason: "it says deleteOnDestroy: false, so a destroy keeps it",
    },
    // A collection this stack creates is deleted by default; only the declaration can promise it stays so.
    { label: "no deleteOnDestroy", args: "tags: {}", opts: "", reason: adopted },
    {
      label: "retainOnDelete",
      args: "deleteOnDestroy: true",
      opts: ", { retainOnDelete: true }",
      reason: "it has retainOnDelete, so a destroy keeps it",
    },
  ])("is refused at preview ($label), naming the collection and the fix, before any call", async (kept) => {
    stack.writeProgram(declaring(kept.args, kept.opts));
    const preview = await stack.preview({ expectFailure: true });
    expect(preview.stdout + preview.stderr).toContain(
      `FaceRoster 'org': deletedWith names Collection 'staff', but ${kept.reason}, and with it every user and ` +
        "face of the roster: give the collection deleteOnDestroy: true (and no retainOnDelete), or remove " +
        "deletedWith",
    );
    expect(await callsSince(local)).toEqual({});
  });

  it("is accepted once the collection is one a destroy deletes", async () => {
    stack.writeProgram(declaring("adopt: true, deleteOnDestroy: true"));
    await stack.preview();
  });
});

describe("FaceRoster deleted with a protected collection", () => {
  const people = 6;
  const program = (protect: boolean): string =>
    teardownProgram("bulk").replace(
      "deleteOnDestroy: true });",
      `deleteOnDestroy: true }${protect ? ", { protect: true }" : ""});`,
    );
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition();
    stack = await TestStack.on(local, "teardown-protected", program(true));
    writeRoster(stack, people);
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  const protectedError = /Collection::staff" cannot be deleted\s+because it is protected/;
  const rosterUserIds = userIds(people);

  it("with its preview, a destroy is refused before any change", async () => {
    await stack.up();
    const before = (await stack.resources()).map((r) => r.urn);
    await callsSince(local);
    const refused = await stack.destroy({ withPreview: true, expectFailure: true });
    expect(refused.errors.join("\n")).toMatch(protectedError);
    expect(await callsSince(local)).toEqual({});
    expect((await stack.resources()).map((r) => r.urn)).toEqual(before);
    const recorded = await expectRosterMatchesService(stack, local, collectionId, {
      type: "pulumi-nodejs:dynamic/rekognition:FaceRosterShard",
    });
    expect([...recorded.keys()].sort()).toEqual(rosterUserIds);
  });

  it("without one, the roster leaves the state, the collection stays with its people, and unprotected it goes in one call", async () => {
    await callsSince(local);
    const refused = await stack.destroy({ expectFailure: true });
    expect(refused.errors.join("\n")).toMatch(protectedError);
    expect(await callsSince(local)).toEqual({});
    expect(
      (await stack.resources())
        .map((r) => r.type)
        .filter((type) => type.startsWith("pulumi-nodejs:dynamic/")),
    ).toEqual([
      "pulumi-nodejs:dynamic/rekognition:StackIdentity",
      "pulumi-nodejs:dynamic/rekognition:Collection",
    ]);
    expect(await usersOf(local, collectionId)).toEqual(rosterUserIds);
    const [collection] = await stack.resources("pulumi-nodejs:dynamic/rekognition:Collection");
    expect((await stack.pulumi(["state", "unprotect", collection!.urn, "--yes"])).code).toBe(0);
    await callsSince(local);
    await stack.destroy();
    expect(await callsSince(local)).toEqual({ DeleteCollection: 1 });
    expect(await stack.resources("pulumi-nodejs:dynamic/rekognition:Collection")).toEqual([]);
  });
});
