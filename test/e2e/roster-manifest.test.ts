import { CreateCollectionCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import {
  callsSince,
  facesOfUser,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "manifest";
const manifestPath = "rosters/team.csv";

function rosterProgram(source: { people: Record<string, string[]> } | { manifest: string }): string {
  return [
    'import { FaceRoster } from "pulumi-rekognition-faces";',
    "",
    `const roster = new FaceRoster("team", { collectionId: ${JSON.stringify(collectionId)}, ...${JSON.stringify(source)} });`,
    "export const users = roster.users;",
    "",
  ].join("\n");
}

describe("FaceRoster from a manifest: the same roster as inline people", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  const photo = (person: string, n: number): string =>
    stack.writeFile(`photos/${person}-${n}.png`, generatePortrait(person, n)) && `photos/${person}-${n}.png`;
  /** The CSV manifest: photo paths relative to its own folder, rows in any order. */
  const writeManifest = (rows: string[]): void => {
    stack.writeFile(manifestPath, ["userId,photo", "# the team, one row per photo", ...rows, ""].join("\n"));
  };
  const rows = ["bob,../photos/bob-1.png", "alice,../photos/alice-1.png", "", "alice,../photos/alice-2.png"];

  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
    stack = await TestStack.create({
      name: "roster-manifest",
      program: rosterProgram({ people: {} }),
      config: local.config,
      env: local.env,
    });
    const people = { alice: [photo("alice", 1), photo("alice", 2)], bob: [photo("bob", 1)] };
    stack.writeProgram(rosterProgram({ people }));
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("deploys the roster declared inline", async () => {
    const result = await stack.up();
    // The stack, its identity, the roster, 2 users, 3 faces, 2 associations.
    expect(result.changes).toMatchObject({ create: 1 + 1 + 1 + 2 + 3 + 2 });
  });

  it("switching from people to a manifest of the same content renames nothing and makes no call", async () => {
    writeManifest(rows);
    stack.writeProgram(rosterProgram({ manifest: manifestPath }));
    const result = await stack.up({ withPreview: true });
    expect(Object.keys(result.changes)).toEqual(["same"]);
    expect(await callsSince(local)).toEqual({});
  });

  it("a malformed manifest stops the program before any call, naming the file, the line and the entry", async () => {
    writeManifest([...rows, "carol smith,../photos/carol-1.png"]);
    const preview = await stack.preview({ expectFailure: true });
    const errors = preview.errors.join("\n");
    expect(errors).toContain(
      `${manifestPath}:7: people: the user ID 'carol smith' may contain only letters, digits, '_', '.', ':' and '-': rename the person`,
    );
    // The message alone, as planRoster's errors: no stack trace.
    expect(errors).not.toMatch(/\n\s+at /);
    expect(await callsSince(local)).toEqual({});
  });

  it("adding one row indexes and associates that one photo", async () => {
    photo("alice", 3);
    writeManifest([...rows, "alice,../photos/alice-3.png"]);
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1, update: 1 });
    expect(await callsSince(local)).toEqual({ IndexFaces: 1, SearchFacesByImage: 1, AssociateFaces: 1 });
    const users = (await stack.outputs())["users"] as Record<string, { faceIds: string[] }>;
    expect(users["alice"]!.faceIds).toHaveLength(3);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(users["alice"]!.faceIds);
    // Named after the path relative to the stack's folder, as an inline entry would be.
    expect(users["alice"]!.faceIds).toContain((await stack.resource("team-alice-photos/alice-3.png")).id);
  });
});
