import { CreateUserCommand, ListUsersCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import {
  associateOutOfBand,
  callsSince,
  facesOfUser,
  type LocalRekognition,
  seedRoster,
  startLocalRekognition,
  usersOf,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService, recordedAssociations } from "../harness/truth.js";

const sorted = (ids: readonly string[]): string[] => [...ids].sort();
const header = 'import * as pulumi from "@pulumi/pulumi";\nimport * as rk from "pulumi-rekognition-faces";\n';

/** A component of the user's own, to move resources into. */
const teamComponent = `
class Team extends pulumi.ComponentResource {
  constructor(name: string, build: (parent: pulumi.Resource) => void, opts?: pulumi.ComponentResourceOptions) {
    super("acme:index:Team", name, {}, opts);
    build(this);
  }
}
`;

describe("Renames and refactors never lose a face, a user or a collection", () => {
  let local: LocalRekognition;

  beforeAll(async () => {
    local = await startLocalRekognition();
  });
  afterAll(async () => local?.stop());

  it("an association renamed, then moved into a component, without aliases: every face stays", async () => {
    const collectionId = "renamed";
    const faces = await seedRoster(local, collectionId, ["alice"], 2);
    const declare = (name: string, inComponent = false): string => {
      const args = JSON.stringify({ collectionId, userId: "alice", faceIds: faces["alice"] });
      return inComponent
        ? `${header}${teamComponent}new Team("team", (parent) => { new rk.UserFaceAssociation(${JSON.stringify(name)}, ${args}, { parent }); });\n`
        : `${header}new rk.UserFaceAssociation(${JSON.stringify(name)}, ${args});\n`;
    };
    const stack = await TestStack.on(local, "renamed", declare("alice"));
    try {
      await stack.up();
      for (const program of [declare("alice-renamed"), declare("alice-renamed", true)]) {
        stack.writeProgram(program);
        await local.emulator.control.resetCounters();
        const result = await stack.up();
        // (Moving into the component creates the component too.)
        expect(result.changes).toMatchObject({ create: program.includes("Team") ? 2 : 1, delete: 1 });
        // The new declaration adopts the faces; the old one, deleted, releases none of them.
        expect(await callsSince(local)).toEqual({ AssociateFaces: 1 });
        expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted(faces["alice"]!));
        expect([...(await recordedAssociations(stack)).values()].map((a) => a.faceIds)).toEqual([
          sorted(faces["alice"]!),
        ]);
        await expectStateMatchesService(stack, local);
        expect((await stack.up()).changes).toEqual({ same: program.includes("Team") ? 3 : 2 });
      }
    } finally {
      await stack.dispose();
    }
  });

  it("a User renamed without aliases is taken over: the user stays, and the stack still owns it", async () => {
    const collectionId = "renamed-user";
    await seedRoster(local, collectionId, [], 0);
    const program = (name: string): string =>
      `${header}new rk.User(${JSON.stringify(name)}, { collectionId: ${JSON.stringify(collectionId)}, userId: "bob" });\n`;
    const stack = await TestStack.on(local, "renamed-user", program("bob"));
    const users = () => usersOf(local, collectionId);
    try {
      await stack.up();
      stack.writeProgram(program("bob-renamed"));
      const renamed = await stack.up();
      expect(renamed.changes).toMatchObject({ create: 1, delete: 1 });
      expect(await users()).toEqual(["bob"]);
      expect((await stack.resource("bob-renamed")).outputs?.["origin"]).toBe("created");
      await stack.destroy();
      expect(await users()).toEqual([]);
    } finally {
      await stack.dispose();
    }
  });

  it("a user made outside the stack is refused naming aliases first, then adopt", async () => {
    const collectionId = "outside-user";
    await seedRoster(local, collectionId, [], 0);
    await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "otto" }));
    const stack = await TestStack.create({
      name: "outside-user",
      program: `${header}new rk.User("otto", { collectionId: "${collectionId}", userId: "otto" });\n`,
      config: local.config,
      env: local.env,
    });
    try {
      const failed = await stack.up({ expectFailure: true });
      const text = failed.errors.join("\n");
      expect(text).toMatch(/user 'otto' already exists in collection 'outside-user'/);
      expect(text).toMatch(/aliases: \[\{ name: "<old name>" \}\]/);
      expect(text.indexOf("aliases")).toBeLessThan(text.indexOf("adopt"));
    } finally {
      await stack.dispose();
    }
  });

  it("a User renamed with adopt: true keeps the user: the old resource's delete releases nothing declared", async () => {
    const collectionId = "adopt-rename";
    await seedRoster(local, collectionId, [], 0);
    const program = (name: string, adopt: boolean): string =>
      `${header}new rk.User(${JSON.stringify(name)}, { collectionId: ${JSON.stringify(collectionId)}, userId: "carol"${adopt ? ", adopt: true" : ""} });\n`;
    const stack = await TestStack.create({
      name: "adopt-rename",
      program: program("carol", false),
      config: local.config,
      env: local.env,
    });
    try {
      await stack.up();
      stack.writeProgram(program("carol-renamed", true));
      const result = await stack.up();
      expect(result.changes).toMatchObject({ create: 1, delete: 1 });
      const users = await local.client.send(new ListUsersCommand({ CollectionId: collectionId }));
      expect(users.Users?.map((u) => u.UserId)).toEqual(["carol"]);
    } finally {
      await stack.dispose();
    }
  });

  it("a Collection moved into a component, without aliases and then with them: nothing is deleted", async () => {
    const collectionId = "moved-collection";
    const program = (inComponent: boolean, aliases: boolean): string =>
      inComponent
        ? `${header}${teamComponent}new Team("team", (parent) => { new rk.Collection("staff", { collectionId: ${JSON.stringify(collectionId)} }, { parent${aliases ? ", aliases: [{ parent: pulumi.rootStackResource }]" : ""} }); });\n`
        : `${header}new rk.Collection("staff", { collectionId: ${JSON.stringify(collectionId)} });\n`;
    const stack = await TestStack.create({
      name: "moved-collection",
      program: program(false, false),
      config: local.config,
      env: local.env,
    });
    const users = () => usersOf(local, collectionId);
    try {
      await stack.up();
      await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "dora" }));
      stack.writeProgram(program(true, false));
      const moved = await stack.up();
      expect(moved.changes).toMatchObject({ create: 2, delete: 1 });
      expect(await users()).toEqual(["dora"]);
      // Marked as this stack's, but holding a user: taken over, and kept on destroy.
      expect(
        (await stack.resources("pulumi-nodejs:dynamic/rekognition:Collection"))[0]?.outputs?.["origin"],
      ).toBe("adopted");

      // Back out of the component, this time with aliases: the engine sees the same resource.
      stack.writeProgram(
        `${header}${teamComponent}const team = new Team("team", () => undefined);\n` +
          `new rk.Collection("staff", { collectionId: ${JSON.stringify(collectionId)} }, { aliases: [{ parent: team }] });\n`,
      );
      await local.emulator.control.resetCounters();
      expect((await stack.up()).changes).toEqual({ same: 4 });
      expect(await callsSince(local)).toEqual({});
      expect(await users()).toEqual(["dora"]);
    } finally {
      await stack.dispose();
    }
  });

  it("switching exclusive off leaves a face found associated another way alone", async () => {
    const collectionId = "mode-switch";
    const faces = await seedRoster(local, collectionId, ["erin"], 3);
    const [e0, e1, e2] = faces["erin"]!;
    const program = (exclusive: boolean): string =>
      `${header}new rk.UserFaceAssociation("erin", ${JSON.stringify({ collectionId, userId: "erin", faceIds: [e0, e1], exclusive })});\n`;
    const stack = await TestStack.on(local, "mode-switch", program(true));
    try {
      await stack.up();
      await associateOutOfBand(local, collectionId, "erin", [e2!]);
      await stack.refresh();
      await expectStateMatchesService(stack, local);
      stack.writeProgram(program(false));
      await local.emulator.control.resetCounters();
      await stack.up();
      expect(await callsSince(local)).toEqual({});
      expect(await facesOfUser(local, collectionId, "erin")).toEqual(sorted([e0!, e1!, e2!]));
      await expectStateMatchesService(stack, local);
      expect((await stack.preview()).changes).toEqual({ same: 2 });
    } finally {
      await stack.dispose();
    }
  });

  it("a FaceRoster renamed with aliases changes nothing; without them it converges with each person's faces", async () => {
    const collectionId = "renamed-roster";
    await seedRoster(local, collectionId, [], 0);
    const program = (name: string, alias?: string): string =>
      `${header}new rk.FaceRoster(${JSON.stringify(name)}, { collectionId: "${collectionId}", people: { rita: ["photos/rita-1.png"] } }${alias ? `, { aliases: [{ name: ${JSON.stringify(alias)} }] }` : ""});\n`;
    const stack = await TestStack.on(local, "renamed-roster", program("team"));
    stack.writeFile("photos/rita-1.png", generatePortrait("rita", 1));
    try {
      await stack.up();
      const [before] = await facesOfUser(local, collectionId, "rita");
      stack.writeProgram(program("crew", "team"));
      await local.emulator.control.resetCounters();
      const aliased = await stack.up();
      expect(Object.keys(aliased.changes)).toEqual(["same"]);
      expect(await callsSince(local)).toEqual({});
      expect(await facesOfUser(local, collectionId, "rita")).toEqual([before]);

      // Without aliases every child is new: the user is taken over, the photo
      // indexed again, and the person ends with the new face; nothing declared is missing.
      stack.writeProgram(program("squad"));
      const renamed = await stack.up();
      expect(renamed.ok).toBe(true);
      const after = await facesOfUser(local, collectionId, "rita");
      expect(after).toHaveLength(1);
      expect((await recordedAssociations(stack)).get("squad-rita")?.faceIds).toEqual(after);
      await expectStateMatchesService(stack, local);
      const users = await local.client.send(new ListUsersCommand({ CollectionId: collectionId }));
      expect(users.Users?.map((u) => u.UserId)).toEqual(["rita"]);
    } finally {
      await stack.dispose();
    }
  });

  it("a User removed while its association stays is not deleted: the run says what still uses it", async () => {
    const collectionId = "still-used";
    const faces = await seedRoster(local, collectionId, ["uma"], 1, { createUsers: false });
    const [face] = faces["uma"]!;
    const program = (withUser: boolean): string =>
      header +
      (withUser
        ? `const user = new rk.User("uma", { collectionId: "${collectionId}", userId: "uma" });\n`
        : "") +
      `new rk.UserFaceAssociation("uma", { collectionId: "${collectionId}", userId: ${withUser ? "user.userId" : '"uma"'}, faceIds: ["${face}"] });\n`;
    const stack = await TestStack.on(local, "still-used", program(true));
    try {
      await stack.up();
      stack.writeProgram(program(false));
      const refused = await stack.up({ expectFailure: true });
      expect(refused.errors.join("\n")).toMatch(/user 'uma' in collection 'still-used' was not deleted/);
      expect(await facesOfUser(local, collectionId, "uma")).toEqual([face!]);
      await expectStateMatchesService(stack, local);
    } finally {
      await stack.dispose();
    }
  });
});
