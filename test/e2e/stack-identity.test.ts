import { DescribeCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { stackIdentityName } from "../../provider/resources/stack-identity.js";
import {
  callsSince,
  facesOfUser,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { buildRelease, useRelease } from "../harness/release.js";
import { TestStack } from "../harness/stack.js";

const header = 'import * as rk from "pulumi-rekognition-faces";\n';
const identityType = "pulumi-nodejs:dynamic/rekognition:StackIdentity";

/** The stack's identity as its state records it. */
async function recordedIdentity(stack: TestStack): Promise<string | undefined> {
  const found = await stack.resources(identityType);
  expect(found.map((r) => r.urn.split("::").pop())).toEqual(found.length ? [stackIdentityName] : []);
  return found[0]?.outputs?.["stackId"] as string | undefined;
}

describe("A stack's identity is its own", () => {
  let local: LocalRekognition;

  beforeAll(async () => {
    local = await startLocalRekognition();
  });
  afterAll(async () => local?.stop());

  it("two stacks with the same names on separate backends never take each other's users", async () => {
    const collectionId = "shared";
    const program = (adopt: boolean): string =>
      header +
      `const c = new rk.Collection("faces", { collectionId: "${collectionId}"${adopt ? ", adopt: true" : ""} });\n` +
      ["ana", "ben"]
        .map(
          (userId) =>
            `new rk.User("${userId}", { collectionId: c.collectionId, userId: "${userId}"${adopt ? ", adopt: true" : ""} });\n`,
        )
        .join("");
    // The same project and stack names, each on its own file backend: the
    // organization is `organization` on both.
    const first = await TestStack.on(local, "same-names", program(false));
    const second = await TestStack.on(local, "same-names", program(false));
    const users = () => usersOf(local, collectionId);
    try {
      expect((await first.up()).ok).toBe(true);
      expect(await users()).toEqual(["ana", "ben"]);

      // Without adopt the second stack is refused: the users are not its own.
      const refused = await second.up({ expectFailure: true });
      const errors = refused.errors.join("\n");
      expect(errors).toMatch(/collection 'shared' already exists.*adopt: true/s);
      await callsSince(local);
      second.writeProgram(
        header +
          ["ana", "ben"]
            .map(
              (userId) =>
                `new rk.User("${userId}", { collectionId: "${collectionId}", userId: "${userId}" });\n`,
            )
            .join(""),
      );
      const usersRefused = (await second.up({ expectFailure: true })).errors.join("\n");
      expect(usersRefused).toMatch(/user 'ana' already exists in collection 'shared'.*adopt: true/s);
      expect(usersRefused).toMatch(/user 'ben' already exists in collection 'shared'.*adopt: true/s);
      expect(await second.resources("pulumi-nodejs:dynamic/rekognition:User")).toEqual([]);
      expect(await users()).toEqual(["ana", "ben"]);
      // Each stack minted its own identity.
      const [a, b] = [await recordedIdentity(first), await recordedIdentity(second)];
      expect(a).toMatch(/^[0-9a-f-]{36}$/);
      expect(b).toMatch(/^[0-9a-f-]{36}$/);
      expect(a).not.toBe(b);

      // With adopt it manages them, and its destroy leaves them to the first stack.
      second.writeProgram(program(true));
      expect((await second.up()).ok).toBe(true);
      for (const name of ["faces", "ana", "ben"])
        expect((await second.resource(name)).outputs?.["origin"]).toBe("adopted");
      expect((await second.destroy()).ok).toBe(true);
      expect(await users()).toEqual(["ana", "ben"]);
      await local.client.send(new DescribeCollectionCommand({ CollectionId: collectionId }));

      // The first stack still owns what it made: nothing to do, then its destroy deletes it.
      await callsSince(local);
      expect(Object.keys((await first.up({ withPreview: true })).changes)).toEqual(["same"]);
      expect(await callsSince(local)).toEqual({});
      for (const name of ["faces", "ana", "ben"])
        expect((await first.resource(name)).outputs?.["origin"]).toBe("created");
      expect((await first.destroy()).ok).toBe(true);
      await expect(
        local.client.send(new DescribeCollectionCommand({ CollectionId: collectionId })),
      ).rejects.toThrow(/not found|does not exist/i);
      expect(await first.resources()).toEqual([]);
    } finally {
      await second.dispose();
      await first.dispose();
    }
  });

  describe("a stack deployed with the release before the identity", () => {
    // The last commit whose stacks derived tokens and marks from their names.
    const release = "61902d22d744068e312ada66ff7950b1fe3a8ff9";
    let releaseDir: string;

    beforeAll(() => {
      releaseDir = buildRelease(release);
    }, 300_000);

    it("upgrades with no Rekognition call: only the identity and the roster's RetiredFaces are created and bulk shards re-encoded, then nothing changes", async () => {
      const collectionId = "upgraded";
      const program =
        header +
        `const c = new rk.Collection("staff", { collectionId: "${collectionId}" });\n` +
        `const cy = new rk.User("cy", { collectionId: c.collectionId, userId: "cy" });\n` +
        `const face = new rk.IndexedFace("cy-1", { collectionId: c.collectionId, image: { path: "photos/cy-1.png" } });\n` +
        `new rk.UserFaceAssociation("cy", { collectionId: c.collectionId, userId: cy.userId, faceIds: [face.faceId] });\n` +
        `new rk.FaceRoster("team", { collectionId: c.collectionId, mode: "bulk", shards: 2, ` +
        `people: { dee: ["photos/dee-1.png"], eli: ["photos/eli-1.png"] } });\n`;
      const stack = await TestStack.on(local, "upgraded", program);
      for (const person of ["cy", "dee", "eli"])
        stack.writeFile(`photos/${person}-1.png`, generatePortrait(person, 1));
      const upgrade = useRelease(stack, releaseDir);
      try {
        expect((await stack.up()).ok).toBe(true);
        // The release's state: the names as the scope, no identity.
        expect((await stack.resources("pulumi-nodejs:dynamic/rekognition:User"))[0]?.outputs?.["scope"]).toBe(
          "organization/upgraded/test",
        );
        expect(await stack.resources(identityType)).toEqual([]);
        expect(await usersOf(local, collectionId)).toEqual(["cy", "dee", "eli"]);
        const faces = await facesOfUser(local, collectionId, "cy");
        expect(faces).toHaveLength(1);
        // Every resource but the provider (the engine's summary does not count providers).
        const before = (await stack.resources()).filter(
          (r) => !r.type.startsWith("pulumi:providers:"),
        ).length;

        // Every bulk shard is rewritten once (no call): as text, and with the faces it handed over (none).
        const rewritten = (await stack.resources("pulumi-nodejs:dynamic/rekognition:FaceRosterShard")).length;
        expect(rewritten).toBe(2);

        upgrade();
        await callsSince(local);
        const upgraded = await stack.up({ withPreview: true });
        expect(upgraded.changes).toEqual({ create: 2, update: rewritten, same: before - rewritten });
        expect(await callsSince(local)).toEqual({});
        expect(await recordedIdentity(stack)).toMatch(/^[0-9a-f-]{36}$/);
        // What was recorded stays recorded.
        expect((await stack.resources("pulumi-nodejs:dynamic/rekognition:User"))[0]?.outputs?.["scope"]).toBe(
          "organization/upgraded/test",
        );

        const noChanges = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
        expect(noChanges.code, noChanges.stdout).toBe(0);
        expect(await callsSince(local)).toEqual({});

        // The stack still owns what the release made: destroy deletes it, the identity last.
        expect((await stack.destroy()).ok).toBe(true);
        await expect(
          local.client.send(new DescribeCollectionCommand({ CollectionId: collectionId })),
        ).rejects.toThrow(/not found|does not exist/i);
        expect(await stack.resources()).toEqual([]);
      } finally {
        await stack.dispose();
      }
    });
  });
});
