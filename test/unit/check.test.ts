import { describe, expect, it } from "vitest";
import { checkAssociation } from "../../provider/association/validate.js";
import { closest, editDistance, InputChecker, withSecretsHidden } from "../../provider/check.js";
import { checkCollection } from "../../provider/collection/validate.js";
import { checkUser } from "../../provider/user/validate.js";
import { redact, secretInputs } from "../../provider/sealing.js";

const faceId = "35ebbb41-7f67-4b4f-bfee-1a2b3c4d5e6f";
const reasons = (failures: { property: string; reason: string }[]): string[] =>
  failures.map((f) => `${f.property}: ${f.reason}`);

describe("editDistance and closest", () => {
  it("count insertions, deletions and substitutions", () => {
    expect(editDistance("exclusve", "exclusive")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("pick the nearest candidate, ignoring case", () => {
    expect(closest("exclusve", ["collectionId", "userId", "exclusive", "waitForActive"])).toBe("exclusive");
    expect(closest("CollectionID", ["userId", "collectionId"])).toBe("collectionId");
    expect(closest("imagePath", ["collectionId", "image", "externalImageId", "qualityFilter"])).toBe("image");
  });
});

describe("InputChecker.onlyKeys", () => {
  it("lets the engine's serialized provider through and names each stranger", () => {
    const check = new InputChecker({ a: 1, __provider: "…", abd: 2, zzz: 3 });
    check.onlyKeys(["a", "abc"]);
    expect(reasons(check.failures)).toEqual([
      "abd: 'abd' is not an input: did you mean 'abc'? (the inputs: a, abc): rename or remove it",
      "zzz: 'zzz' is not an input: did you mean 'a'? (the inputs: a, abc): rename or remove it",
    ]);
  });
});

describe("every resource rejects an input it does not take", () => {
  it("UserFaceAssociation", () => {
    const { failures } = checkAssociation({
      collectionId: "c",
      userId: "u",
      faceIds: [faceId],
      exclusve: true,
      __provider: "…",
    });
    // The optional inputs are listed from the model's defaults, so the list grows with them.
    expect(reasons(failures)).toHaveLength(1);
    expect(reasons(failures)[0]).toMatch(
      /^exclusve: 'exclusve' is not an input: did you mean 'exclusive'\? \(the inputs: collectionId, userId, faceIds, .*exclusive.*\): rename or remove it$/,
    );
    const every = { userMatchThreshold: 80, exclusive: true, waitForActive: false, activeTimeoutSeconds: 5 };
    expect(
      checkAssociation({ collectionId: "c", userId: "u", faceIds: [faceId], ...every }).failures,
    ).toEqual([]);
  });

  it("User", () => {
    expect(reasons(checkUser({ collectionId: "c", userId: "u", adpot: true }).failures)).toEqual([
      "adpot: 'adpot' is not an input: did you mean 'adopt'? " +
        "(the inputs: collectionId, userId, adopt, deleteOnDestroy): rename or remove it",
    ]);
    const every = { collectionId: "c", userId: "u", adopt: true, deleteOnDestroy: false };
    expect(checkUser(every).failures).toEqual([]);
  });

  it("Collection", () => {
    expect(reasons(checkCollection({ collectionId: "c", tag: { team: "a" } }).failures)).toEqual([
      "tag: 'tag' is not an input: did you mean 'tags'? " +
        "(the inputs: collectionId, tags, adopt, deleteOnDestroy): rename or remove it",
    ]);
    const every = { collectionId: "c", tags: { team: "a" }, adopt: true, deleteOnDestroy: false };
    expect(checkCollection(every).failures).toEqual([]);
  });
});

describe("withSecretsHidden", () => {
  const failures = [
    { property: "userId", reason: "userId 'zebra 42' has a space: choose another" },
    { property: "exclusive", reason: "exclusive must be true or false, got 'zebra 42'" },
  ];
  const hide = (reason: string): string => redact(reason, ["zebra 42"]);

  it("moves a secret input's failure onto the resource and hides its value in every reason", () => {
    expect(withSecretsHidden(failures, secretInputs({ userId: true, faceIds: false }), hide)).toEqual([
      { property: "", reason: "userId '[secret]' has a space: choose another" },
      { property: "exclusive", reason: "exclusive must be true or false, got '[secret]'" },
    ]);
  });

  it("leaves a failure on its property when nothing is secret", () => {
    expect(secretInputs(undefined)).toEqual([]);
    expect(withSecretsHidden(failures, secretInputs({ userId: false, faceIds: false }), (r) => r)).toEqual(
      failures,
    );
  });
});
