import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService } from "../harness/truth.js";

const collectionId = "late-giver";
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

/**
 * A face moves from bob to alice in a run in which bob's declaration waits on
 * something this provider never sees (a component whose output comes from
 * another provider's resource being created). Alice cannot tell bob's new
 * declaration from one that never comes: the first `up` reports the face as
 * bob's with the state true, and the next `up` completes the move.
 */
describe("UserFaceAssociation: a move whose giver waits on a resource of another provider", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;

  // `gateMs`: how long the component takes to produce its output in this run.
  // Bob's faces come through it; alice may be made to wait for bob (`dependsOn`).
  const program = (
    alice: readonly string[],
    bob: readonly string[],
    gateMs: number,
    waitForBob = false,
  ): string =>
    [
      'import * as pulumi from "@pulumi/pulumi";',
      'import * as rk from "pulumi-rekognition-faces";',
      "class Gate extends pulumi.ComponentResource {",
      "  readonly open: pulumi.Output<boolean>;",
      "  constructor(name: string, ms: number) {",
      '    super("test:index:Gate", name);',
      "    this.open = pulumi.output(new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms)));",
      "    this.registerOutputs({ open: this.open });",
      "  }",
      "}",
      `const gate = new Gate("gate", ${gateMs});`,
      `const bob = new rk.UserFaceAssociation("bob", { collectionId: "${collectionId}", userId: "bob", faceIds: gate.open.apply(() => ${JSON.stringify(bob)}), userMatchThreshold: 0 });`,
      `new rk.UserFaceAssociation("alice", { collectionId: "${collectionId}", userId: "alice", faceIds: ${JSON.stringify(alice)}, userMatchThreshold: 0 }${waitForBob ? ", { dependsOn: [bob] }" : ""});`,
      "",
    ].join("\n");

  beforeAll(async () => {
    local = await startLocalRekognition();
    faces = await seedRoster(local, collectionId, ["alice", "bob"], 3);
    stack = await TestStack.on(local, "late-giver", program([faces["alice"]![0]!], faces["bob"]!, 0));
    await stack.up();
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("the first up reports the face as the giver's, with the state true; the next up completes the move", async () => {
    const [a0] = faces["alice"]!;
    const [b0, b1, b2] = faces["bob"]!;
    // Longer than the 1.5 s of quiet the receiver waits for.
    stack.writeProgram(program([a0!, b1!], [b0!, b2!], 8000));
    const first = await stack.up({ expectFailure: true });
    const message = first.errors.join("\n");
    expect(message).toContain(`${b1}: ASSOCIATED_TO_A_DIFFERENT_USER: it belongs to user 'bob'`);
    expect(message).toContain("the next `pulumi up` completes the move");
    // The engine starts nothing after a failure: bob still holds the face, and the state says so.
    expect(await facesOfUser(local, collectionId, "alice")).toEqual([a0!]);
    expect(await facesOfUser(local, collectionId, "bob")).toEqual(sorted([b0!, b1!, b2!]));
    await expectStateMatchesService(stack, local);

    // The component's resource exists now: its output comes at once.
    stack.writeProgram(program([a0!, b1!], [b0!, b2!], 0));
    const second = await stack.up();
    expect(second.ok).toBe(true);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, b1!]));
    expect(await facesOfUser(local, collectionId, "bob")).toEqual(sorted([b0!, b2!]));
    await expectStateMatchesService(stack, local);
  });

  it("with dependsOn on the giver, the receiver waits for it and the move completes in one up", async () => {
    const [a0] = faces["alice"]!;
    const [b0, b1, b2] = faces["bob"]!;
    stack.writeProgram(program([a0!, b1!, b2!], [b0!], 8000, true));
    const result = await stack.up();
    expect(result.ok).toBe(true);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted([a0!, b1!, b2!]));
    expect(await facesOfUser(local, collectionId, "bob")).toEqual([b0!]);
    await expectStateMatchesService(stack, local);
  });
});
