// A YAML program, no code at all, through the real engine and the provider
// plugin against rekognition-local: every step compared with the service.
import {
  CreateUserCommand,
  DeleteUserCommand,
  DescribeCollectionCommand,
  DisassociateFacesCommand,
  IndexFacesCommand,
} from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { pluginYamlProject } from "../harness/programs.js";
import {
  associateOutOfBand,
  callsSince,
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  usersOf,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { stripAnsi, TestStack } from "../harness/stack.js";
import { expectStateMatchesService } from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";

const collectionId = "yaml-faces";
const associationType = "rekognition-faces:index:UserFaceAssociation";
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

type Resources = Parameters<typeof pluginYamlProject>[1];

/** Alice with the photos named, and her association declaring `faces` (face resource names or IDs). */
function program(
  photos: readonly string[],
  declared: readonly string[],
  options: { threshold?: number; more?: Resources } = {},
): string {
  const { threshold, more } = options;
  const resources: Resources = {
    ...more,
    faces: { type: "rekognition-faces:index:Collection", properties: { collectionId } },
    alice: {
      type: "rekognition-faces:index:User",
      properties: { collectionId: "${faces.collectionId}", userId: "alice" },
    },
  };
  for (const photo of photos)
    resources[photo] = {
      type: "rekognition-faces:index:IndexedFace",
      properties: { collectionId: "${faces.collectionId}", image: { path: `photos/${photo}.png` } },
    };
  resources["alice-faces"] = {
    type: associationType,
    properties: {
      collectionId: "${faces.collectionId}",
      userId: "${alice.userId}",
      faceIds: declared.map((face) => (photos.includes(face) ? `\${${face}.faceId}` : face)),
      ...(threshold !== undefined && { userMatchThreshold: threshold }),
    },
  };
  return pluginYamlProject("yaml-faces", resources, { aliceFaces: "${alice-faces.faceIds}" });
}

describe("a YAML stack with the provider plugin", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  const importedDeclaration: Resources = {};
  const importedFaces: Record<string, string[]> = {};

  beforeAll(async () => {
    ensureYamlHost();
    local = await startLocalRekognition();
    stack = await TestStack.create({
      name: "yaml-faces",
      yaml: program(["alice-1", "alice-2"], ["alice-1", "alice-2"]),
      config: local.pluginConfig,
      env: local.env,
    });
    for (let photo = 1; photo <= 3; photo++)
      stack.writeFile(`photos/alice-${photo}.png`, generatePortrait("alice", photo));
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("creates the collection, the user, the faces and the association", async () => {
    const result = await stack.up({ withPreview: true });
    expect(result.changes).toMatchObject({ create: 6 });
    const outputs = await stack.outputs();
    const recorded = outputs["aliceFaces"] as string[];
    expect(recorded).toHaveLength(2);
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(sorted(recorded));
    await expectStateMatchesService(stack, local, { type: associationType });
    // The stack's identity is recorded with its provider, and the user was made under it.
    const [provider] = await stack.resources("pulumi:providers:rekognition-faces");
    const user = await stack.resource("alice");
    expect(provider?.inputs?.["stackIdentity"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.outputs?.["scope"]).toBe(provider?.inputs?.["stackIdentity"]);
  });

  it("makes no change and no call when nothing changed", async () => {
    await callsSince(local);
    const result = await stack.up();
    expect(result.changes).toEqual({ same: 6 });
    expect(await callsSince(local)).toEqual({});
  });

  it("adds a photo: one face indexed and associated, nothing else touched", async () => {
    stack.writeYaml(program(["alice-1", "alice-2", "alice-3"], ["alice-1", "alice-2", "alice-3"]));
    // The preview shows alice's two faces kept and one face added, whose ID the new IndexedFace gives.
    const preview = stripAnsi((await stack.preview({ diff: true })).stdout);
    expect(preview).toMatch(/^\s*\+ faceIds\[2\]\s*: \[unknown\]$/m);
    expect(preview).not.toMatch(/^\s*- [0-9a-f-]{36}/m);
    await callsSince(local);
    const result = await stack.up();
    expect(result.changes).toMatchObject({ create: 1, update: 1 });
    const calls = await callsSince(local);
    expect(calls).toMatchObject({ IndexFaces: 1, AssociateFaces: 1 });
    expect(calls["DisassociateFaces"]).toBeUndefined();
    expect(await facesOfUser(local, collectionId, "alice")).toHaveLength(3);
    await expectStateMatchesService(stack, local, { type: associationType });
  });

  it("turns a face that does not match into a deployment error, and the state keeps the truth", async () => {
    // bob's face, indexed into alice's collection, declared as hers.
    const intruder = await indexInto(local, collectionId, "bob");
    stack.writeYaml(
      program(["alice-1", "alice-2", "alice-3"], ["alice-1", "alice-2", "alice-3", intruder], {
        threshold: 90,
      }),
    );
    const result = await stack.up({ expectFailure: true });
    expect(result.errors.join("\n")).toMatch(
      new RegExp(
        `${intruder}: LOW_MATCH_CONFIDENCE: it matches this user's faces at [0-9.]+, below userMatchThreshold 90`,
      ),
    );
    expect(result.errors.join("\n")).not.toMatch(/\n\s+at /);
    const state = (await stack.resource("alice-faces")).outputs!;
    expect(state["faceIds"]).toEqual(await facesOfUser(local, collectionId, "alice"));
    expect((state["failedFaces"] as { faceId: string }[]).map((f) => f.faceId)).toEqual([intruder]);
    await expectStateMatchesService(stack, local, { type: associationType });
  });

  it("refresh records a face disassociated outside the stack, and the next up restores it", async () => {
    stack.writeYaml(program(["alice-1", "alice-2", "alice-3"], ["alice-1", "alice-2", "alice-3"]));
    await stack.up();
    const before = await facesOfUser(local, collectionId, "alice");
    await local.client.send(
      new DisassociateFacesCommand({ CollectionId: collectionId, UserId: "alice", FaceIds: [before[0]!] }),
    );
    await stack.refresh();
    const refreshed = (await stack.resource("alice-faces")).outputs!;
    expect(refreshed["faceIds"]).toEqual(before.slice(1));
    await expectStateMatchesService(stack, local, { type: associationType });
    // The preview shows the face to associate again, and nothing else: no output recorded as an input.
    const preview = stripAnsi((await stack.preview({ diff: true })).stdout);
    expect(preview).toContain(`+ ${before[0]!}: true`);
    expect(preview).not.toMatch(/^\s*- /m);
    await callsSince(local);
    await stack.up();
    expect(await callsSince(local)).toMatchObject({ AssociateFaces: 1 });
    expect(await facesOfUser(local, collectionId, "alice")).toEqual(before);
  });

  it("imports users and associations made outside the stack, with no write, and the declaration previews with no change", async () => {
    const seeded = await seedRoster(local, "yaml-import", ["carol", "dave"], 2);
    for (const person of ["carol", "dave"])
      await associateOutOfBand(local, "yaml-import", person, seeded[person]!);
    await callsSince(local);
    for (const person of ["carol", "dave"]) {
      for (const [type, name] of [
        ["User", person],
        ["UserFaceAssociation", `${person}-faces`],
      ] as const) {
        const imported = await stack.pulumi([
          "import",
          `rekognition-faces:index:${type}`,
          name,
          `yaml-import/${person}`,
          "--yes",
          "--non-interactive",
        ]);
        expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      }
    }
    // A user that does not exist is named as such, with nothing imported.
    const missing = await stack.pulumi([
      "import",
      "rekognition-faces:index:User",
      "nobody",
      "yaml-import/nobody",
      "--yes",
      "--non-interactive",
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toContain("resource 'yaml-import/nobody' does not exist");
    expect(missing.stdout + missing.stderr).not.toContain("does not support importing");
    const calls = await callsSince(local);
    const writes = Object.keys(calls).filter((op) => !/^(List|Describe|Search|Get)/.test(op));
    expect(writes).toEqual([]);
    // A user with no face has no association to import.
    await local.client.send(new CreateUserCommand({ CollectionId: "yaml-import", UserId: "erin" }));
    const faceless = await stack.pulumi([
      "import",
      associationType,
      "erin-faces",
      "yaml-import/erin",
      "--yes",
      "--non-interactive",
    ]);
    expect(faceless.code).not.toBe(0);
    expect(faceless.stdout + faceless.stderr).toContain(
      "user 'erin' in collection 'yaml-import' holds no face: there is no association to import",
    );
    expect(await stack.resources(associationType)).toHaveLength(3);
    await local.client.send(new DeleteUserCommand({ CollectionId: "yaml-import", UserId: "erin" }));
    const users = await stack.resources("rekognition-faces:index:User");
    expect(users.map((u) => u.id).sort()).toEqual([
      "yaml-faces/alice",
      "yaml-import/carol",
      "yaml-import/dave",
    ]);
    const carol = (await stack.resource("carol-faces")).outputs!;
    expect(carol["faceIds"]).toEqual(sorted(seeded["carol"]!));

    // The documented declaration of what was imported.
    const declared: Resources = importedDeclaration;
    Object.assign(importedFaces, seeded);
    for (const person of ["carol", "dave"]) {
      declared[person] = {
        type: "rekognition-faces:index:User",
        properties: { collectionId: "yaml-import", userId: person, adopt: true },
      };
      declared[`${person}-faces`] = {
        type: associationType,
        properties: { collectionId: "yaml-import", userId: person, faceIds: seeded[person] },
      };
    }
    stack.writeYaml(
      program(["alice-1", "alice-2", "alice-3"], ["alice-1", "alice-2", "alice-3"], { more: declared }),
    );
    const preview = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    await expectStateMatchesService(stack, local, { type: associationType });
  });

  it("destroy removes what the stack created and keeps the users it imported, and the faces of an association retained", async () => {
    // An imported association is the stack's: a destroy disassociates its faces, unless retainOnDelete.
    const declared: Resources = {};
    for (const [name, resource] of Object.entries(importedDeclaration)) {
      const retained = name === "carol-faces" ? { retainOnDelete: true } : {};
      declared[name] = { ...resource, options: { protect: true, ...retained } };
    }
    stack.writeYaml(
      program(["alice-1", "alice-2", "alice-3"], ["alice-1", "alice-2", "alice-3"], { more: declared }),
    );
    await stack.up();
    // `pulumi import` protects what it imports: a destroy needs them unprotected first.
    const refused = await stack.destroy({ expectFailure: true });
    expect(refused.errors.join("\n")).toContain("protected");
    const kept = await stack.resources("rekognition-faces:index:User");
    expect(kept.map((u) => u.id).sort()).toEqual(["yaml-import/carol", "yaml-import/dave"]);
    const unprotected = await stack.pulumi(["state", "unprotect", "--all", "--yes", "--non-interactive"]);
    expect(unprotected.code, unprotected.stderr).toBe(0);
    await stack.destroy();
    await expect(
      local.client.send(new DescribeCollectionCommand({ CollectionId: collectionId })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    expect(await usersOf(local, "yaml-import")).toEqual(["carol", "dave"]);
    expect(await facesOfUser(local, "yaml-import", "carol")).toEqual(sorted(importedFaces["carol"]!));
    expect(await facesOfUser(local, "yaml-import", "dave")).toEqual([]);
    expect(await stack.resources()).toEqual([]);
  });
});

/** Indexes one portrait of `person` into the collection, returning its face ID. */
async function indexInto(local: LocalRekognition, collection: string, person: string): Promise<string> {
  const out = await local.client.send(
    new IndexFacesCommand({
      CollectionId: collection,
      Image: { Bytes: generatePortrait(person, 1) },
      MaxFaces: 1,
    }),
  );
  return out.FaceRecords![0]!.Face!.FaceId!;
}
