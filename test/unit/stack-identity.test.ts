import { describe, expect, it } from "vitest";
import { provider } from "../../provider/dynamic/stack-identity.js";
import { scopeDigest, stackUserToken } from "../../provider/scope.js";

describe("the stack's identity", () => {
  it("is a new random ID for each stack that creates one", async () => {
    const first = await provider.create({});
    const second = await provider.create({});
    expect(first.outs?.["stackId"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(first.id).toBe(first.outs?.["stackId"]);
    expect(second.outs?.["stackId"]).not.toBe(first.outs?.["stackId"]);
  });

  it("never changes once recorded: no diff, and refresh and update keep it", async () => {
    const recorded = { stackId: "0b6f1f3e-3c38-4f8e-9a57-2f1e7a0e1c11" };
    expect(await provider.diff(recorded.stackId, recorded, {})).toEqual({ changes: false });
    expect(await provider.read(recorded.stackId, recorded)).toEqual({
      id: recorded.stackId,
      props: recorded,
    });
    expect(await provider.update(recorded.stackId, recorded, {})).toEqual({ outs: recorded });
  });

  it("makes the CreateUser token and the owner mark differ between stacks, and repeat within one", () => {
    const [a, b] = ["0b6f1f3e-3c38-4f8e-9a57-2f1e7a0e1c11", "7d1c2a90-55e2-4b0a-8f0e-6a4a1b2c3d4e"];
    expect(stackUserToken(a, "staff", "ana")).toBe(stackUserToken(a, "staff", "ana"));
    expect(stackUserToken(a, "staff", "ana")).not.toBe(stackUserToken(b, "staff", "ana"));
    expect(scopeDigest(a)).not.toBe(scopeDigest(b));
    // Not the mark a stack of the release before the identity wrote from its names.
    expect(scopeDigest(a)).not.toBe(scopeDigest("organization/staff/dev"));
  });
});
