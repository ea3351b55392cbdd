import {
  CreateCollectionCommand,
  CreateUserCommand,
  DeleteUserCommand,
  ListUsersCommand,
} from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callsSince, startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "people";

interface UserDeclaration {
  readonly userId: string;
  readonly adopt?: boolean;
  readonly deleteOnDestroy?: boolean;
}

function usersProgram(users: readonly UserDeclaration[]): string {
  const lines = ['import { User } from "pulumi-rekognition-faces";', ""];
  for (const { userId, ...options } of users) {
    const name = userId.replace(/[^a-zA-Z0-9_]/g, "_");
    lines.push(
      `const ${name} = new User(${JSON.stringify(userId)}, ${JSON.stringify({ collectionId, userId, ...options })});`,
    );
    lines.push(`export const ${name}Status = ${name}.userStatus;`);
  }
  return lines.join("\n") + "\n";
}

describe("User: create, adopt, refresh, destroy", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  const userIds = async (): Promise<string[]> =>
    ((await local.client.send(new ListUsersCommand({ CollectionId: collectionId }))).Users ?? [])
      .map((u) => u.UserId!)
      .sort();

  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "carol" }));
    stack = await TestStack.create({
      name: "user",
      program: usersProgram([{ userId: "alice" }]),
      config: local.config,
      env: local.env,
    });
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("creates the user with two CreateUser calls: the stack's own token, then a confirmation; one scan reads its status", async () => {
    const result = await stack.up();
    // The stack, its identity and the user.
    expect(result.changes).toMatchObject({ create: 3 });
    expect(await callsSince(local)).toEqual({ CreateUser: 2, ListUsers: 1 });
    expect((await stack.resource("alice")).id).toBe(`${collectionId}/alice`);
    expect((await stack.outputs())["aliceStatus"]).toBe("CREATED");
    expect(await userIds()).toEqual(["alice", "carol"]);
  });

  it("makes no call at all when nothing changed, preview included", async () => {
    const result = await stack.up({ withPreview: true });
    expect(result.changes).toEqual({ same: 3 });
    expect(await callsSince(local)).toEqual({});
  });

  it("fails at preview naming the field when the user ID is invalid", async () => {
    stack.writeProgram(usersProgram([{ userId: "alice" }, { userId: "bad id!" }]));
    const preview = await stack.preview({ expectFailure: true });
    expect(preview.errors.join("\n")).toMatch(/userId 'bad id!' may contain only letters, digits/);
    expect(await callsSince(local)).toEqual({});
  });

  it("refuses a user that exists already, naming adopt: true", async () => {
    stack.writeProgram(usersProgram([{ userId: "alice" }, { userId: "carol" }]));
    const result = await stack.up({ expectFailure: true });
    expect(result.errors.join("\n")).toMatch(
      /user 'carol' already exists in collection 'people'.*adopt: true/,
    );
  });

  it("adopts an existing user on request", async () => {
    stack.writeProgram(usersProgram([{ userId: "alice" }, { userId: "carol", adopt: true }]));
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1 });
    expect(await callsSince(local)).toEqual({ CreateUser: 1, ListUsers: 1 });
    expect((await stack.resource("carol")).outputs?.["origin"]).toBe("adopted");
  });

  it("records deleteOnDestroy without a call", async () => {
    stack.writeProgram(
      usersProgram([
        { userId: "alice", deleteOnDestroy: true },
        { userId: "carol", adopt: true },
      ]),
    );
    const result = await stack.up();
    expect(result.changes).toMatchObject({ update: 1 });
    expect(await callsSince(local)).toEqual({});
  });

  it("drops a user deleted outside the stack on refresh, and up recreates it", async () => {
    await local.client.send(new DeleteUserCommand({ CollectionId: collectionId, UserId: "alice" }));
    await local.emulator.control.resetCounters();
    await stack.refresh();
    // One scan of the collection serves both users' reads.
    expect(await callsSince(local)).toEqual({ ListUsers: 1 });
    expect((await stack.resources("pulumi-nodejs:dynamic/rekognition:User")).map((r) => r.id)).toEqual([
      `${collectionId}/carol`,
    ]);
    const repaired = await stack.up();
    expect(repaired.changes).toMatchObject({ create: 1 });
    // One with the stack's own token (a killed run replays it), one that confirms, and the status read.
    expect(await callsSince(local)).toEqual({ CreateUser: 2, ListUsers: 1 });
    expect(await userIds()).toEqual(["alice", "carol"]);
  });

  it("deletes the users it created on destroy and keeps adopted ones", async () => {
    const result = await stack.destroy();
    expect(result.changes).toMatchObject({ delete: 4 });
    expect(await callsSince(local)).toEqual({ DeleteUser: 1 });
    expect(await userIds()).toEqual(["carol"]);
  });
});
