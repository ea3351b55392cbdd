import { CreateCollectionCommand, IndexFacesCommand, ListUsersCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import {
  callsSince,
  facesOfUser,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "roster";

function rosterProgram(people: Record<string, string[]>): string {
  return [
    'import { FaceRoster } from "pulumi-rekognition-faces";',
    "",
    `const roster = new FaceRoster("team", { collectionId: ${JSON.stringify(collectionId)}, people: ${JSON.stringify(people)} });`,
    "export const users = roster.users;",
    "",
  ].join("\n");
}

interface RosterUserOutput {
  userId: string;
  faceIds: string[];
  userStatus: string;
}

describe("FaceRoster: one-line changes, the fewest calls", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let oldFaceOfAlice: string;
  const people: Record<string, string[]> = {};

  const users = async (): Promise<Record<string, RosterUserOutput>> =>
    (await stack.outputs())["users"] as Record<string, RosterUserOutput>;
  const userIds = async (): Promise<string[]> =>
    ((await local.client.send(new ListUsersCommand({ CollectionId: collectionId }))).Users ?? [])
      .map((u) => u.UserId!)
      .sort();
  const photo = (person: string, n: number): string =>
    stack.writeFile(`photos/${person}-${n}.png`, generatePortrait(person, n)) && `photos/${person}-${n}.png`;

  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    const indexed = await local.client.send(
      new IndexFacesCommand({
        CollectionId: collectionId,
        Image: { Bytes: generatePortrait("alice", 9) },
        MaxFaces: 1,
      }),
    );
    oldFaceOfAlice = indexed.FaceRecords![0]!.Face!.FaceId!;
    stack = await TestStack.create({
      name: "roster",
      program: rosterProgram({}),
      config: local.config,
      env: local.env,
    });
    people["alice"] = [photo("alice", 1), photo("alice", 2), oldFaceOfAlice];
    people["bob"] = [photo("bob", 1), photo("bob", 2)];
    stack.writeProgram(rosterProgram(people));
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("deploys users, faces and associations; a listed face ID is associated as is", async () => {
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1 + 1 + 1 + 2 * 2 + 4 });
    const calls = await callsSince(local);
    expect(calls).toEqual({
      CreateUser: 4,
      // Each user's status is read after its create; creates begun together share a scan.
      ListUsers: expect.any(Number) as number,
      IndexFaces: 4,
      SearchFacesByImage: 4,
      AssociateFaces: 2,
    });
    expect(calls["ListUsers"]).toBeLessThanOrEqual(2);
    const deployed = await users();
    expect(Object.keys(deployed).sort()).toEqual(["alice", "bob"]);
    expect(deployed["alice"]).toMatchObject({ userId: "alice", userStatus: "ACTIVE" });
    expect(deployed["alice"]!.faceIds).toHaveLength(3);
    expect(deployed["alice"]!.faceIds).toContain(oldFaceOfAlice);
    expect(deployed["bob"]!.faceIds).toHaveLength(2);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(deployed["alice"]!.faceIds);
  });

  it("makes no call at all when nothing changed, preview included", async () => {
    const result = await stack.up({ withPreview: true });
    expect(Object.keys(result.changes)).toEqual(["same"]);
    expect(await callsSince(local)).toEqual({});
  });

  it("fails before any call when a person's ID is invalid, naming the entry", async () => {
    stack.writeProgram(rosterProgram({ ...people, "carol smith": [photo("carol", 1)] }));
    const preview = await stack.preview({ expectFailure: true });
    expect(preview.errors.join("\n")).toMatch(/people: the user ID 'carol smith' may contain only letters/);
    expect(await callsSince(local)).toEqual({});
  });

  it("adds a person: CreateUser, IndexFaces per photo, one AssociateFaces", async () => {
    people["carol"] = [photo("carol", 1), photo("carol", 2)];
    stack.writeProgram(rosterProgram(people));
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 4 });
    expect(await callsSince(local)).toEqual({
      CreateUser: 2,
      ListUsers: 1,
      IndexFaces: 2,
      SearchFacesByImage: 2,
      AssociateFaces: 1,
    });
    expect((await users())["carol"]).toMatchObject({ userStatus: "ACTIVE" });
    expect((await users())["carol"]!.faceIds).toHaveLength(2);
  });

  it("adds a photo: one IndexFaces, one AssociateFaces", async () => {
    people["alice"] = [...people["alice"]!, photo("alice", 3)];
    stack.writeProgram(rosterProgram(people));
    // The preview shows alice's faces kept and one face added, whose ID the new IndexedFace gives.
    const preview = (await stack.preview({ diff: true })).stdout;
    expect(preview).toMatch(/^\s*\+ faceIds\[2\]\s*: \[unknown\]$/m);
    expect(preview).not.toMatch(/^\s*- [0-9a-f-]{36}/m);
    expect(preview).not.toMatch(/faces\s*: \[unknown\]/);
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1, update: 1 });
    expect(await callsSince(local)).toEqual({ IndexFaces: 1, SearchFacesByImage: 1, AssociateFaces: 1 });
    expect((await users())["alice"]!.faceIds).toHaveLength(4);
  });

  it("removes a photo: one DisassociateFaces, one DeleteFaces", async () => {
    const [kept, removed] = people["bob"]!;
    const removedFace = (await stack.resource(`team-bob-${removed!}`)).id!;
    people["bob"] = [kept!];
    stack.writeProgram(rosterProgram(people));
    const result = await stack.up();
    expect(result.changes).toMatchObject({ delete: 1, update: 1 });
    expect(await callsSince(local)).toEqual({ DisassociateFaces: 1, DeleteFaces: 1 });
    const bob = (await users())["bob"]!;
    expect(bob.faceIds).toHaveLength(1);
    expect(bob.faceIds).not.toContain(removedFace);
    expect(await facesOfUser(local, collectionId, "bob")).toEqual(bob.faceIds);
  });

  it("removes a person: their association, faces and user", async () => {
    delete people["carol"];
    stack.writeProgram(rosterProgram(people));
    const result = await stack.up();
    expect(result.changes).toMatchObject({ delete: 4 });
    expect(await callsSince(local)).toEqual({ DisassociateFaces: 1, DeleteFaces: 2, DeleteUser: 1 });
    expect(Object.keys(await users()).sort()).toEqual(["alice", "bob"]);
    expect(await userIds()).toEqual(["alice", "bob"]);
  });

  it("destroys everything it declared and leaves the listed face indexed", async () => {
    const result = await stack.destroy();
    expect(result.changes).toMatchObject({ delete: 1 + 1 + 1 + 2 * 2 + 4 });
    expect(await callsSince(local)).toEqual({ DisassociateFaces: 2, DeleteFaces: 4, DeleteUser: 2 });
    expect(await userIds()).toEqual([]);
  });
});

