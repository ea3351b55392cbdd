import { CreateUserCommand, DeleteUserCommand, DisassociateFacesCommand } from "@aws-sdk/client-rekognition";
import { generatePortrait } from "../../emulator/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callsSince,
  associateOutOfBand,
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService } from "../harness/truth.js";

const sorted = (ids: readonly string[]): string[] => [...ids].sort();
const header = 'import * as pulumi from "@pulumi/pulumi";\nimport * as rk from "pulumi-rekognition-faces";\n';

/** Pulumi's resource options and a refresh, as users combine them. */
describe("Resource options work as users expect", () => {
  let local: LocalRekognition;
  let faces: Record<string, string[]>;
  const collectionId = "options";

  beforeAll(async () => {
    local = await startLocalRekognition();
    faces = await seedRoster(local, collectionId, ["gus", "hal", "ivy"], 3);
  });
  afterAll(async () => local?.stop());

  it("ignoreChanges: ['faceIds'] ignores a changed declaration: no diff, no call", async () => {
    const [g0, g1] = faces["gus"]!;
    const program = (ids: string[], ignore: boolean): string =>
      `${header}new rk.UserFaceAssociation("gus", ${JSON.stringify({ collectionId, userId: "gus", faceIds: ids })}${ignore ? ', { ignoreChanges: ["faceIds"] }' : ""});\n`;
    const stack = await TestStack.create({
      name: "ignore",
      program: program([g0!], false),
      config: local.config,
      env: local.env,
    });
    try {
      await stack.up();
      stack.writeProgram(program([g0!, g1!], true));
      await local.emulator.control.resetCounters();
      const preview = await stack.preview();
      expect(preview.changes).toEqual({ same: 2 });
      expect((await stack.up()).changes).toEqual({ same: 2 });
      expect(await callsSince(local)).toEqual({});
      expect(await facesOfUser(local, collectionId, "gus")).toEqual([g0!]);

      // Without the option, the same declaration is applied.
      stack.writeProgram(program([g0!, g1!], false));
      await stack.up();
      expect(await facesOfUser(local, collectionId, "gus")).toEqual(sorted([g0!, g1!]));
    } finally {
      await stack.dispose();
    }
  });

  it("a preview right after a refresh shows no change", async () => {
    const [h0, h1] = faces["hal"]!;
    const stack = await TestStack.create({
      name: "refresh-preview",
      program: `${header}new rk.UserFaceAssociation("hal", ${JSON.stringify({ collectionId, userId: "hal", faceIds: [h0, h1], exclusive: true })});\n`,
      config: local.config,
      env: local.env,
    });
    try {
      await stack.up();
      await stack.refresh();
      const preview = await stack.pulumi(["preview", "--diff", "--expect-no-changes", "--non-interactive"]);
      expect(preview.code, preview.stdout).toBe(0);
      await expectStateMatchesService(stack, local);
    } finally {
      await stack.dispose();
    }
  });

  it("secret faceIds and userId stay secret in the state and the outputs", async () => {
    const [i0, i1] = faces["ivy"]!;
    const stack = await TestStack.create({
      name: "secret-faces",
      program: [
        header,
        `const a = new rk.UserFaceAssociation("ivy", { collectionId: ${JSON.stringify(collectionId)}, userId: pulumi.secret("ivy"), faceIds: pulumi.secret(${JSON.stringify([i0, i1])}) });`,
        "export const faceIds = a.faceIds;",
        "export const userId = a.userId;",
        "",
      ].join("\n"),
      config: local.config,
      env: local.env,
    });
    try {
      const result = await stack.up({ withPreview: true });
      expect(await facesOfUser(local, collectionId, "ivy")).toEqual(sorted([i0!, i1!]));
      const state = await stack.exportStateText();
      for (const secret of [i0!, i1!, '"ivy"', "options/ivy"]) {
        expect(state.includes(secret), `state contains ${secret}`).toBe(false);
        expect(result.stdout.includes(secret), `output contains ${secret}`).toBe(false);
      }
      const plain = await stack.pulumi(["stack", "output", "--json", "--non-interactive"]);
      expect(plain.stdout).not.toContain(i0!);
      expect((await stack.outputs())["faceIds"]).toEqual(sorted([i0!, i1!]));
      expect((await stack.up()).changes).toEqual({ same: 2 });
    } finally {
      await stack.dispose();
    }
  });

  it("a secret image path stays secret: in the state, and in the message of a photo that is missing", async () => {
    const face = (name: string, path: string): string =>
      `new rk.IndexedFace(${JSON.stringify(name)}, { collectionId: ${JSON.stringify(collectionId)}, image: { path: pulumi.secret(${JSON.stringify(path)}) } });`;
    const stack = await TestStack.on(
      local,
      "secret-photo",
      [header, face("kept", "photos/kept-secret-name.png"), ""].join("\n"),
    );
    try {
      stack.writeFile("photos/kept-secret-name.png", generatePortrait("kept", 1));
      const result = await stack.up({ withPreview: true });
      expect(await stack.exportStateText()).not.toContain("kept-secret-name");
      expect(result.stdout + result.stderr).not.toContain("kept-secret-name");
      expect(Object.keys((await stack.up()).changes)).toEqual(["same"]);

      stack.writeProgram(
        [
          header,
          face("kept", "photos/kept-secret-name.png"),
          face("lost", "./photos/lost-secret-name.png"),
          "",
        ].join("\n"),
      );
      const preview = await stack.preview({ expectFailure: true });
      expect(preview.stdout + preview.stderr).not.toContain("lost-secret-name");
      expect(preview.errors.join("\n")).toContain("image.path '[secret]': there is no file at [secret]");

      // A face a user took cannot be deleted: the message names neither the photo nor a secret holder.
      const faceId = (await stack.resource("kept")).id!;
      await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "holder" }));
      await associateOutOfBand(local, collectionId, "holder", [faceId]);
      stack.writeProgram([header, ""].join("\n"));
      const refused = await stack.up({ expectFailure: true });
      expect(refused.errors.join("\n")).toContain(`face ${faceId} (from [secret]) cannot be deleted`);
      expect(refused.stdout + refused.stderr).not.toContain("kept-secret-name");
      await local.client.send(
        new DisassociateFacesCommand({ CollectionId: collectionId, UserId: "holder", FaceIds: [faceId] }),
      );
      await local.client.send(new DeleteUserCommand({ CollectionId: collectionId, UserId: "holder" }));
      await stack.up();
    } finally {
      await stack.dispose();
    }
  });

  it("a secret userId on a User stays secret: in its ID, the state, the outputs and a failure's message", async () => {
    const secretUser = "zed-kept-secret";
    const user = (name: string, collection: string, userId: string): string =>
      `new rk.User(${JSON.stringify(name)}, { collectionId: ${JSON.stringify(collection)}, userId: pulumi.secret(${JSON.stringify(userId)}) });`;
    const program = [
      header,
      `const u = ${user("zed", collectionId, secretUser)}`,
      "export const userId = u.userId;",
    ];
    const stack = await TestStack.on(local, "secret-user", [...program, ""].join("\n"));
    try {
      const result = await stack.up({ withPreview: true });
      expect(await usersOf(local, collectionId)).toContain(secretUser);
      expect((await stack.resource("zed")).id).toMatch(new RegExp(`^${collectionId}/sha256-[0-9a-f]{16}$`));
      expect(await stack.exportStateText()).not.toContain(secretUser);
      expect(result.stdout + result.stderr).not.toContain(secretUser);
      expect((await stack.outputs())["userId"]).toBe(secretUser);
      expect(Object.keys((await stack.up()).changes)).toEqual(["same"]);

      // A user ID that fails its check is not printed either.
      const association = `new rk.UserFaceAssociation("bad-faces", { collectionId: ${JSON.stringify(collectionId)}, userId: pulumi.secret("bad secret holder"), faceIds: ["35ebbb41-7f67-4b4f-bfee-1a2b3c4d5e6f"] });`;
      stack.writeProgram(
        [...program, user("bad", collectionId, "bad secret user"), association, ""].join("\n"),
      );
      const invalid = await stack.preview({ expectFailure: true });
      expect(invalid.stdout + invalid.stderr).not.toContain("bad secret user");
      expect(invalid.stdout + invalid.stderr).not.toContain("bad secret holder");
      expect(invalid.errors.join("\n")).toContain("userId '[secret]'");

      // A failure about the user names it as [secret].
      stack.writeProgram(
        [
          header,
          user("zed", collectionId, secretUser),
          user("ghost", "no-such-collection", "ghost-kept-secret"),
          "",
        ].join("\n"),
      );
      const failed = await stack.up({ expectFailure: true });
      expect(failed.stdout + failed.stderr).not.toContain("ghost-kept-secret");
      expect(failed.errors.join("\n")).toContain("so user '[secret]' cannot be created in it");
      await stack.destroy();
      expect(await usersOf(local, collectionId)).not.toContain(secretUser);
    } finally {
      await stack.dispose();
    }
  });
});
