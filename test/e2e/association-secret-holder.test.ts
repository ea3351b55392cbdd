import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  facesOfUser,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";

const collectionId = "secret-holder";
// Distinctive enough that finding it anywhere in the output or the state is a leak.
const secretUser = "agent-q7x4k";
const header = 'import * as pulumi from "@pulumi/pulumi";\nimport * as rk from "pulumi-rekognition-faces";\n';

interface Exported {
  readonly deployment: { readonly resources: { urn: string; outputs?: Record<string, unknown> }[] };
}

/** The outputs of a resource in `pulumi stack export`'s text, by logical name. */
const outputsOf = (text: string, name: string): Record<string, unknown> =>
  (JSON.parse(text) as Exported).deployment.resources.find((r) => r.urn.endsWith(`::${name}`))?.outputs ?? {};

describe("A face held by a user whose ID is secret in its own declaration", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;

  const program = (aliceFaces: readonly string[]): string =>
    [
      header,
      `new rk.UserFaceAssociation("agent", { collectionId: "${collectionId}", userId: pulumi.secret("${secretUser}"), faceIds: ${JSON.stringify(faces[secretUser])} });`,
      `new rk.UserFaceAssociation("alice", { collectionId: "${collectionId}", userId: "alice", faceIds: ${JSON.stringify(aliceFaces)}, userMatchThreshold: 0 });`,
      "",
    ].join("\n");

  beforeAll(async () => {
    local = await startLocalRekognition();
    faces = await seedRoster(local, collectionId, ["alice", secretUser], 2);
    stack = await TestStack.on(local, "secret-holder", program([faces["alice"]![0]!]));
    await stack.up();
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("fails the face without printing the holder's ID, and records it only as a secret", async () => {
    const [a0] = faces["alice"]!;
    const [s0] = faces[secretUser]!;
    // Alice claims a face the secret user's declaration still holds: a real conflict.
    stack.writeProgram(program([a0!, s0!]));
    const result = await stack.up({ expectFailure: true });
    const message = result.errors.join("\n");
    expect(message).toContain(
      `${s0}: ASSOCIATED_TO_A_DIFFERENT_USER: it belongs to another user (its ID is secret)`,
    );
    expect(result.stdout).not.toContain(secretUser);
    expect(message).not.toContain(secretUser);

    const state = await stack.exportStateText();
    expect(state).not.toContain(secretUser);
    // The failure is recorded, sealed: the decrypted state still names the holder.
    expect(outputsOf(state, "alice")["failedFaces"]).toHaveProperty("ciphertext");
    const plain = outputsOf((await stack.pulumi(["stack", "export", "--show-secrets"])).stdout, "alice");
    const failed = plain["failedFaces"] as { plaintext: string };
    expect(JSON.parse(failed.plaintext)).toEqual([
      { faceId: s0, reason: "ASSOCIATED_TO_A_DIFFERENT_USER", otherUserId: secretUser },
    ]);

    expect(await facesOfUser(local, collectionId, "alice")).toEqual([a0!]);
    expect(await facesOfUser(local, collectionId, secretUser)).toContain(s0!);
    expect(plain["faceIds"]).toEqual([a0!]);
  });
});
