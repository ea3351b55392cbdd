import { CreateUserCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associationProgram, type AssociationDeclaration } from "../harness/programs.js";
import {
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "moves";
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe("UserFaceAssociation: faces that change hands", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;
  const declare = (a: readonly string[], b: readonly string[], aFirst = true): string => {
    const decls: AssociationDeclaration[] = [
      // Threshold 0: the moved photo need not look like its new owner here.
      { name: "a", collectionId, userId: "alice", faceIds: a, userMatchThreshold: 0 },
      { name: "b", collectionId, userId: "bob", faceIds: b, userMatchThreshold: 0 },
    ];
    return associationProgram(aFirst ? decls : [...decls].reverse());
  };

  beforeAll(async () => {
    local = await startLocalRekognition({ updatingWindowMs: 300 });
    faces = await seedRoster(local, collectionId, ["alice", "bob"], 3);
    stack = await TestStack.create({
      name: "moves",
      program: declare(faces["alice"]!, faces["bob"]!),
      config: local.config,
      env: local.env,
    });
    await stack.up();
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  // Each order the engine may run the two updates in: the giver declared
  // first, the receiver declared first, and one operation at a time with the
  // receiver first (it cannot wait for the giver, which has not started).
  const orders = [
    { label: "giver declared first", aFirst: true, parallel: undefined },
    { label: "receiver declared first", aFirst: false, parallel: undefined },
    { label: "receiver first, one operation at a time", aFirst: false, parallel: 1 },
  ] as const;

  for (const [round, order] of orders.entries()) {
    it(`moves a face from one user to another in a single up (${order.label})`, async () => {
      const all = [...faces["alice"]!, ...faces["bob"]!];
      // Alice's first photo goes to bob, comes back, then her second one goes.
      const moving = faces["alice"]![round === 2 ? 1 : 0]!;
      const aliceNow = sorted(await facesOfUser(local, collectionId, "alice"));
      const bobNow = sorted(await facesOfUser(local, collectionId, "bob"));
      expect(sorted([...aliceNow, ...bobNow])).toEqual(sorted(all));
      const toBob = aliceNow.includes(moving);
      const alice = toBob ? aliceNow.filter((f) => f !== moving) : [...aliceNow, moving];
      const bob = toBob ? [...bobNow, moving] : bobNow.filter((f) => f !== moving);

      stack.writeProgram(declare(alice, bob, order.aFirst));
      const result = await stack.up(order.parallel ? { parallel: order.parallel } : {});
      expect(result.changes).toMatchObject({ update: 2 });
      expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted(alice));
      expect(await facesOfUser(local, collectionId, "bob")).toEqual(sorted(bob));
      expect((await stack.up()).changes).toEqual({ same: 3 });
    });
  }

  it("renaming the user replaces the association, releasing the faces before claiming them again", async () => {
    await local.client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: "alice-renamed" }));
    const aliceFaces = await facesOfUser(local, collectionId, "alice");
    const bobFaces = await facesOfUser(local, collectionId, "bob");
    stack.writeProgram(
      associationProgram([
        { name: "a", collectionId, userId: "alice-renamed", faceIds: aliceFaces, userMatchThreshold: 0 },
        { name: "b", collectionId, userId: "bob", faceIds: bobFaces, userMatchThreshold: 0 },
      ]),
    );
    const result = await stack.up();
    expect(result.changes).toMatchObject({ replace: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual([]);
    expect(await facesOfUser(local, collectionId, "alice-renamed")).toEqual(sorted(aliceFaces));
    expect((await stack.resource("a")).id).toBe(`${collectionId}/alice-renamed`);
  });
});
