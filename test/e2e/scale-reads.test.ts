import { DeleteUserCommand, DisassociateFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associationProgram } from "../harness/programs.js";
import {
  callsSince,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "scale";
const people = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, "0")}`);
const photos = 2;
const sorted = (ids: readonly string[]): string[] => [...ids].sort();
const total = (calls: Record<string, number>): number => Object.values(calls).reduce((a, b) => a + b, 0);

describe(`${people.length} associations in one collection: reads and waits scale with the collection`, () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;

  beforeAll(async () => {
    // Users stay UPDATING for a while after each change, as on AWS.
    local = await startLocalRekognition({ updatingWindowMs: 1500 });
    faces = await seedRoster(local, collectionId, people, photos);
    stack = await TestStack.create({
      name: "scale-reads",
      program: associationProgram(
        people.map((p) => ({ name: p, collectionId, userId: p, faceIds: faces[p]! })),
      ),
      config: local.config,
      env: local.env,
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("waits for every user to become ACTIVE with fewer ListUsers scans than associations", async () => {
    await local.emulator.control.resetCounters();
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: people.length + 1 });
    const calls = await callsSince(local);
    expect(calls["AssociateFaces"]).toBe(people.length);
    // One shared poll serves every waiting association: the scans follow the
    // wait's duration, not associations × polls.
    expect(calls["ListUsers"]).toBeGreaterThan(0);
    expect(calls["ListUsers"]).toBeLessThan(people.length);

    const outputs = await stack.outputs();
    for (const p of people) {
      expect(outputs[p]).toMatchObject({ faceIds: sorted(faces[p]!), userStatus: "ACTIVE" });
    }
  });

  it("refreshes every association from one collection scan and still finds each user's drift", async () => {
    const drifted = "p07";
    const emptied = "p13";
    const deleted = "p21";
    const lost = faces[drifted]![0]!;
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: drifted, FaceIds: [lost] }),
    );
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: emptied, FaceIds: faces[emptied] }),
    );
    await local.client.send(new DeleteUserCommand({ CollectionId: collectionId, UserId: deleted }));
    await local.emulator.control.resetCounters();

    await stack.refresh();
    const calls = await callsSince(local);
    // One page of ListFaces (≤ 4096 faces) and one of ListUsers (≤ 500 users,
    // for the users with no face left): not one ListFaces per association.
    const facePages = Math.ceil((people.length * photos) / 4096);
    const userPages = Math.ceil(people.length / 500);
    expect(total(calls)).toBeLessThanOrEqual(facePages + userPages);
    expect(calls["ListFaces"] ?? 0).toBeLessThanOrEqual(facePages);

    const byName = new Map(
      (await stack.resources("pulumi-nodejs:dynamic/rekognition:UserFaceAssociation")).map((r) => [
        r.urn.split("::").pop()!,
        r.outputs?.["faceIds"],
      ]),
    );
    expect(byName.get(drifted)).toEqual(sorted(faces[drifted]!.filter((id) => id !== lost)));
    expect(byName.get(emptied)).toEqual([]);
    expect(byName.has(deleted)).toBe(false);
    for (const p of people.filter((name) => ![drifted, emptied, deleted].includes(name))) {
      expect(byName.get(p)).toEqual(sorted(faces[p]!));
    }
  });
});
