import { afterEach, describe, expect, it } from "vitest";
import { claimSecretUser, isUserSecret, resetClaims } from "../../provider/runtime/claims.js";
import { closings, failureSummary } from "../../provider/association/report.js";

const face = "00000000-0000-4000-8000-000000000007";
const held = {
  collectionId: "staff",
  userId: "alice",
  userMatchThreshold: 75,
  associate: {
    attempted: 1,
    failures: [{ faceId: face, reason: "ASSOCIATED_TO_A_DIFFERENT_USER", otherUserId: "agent-x9" }],
  },
  disassociate: { attempted: 0, failures: [] },
};

describe("a face held by a user whose ID is secret in its own declaration", () => {
  afterEach(() => resetClaims());

  it("is reported without the holder's ID, still naming the face, the reason and the fix", () => {
    const text = failureSummary({ ...held, holders: { isSecret: (u) => u === "agent-x9" } }, closings.apply);
    expect(text).not.toContain("agent-x9");
    expect(text).toContain(
      `${face}: ASSOCIATED_TO_A_DIFFERENT_USER: it belongs to another user (its ID is secret)`,
    );
    expect(text).toMatch(/remove it from that user's association first, or from this one/);
  });

  it("names a holder that no declaration marks secret", () => {
    const text = failureSummary({ ...held, holders: { isSecret: () => false } }, closings.apply);
    expect(text).toContain("it belongs to user 'agent-x9'");
  });

  it("says the next up completes a move when the holder's declaration had not arrived", () => {
    const late = failureSummary({ ...held, holders: { isDeclared: () => false } }, closings.apply);
    expect(late).toMatch(
      /had not arrived yet \(it waits on another resource\), and the next `pulumi up` completes the move/,
    );
    const declared = failureSummary({ ...held, holders: { isDeclared: () => true } }, closings.apply);
    expect(declared).not.toMatch(/completes the move/);
  });

  it("is secret per collection and user, as the declarations of this deployment claim", () => {
    claimSecretUser("staff", "agent-x9");
    expect(isUserSecret("staff", "agent-x9")).toBe(true);
    expect(isUserSecret("other", "agent-x9")).toBe(false);
    expect(isUserSecret("staff", "bob")).toBe(false);
  });
});