/** A roster as earlier releases named its children: a photo after its file name, when unique in the list. */
function earlierRosterProgram(): string {
  return `import * as pulumi from "@pulumi/pulumi";
import { IndexedFace, User, UserFaceAssociation } from "pulumi-rekognition-faces";

class EarlierFaceRoster extends pulumi.ComponentResource {
  constructor(name: string) {
    super("rekognition:index:FaceRoster", name, {}, {});
    const collectionId = ${JSON.stringify(collectionId)};
    const user = new User(name + "-dana", { collectionId, userId: "dana" }, { parent: this });
    const face = new IndexedFace(
      name + "-dana-1.png",
      { collectionId, image: { path: "photos/a/1.png" }, externalImageId: "dana" },
      { parent: this },
    );
    new UserFaceAssociation(
      name + "-dana",
      { collectionId, userId: user.userId, faceIds: [face.faceId] },
      { parent: this, dependsOn: [user, face] },
    );
    this.registerOutputs({});
  }
}
new EarlierFaceRoster("team");
`;
}

describe("FaceRoster: a photo's resource is named after its entry alone", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let firstFace: string;

  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    stack = await TestStack.create({
      name: "roster-names",
      program: earlierRosterProgram(),
      config: local.config,
      env: local.env,
    });
    stack.writeFile("photos/a/1.png", generatePortrait("dana", 1));
    stack.writeFile("photos/b/1.png", generatePortrait("dana", 2));
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("a stack deployed with the earlier names upgrades with no change and no call", async () => {
    await stack.up();
    firstFace = (await stack.resource("team-dana-1.png")).id!;
    await callsSince(local);
    stack.writeProgram(rosterProgram({ dana: ["photos/a/1.png"] }));
    const result = await stack.up({ withPreview: true });
    expect(Object.keys(result.changes)).toEqual(["same"]);
    expect(await callsSince(local)).toEqual({});
    expect((await stack.resource("team-dana-photos/a/1.png")).id).toBe(firstFace);
  });

  it("adding a photo with the same file name indexes it and leaves the first face alone", async () => {
    stack.writeProgram(rosterProgram({ dana: ["photos/a/1.png", "photos/b/1.png"] }));
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1, update: 1 });
    expect(result.changes).not.toHaveProperty("delete");
    expect(result.changes).not.toHaveProperty("replace");
    expect(await callsSince(local)).toEqual({ IndexFaces: 1, SearchFacesByImage: 1, AssociateFaces: 1 });
    expect((await stack.resource("team-dana-photos/a/1.png")).id).toBe(firstFace);
    const dana = ((await stack.outputs())["users"] as Record<string, RosterUserOutput>)["dana"]!;
    expect(dana.faceIds).toHaveLength(2);
    expect(dana.faceIds).toContain(firstFace);
    expect(await facesOfUser(local, collectionId, "dana")).toEqual(dana.faceIds);
  });
});
