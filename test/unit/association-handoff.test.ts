import type { RekognitionClient } from "@aws-sdk/client-rekognition";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { associate } from "../../provider/association/apply.js";
import { announceRelease } from "../../provider/runtime/handoff.js";
import { claimFaces, resetClaims } from "../../provider/runtime/claims.js";

const f = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A client that answers AssociateFaces from a script, and records every call. */
function scripted(answers: Record<string, object[]>): { client: RekognitionClient; calls: string[] } {
  const calls: string[] = [];
  const client = {
    send: (command: { constructor: { name: string }; input: { UserId?: string } }) => {
      const name = command.constructor.name.replace(/Command$/, "");
      calls.push(`${name}:${command.input.UserId ?? ""}`);
      const queue = answers[name] ?? [];
      return Promise.resolve(queue.shift() ?? {});
    },
  } as unknown as RekognitionClient;
  return { client, calls };
}

const target = (client: RekognitionClient) => ({
  client,
  collectionId: "c",
  userId: "alice",
  userMatchThreshold: 75,
  lifetime: "l",
  attempt: "a",
});

describe("associate: faces held by another user", () => {
  beforeEach(() => resetClaims());

  it("takes a face over when its holder's declaration gives it up, whatever the reason string says", async () => {
    announceRelease("c", "bob", [f(1)]);
    const { client, calls } = scripted({
      // The developer guide's own sample names the holder this way.
      AssociateFaces: [
        {
          UnsuccessfulFaceAssociations: [
            { FaceId: f(1), UserId: "bob", Reasons: ["ASSOCIATED_TO_A_DIFFERENT_IDENTITY"] },
          ],
        },
        { AssociatedFaces: [{ FaceId: f(1) }] },
      ],
      DisassociateFaces: [{ DisassociatedFaces: [{ FaceId: f(1) }] }],
    });
    const outcome = await associate(target(client), [f(1)]);
    expect(outcome.done).toEqual([f(1)]);
    expect(outcome.failures).toEqual([]);
    expect(calls).toEqual(["AssociateFaces:alice", "DisassociateFaces:bob", "AssociateFaces:alice"]);
  });

  it("reports at once a face whose holder's declaration still claims it", async () => {
    claimFaces("c", "carol", [f(2)]);
    const { client, calls } = scripted({
      AssociateFaces: [
        {
          UnsuccessfulFaceAssociations: [
            { FaceId: f(2), UserId: "carol", Reasons: ["ASSOCIATED_TO_A_DIFFERENT_USER"] },
          ],
        },
      ],
    });
    const outcome = await associate(target(client), [f(2)]);
    expect(outcome.failures).toEqual([
      { faceId: f(2), reason: "ASSOCIATED_TO_A_DIFFERENT_USER", otherUserId: "carol" },
    ]);
    expect(calls).toEqual(["AssociateFaces:alice"]);
  });

  it(
    "does not wait for a holder this deployment never declared once nothing else is running",
    { timeout: 5_000 },
    async () => {
      const { client } = scripted({
        AssociateFaces: [
          {
            UnsuccessfulFaceAssociations: [
              { FaceId: f(3), UserId: "dan", Reasons: ["ASSOCIATED_TO_A_DIFFERENT_USER"] },
            ],
          },
        ],
      });
      // Settles from the deployment's quiet, not a fixed wait: no check has
      // arrived and no other operation runs in this process. With the clock
      // stopped, any timed wait would never end and the test would time out.
      vi.useFakeTimers();
      try {
        const outcome = await associate(target(client), [f(3)]);
        expect(outcome.failures.map((x) => x.otherUserId)).toEqual(["dan"]);
      } finally {
        vi.useRealTimers();
      }
    },
  );
});
