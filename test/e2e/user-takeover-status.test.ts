import { ListUsersCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  associateOutOfBand,
  callsSince,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "takeover-status";
const adoptedIn = "takeover-adopted";
const header = 'import * as rk from "pulumi-rekognition-faces";\n';

/** A User that takes over a user which already has faces records its status as the service reports it. */
describe("User: a user taken over with faces records its real status in the same up", () => {
  let local: LocalRekognition;
  let faces: Record<string, string[]>;

  const serviceStatus = async (userId: string, inCollection = collectionId): Promise<string | undefined> =>
    (await local.client.send(new ListUsersCommand({ CollectionId: inCollection }))).Users?.find(
      (u) => u.UserId === userId,
    )?.UserStatus;

  beforeAll(async () => {
    local = await startLocalRekognition();
    // Faces for ada (no user yet: the stack makes it) and for cy (made out of band).
    faces = {
      ...(await seedRoster(local, collectionId, ["ada"], 2, { createUsers: false })),
      ...(await seedRoster(local, adoptedIn, ["cy"], 2)),
    };
  });
  afterAll(async () => local?.stop());

  it("a renamed User, recognised as this stack's own, records ACTIVE, not CREATED", async () => {
    const program = (userName: string): string =>
      `${header}const ada = new rk.User(${JSON.stringify(userName)}, { collectionId: "${collectionId}", userId: "ada" });\n` +
      `new rk.UserFaceAssociation("ada-faces", { collectionId: "${collectionId}", userId: ada.userId, faceIds: ${JSON.stringify(faces["ada"])} });\n` +
      "export const status = ada.userStatus;\n";
    const stack = await TestStack.on(local, "renamed-user", program("ada"));
    try {
      await stack.up();
      expect(await serviceStatus("ada")).toBe("ACTIVE");

      stack.writeProgram(program("ada-renamed"));
      await local.emulator.control.resetCounters();
      const renamed = await stack.up();
      expect(renamed.changes).toMatchObject({ create: 1, delete: 1 });
      // Two CreateUser calls recognise it; one scan reads its status; nothing else changes.
      expect(await callsSince(local)).toEqual({ CreateUser: 2, ListUsers: 1 });
      expect((await stack.resource("ada-renamed")).outputs?.["origin"]).toBe("created");
      expect((await stack.resource("ada-renamed")).outputs?.["userStatus"]).toBe("ACTIVE");
      expect((await stack.outputs())["status"]).toBe(await serviceStatus("ada"));
    } finally {
      await stack.dispose();
    }
  });

  it("an adopted user with faces records ACTIVE", async () => {
    await associateOutOfBand(local, adoptedIn, "cy", faces["cy"]!);
    const stack = await TestStack.on(
      local,
      "adopted-user",
      `${header}export const status = new rk.User("cy", { collectionId: "${adoptedIn}", userId: "cy", adopt: true }).userStatus;\n`,
    );
    try {
      await stack.up();
      expect((await stack.outputs())["status"]).toBe("ACTIVE");
      expect(await serviceStatus("cy", adoptedIn)).toBe("ACTIVE");
    } finally {
      await stack.dispose();
    }
  });
});
