import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { describe, expect, it } from "vitest";
import { disassociate } from "../../provider/association/apply.js";

const f = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A client that answers every call with `response`, recording the inputs. */
function answering(response: object): { client: RekognitionClient; inputs: unknown[] } {
  const inputs: unknown[] = [];
  const client = {
    send: (command: { input: unknown }) => {
      inputs.push(command.input);
      return Promise.resolve(response);
    },
  } as unknown as RekognitionClient;
  return { client, inputs };
}

const target = (client: RekognitionClient) => ({
  client,
  collectionId: "c",
  userId: "u",
  userMatchThreshold: 75,
  lifetime: "l",
  attempt: "a",
});

describe("disassociate", () => {
  it("counts a face the service ignored (already disassociated) as released", async () => {
    // Another association released f(2) between our plan and our call.
    const { client } = answering({
      DisassociatedFaces: [{ FaceId: f(1) }],
      UnsuccessfulFaceDisassociations: [],
    });
    const outcome = await disassociate(target(client), [f(1), f(2)]);
    expect(outcome.done.sort()).toEqual([f(1), f(2)]);
    expect(outcome.failures).toEqual([]);
  });

  it("counts FACE_NOT_FOUND and another user's face as released, and reports other reasons", async () => {
    const { client } = answering({
      UnsuccessfulFaceDisassociations: [
        { FaceId: f(1), Reasons: ["FACE_NOT_FOUND"] },
        { FaceId: f(2), Reasons: ["ASSOCIATED_TO_A_DIFFERENT_USER"], UserId: "v" },
        { FaceId: f(3), Reasons: ["SOMETHING_NEW"] },
      ],
    });
    const outcome = await disassociate(target(client), [f(1), f(2), f(3)]);
    expect(outcome.done.sort()).toEqual([f(1), f(2)]);
    expect(outcome.failures).toEqual([{ faceId: f(3), reason: "SOMETHING_NEW" }]);
  });

  it("sends at most 100 face IDs a call", async () => {
    const { client, inputs } = answering({});
    const ids = Array.from({ length: 150 }, (_, i) => f(i));
    const outcome = await disassociate(target(client), ids);
    expect(inputs.map((input) => (input as { FaceIds: string[] }).FaceIds.length)).toEqual([100, 50]);
    expect(outcome.done).toHaveLength(150);
  });
});
