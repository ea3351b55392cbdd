import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import {
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService } from "../harness/truth.js";

const collectionId = "slow-moves";
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

/**
 * A face moves from bob to alice in the same run in which bob's declaration
 * waits on a photo still being indexed (longer than any fixed wait): alice's association cannot
 * see bob give the face up until bob's declaration arrives, and must wait for
 * it rather than fail.
 */
describe("UserFaceAssociation: a move whose giver waits on something slow", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;

  const program = (withPhoto: boolean): string => {
    const [a0] = faces["alice"]!;
    const [b0, b1] = faces["bob"]!;
    const lines = ['import * as rk from "pulumi-rekognition-faces";'];
    if (withPhoto) {
      lines.push(
        `const photo = new rk.IndexedFace("bob-new", { collectionId: "${collectionId}", image: { path: "photos/bob-9.png" } });`,
        `new rk.UserFaceAssociation("alice", { collectionId: "${collectionId}", userId: "alice", faceIds: ["${a0}", "${b1}"], userMatchThreshold: 0 });`,
        `new rk.UserFaceAssociation("bob", { collectionId: "${collectionId}", userId: "bob", faceIds: ["${b0}", photo.faceId], userMatchThreshold: 0 });`,
      );
    } else {
      lines.push(
        `new rk.UserFaceAssociation("alice", { collectionId: "${collectionId}", userId: "alice", faceIds: ["${a0}"], userMatchThreshold: 0 });`,
        `new rk.UserFaceAssociation("bob", { collectionId: "${collectionId}", userId: "bob", faceIds: ["${b0}", "${b1}"], userMatchThreshold: 0 });`,
      );
    }
    return lines.join("\n") + "\n";
  };

  beforeAll(async () => {
    local = await startLocalRekognition();
    faces = await seedRoster(local, collectionId, ["alice", "bob"], 2);
    stack = await TestStack.on(local, "slow-moves", program(false));
    stack.writeFile("photos/bob-9.png", generatePortrait("bob", 9));
    await stack.up();
  });
  afterAll(async () => {
    await local?.emulator.control.setFaults({ rules: [] });
    await stack?.dispose();
    await local?.stop();
  });

  it("converges in one up while the giver's photo is indexed slowly", async () => {
    const [a0] = faces["alice"]!;
    const [b0, b1] = faces["bob"]!;
    await local.emulator.control.setFaults({
      rules: [{ operations: ["IndexFaces"], kind: "latency", rate: 1, latencyMs: 6000 }],
    });
    stack.writeProgram(program(true));
    const result = await stack.up();
    expect(result.ok).toBe(true);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, b1!]));
    const bob = await facesOfUser(local, collectionId, "bob");
    expect(bob).toHaveLength(2);
    expect(bob).toContain(b0!);
    await expectStateMatchesService(stack, local);
  });
});
