import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callsSince,
  facesOfUser,
  seedRoster,
  startLocalRekognition,
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
});
