import { describe, expect, it } from "vitest";
import { closings, failureSummary, interruptedMessage } from "../../provider/association/report.js";

const f = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const change = {
  collectionId: "staff",
  userId: "alice",
  userMatchThreshold: 75,
  associate: { attempted: 0, failures: [] },
  disassociate: { attempted: 0, failures: [] },
};

describe("the words a user reads", () => {
  it("words a failed disassociation as one, and promises on delete only what delete can do", () => {
    const text = failureSummary(
      { ...change, disassociate: { attempted: 2, failures: [{ faceId: f(1), reason: "SOMETHING_NEW" }] } },
      closings.delete,
    );
    expect(text).toMatch(
      /^1 of 2 face\(s\) could not be disassociated from user 'alice' in collection 'staff':/,
    );
    expect(text).not.toMatch(/associated with user/);
    expect(text).toMatch(/`pulumi up` or `pulumi destroy` tries again/);
    expect(text).not.toMatch(/retries only/);
  });

  it("reports associations and disassociations in sections of their own", () => {
    const text = failureSummary(
      {
        ...change,
        associate: { attempted: 1, failures: [{ faceId: f(2), reason: "FACE_NOT_FOUND" }] },
        disassociate: { attempted: 1, failures: [{ faceId: f(3), reason: "SOMETHING_NEW" }] },
      },
      closings.apply,
    );
    expect(text.split("\n").filter((l) => /^1 of 1/.test(l))).toEqual([
      "1 of 1 face(s) could not be associated with user 'alice' in collection 'staff':",
      "1 of 1 face(s) could not be disassociated from user 'alice' in collection 'staff':",
    ]);
  });

  it("names the holder the service reports, whatever the reason string", () => {
    const text = failureSummary(
      {
        ...change,
        associate: {
          attempted: 1,
          failures: [{ faceId: f(4), reason: "ASSOCIATED_TO_A_DIFFERENT_IDENTITY", otherUserId: "bob" }],
        },
      },
      closings.apply,
    );
    expect(text).toContain(`${f(4)}: ASSOCIATED_TO_A_DIFFERENT_IDENTITY: it belongs to user 'bob'`);
  });

  it("names the permissions to grant when a call was denied, and what the state holds", () => {
    const denied = Object.assign(
      new Error("User: x is not authorized to perform: rekognition:AssociateFaces"),
      {
        name: "AccessDeniedException",
      },
    );
    const text = interruptedMessage({
      collectionId: "staff",
      userId: "alice",
      cause: denied,
      associated: 0,
      disassociated: 1,
      unsettled: 0,
      readBack: true,
    });
    expect(text).toMatch(/grant the credentials rekognition:AssociateFaces/);
    expect(text).toMatch(/0 face\(s\) were associated and 1 disassociated/);
    expect(text).toMatch(/as Rekognition lists them now/);
    expect(text).toMatch(/in collection 'staff' failed part-way: /);
  });

  it("says a change failed, not that it failed part-way, when nothing was done before", () => {
    const text = interruptedMessage({
      collectionId: "staff",
      userId: "alice",
      cause: Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
      associated: 0,
      disassociated: 0,
      unsettled: 0,
      readBack: false,
    });
    expect(text).toMatch(/^changing the faces of user 'alice' in collection 'staff' failed: Could not load/);
  });
});
