import { describe, expect, it } from "vitest";
import { faceSet, type AssociationState } from "../../provider/association/model.js";
import { batches, requestToken } from "../../provider/association/apply.js";
import {
  diffAssociation,
  managedFaces,
  planFaceChange,
  refreshedFaces,
  sameFaces,
} from "../../provider/association/plan.js";
import { describeFaceFailure } from "../../provider/association/report.js";
import { checkAssociation } from "../../provider/association/validate.js";
import { readAwsSettings } from "../../provider/aws/settings.js";
import { unknownValue } from "../../provider/unknown.js";

const f = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const state = (faces: string[], extra: Partial<AssociationState> = {}): AssociationState => ({
  collectionId: "c",
  userId: "u",
  faces: faceSet(faces),
  faceIds: [...faces].sort(),
  userMatchThreshold: 75,
  exclusive: false,
  waitForActive: true,
  activeTimeoutSeconds: 300,
  sensitive: { faceIds: false, userId: false },
  userStatus: "ACTIVE",
  failedFaces: [],
  revision: 1,
  lifetime: "l1",
  ...extra,
});

describe("checkAssociation", () => {
  it("normalizes faceIds into a set, lower-cased, whatever the order", () => {
    const a = checkAssociation({ collectionId: "c", userId: "u", faceIds: [f(2), f(1).toUpperCase()] });
    const b = checkAssociation({ collectionId: "c", userId: "u", faceIds: [f(1), f(2)] });
    expect(a.failures).toEqual([]);
    expect(a.inputs.faces).toEqual(b.inputs.faces);
    expect(a.inputs).toMatchObject({ userMatchThreshold: 75, exclusive: false, waitForActive: true });
  });

  it("names the field and the fix for each problem", () => {
    const { failures } = checkAssociation({
      collectionId: "",
      userId: "bad user",
      faceIds: [f(1), f(1), "nope"],
      userMatchThreshold: -1,
      exclusive: "yes",
    });
    expect(failures.map((x) => x.property)).toEqual([
      "collectionId",
      "userId",
      "faceIds",
      "faceIds",
      "userMatchThreshold",
      "exclusive",
    ]);
    expect(failures[0]!.reason).toMatch(/collectionId must be 1–255 characters long/);
    expect(failures[2]!.reason).toMatch(/faceIds lists .* more than once/);
    expect(failures[3]!.reason).toMatch(/faceIds\[2\] is 'nope', not a Rekognition face ID/);
  });

  it("keeps unknown values unknown instead of failing", () => {
    const { inputs, failures } = checkAssociation({
      collectionId: unknownValue,
      userId: "u",
      faceIds: [f(1), unknownValue],
    });
    expect(failures).toEqual([]);
    expect(inputs.collectionId).toBe(unknownValue);
    // The known face stays a member; the one not known yet is one member added, not the whole set unknown.
    expect(inputs.faces).toEqual({ [f(1)]: true, "faceIds[1]": unknownValue });
    expect(checkAssociation({ collectionId: "c", userId: "u", faceIds: unknownValue }).inputs.faces).toBe(
      unknownValue,
    );
  });
  it("sees a set with a member not known yet as a change, never as the same set", () => {
    const pending = checkAssociation({
      collectionId: "c",
      userId: "u",
      faceIds: [f(1), unknownValue],
    }).inputs;
    expect(diffAssociation(state([f(1)]), pending).changes).toBe(true);
    expect(diffAssociation(state([f(1), f(2)]), pending).changes).toBe(true);
  });
});

describe("diffAssociation", () => {
  const news = (faces: string[], extra: Record<string, unknown> = {}) =>
    checkAssociation({ collectionId: "c", userId: "u", faceIds: faces, ...extra }).inputs;

  it("sees no change for the same set", () => {
    expect(diffAssociation(state([f(1), f(2)]), news([f(2), f(1)])).changes).toBe(false);
  });
  it("updates for a new face, a new threshold or exclusive mode", () => {
    expect(diffAssociation(state([f(1)]), news([f(1), f(2)])).changes).toBe(true);
    expect(diffAssociation(state([f(1)]), news([f(1)], { userMatchThreshold: 90 }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(diffAssociation(state([f(1)]), news([f(1)], { exclusive: true })).changes).toBe(true);
  });
  it("replaces, deleting first, when the user or collection changes", () => {
    expect(diffAssociation(state([f(1)]), news([f(1)], { userId: "v" }))).toEqual({
      changes: true,
      replaces: ["userId"],
      deleteBeforeReplace: true,
    });
  });
  it("treats unknown faces as a change", () => {
    expect(diffAssociation(state([f(1)]), { ...news([f(1)]), faces: unknownValue as never }).changes).toBe(
      true,
    );
    expect(sameFaces(faceSet([f(1)]), unknownValue as never)).toBe(false);
  });
});

describe("planFaceChange", () => {
  it("associates what is new and disassociates what is gone", () => {
    expect(planFaceChange(faceSet([f(1), f(2)]), faceSet([f(2), f(3)]))).toEqual({
      associate: [f(3)],
      disassociate: [f(1)],
    });
  });
  it("from the live set (exclusive mode), also removes faces associated another way", () => {
    expect(planFaceChange(faceSet([f(1), f(9)]), faceSet([f(1)]))).toEqual({
      associate: [],
      disassociate: [f(9)],
    });
  });
  it("batches at 100 face IDs per call", () => {
    const ids = Array.from({ length: 250 }, (_, i) => f(i));
    expect(batches(ids).map((b) => b.length)).toEqual([100, 100, 50]);
  });
});

describe("requestToken", () => {
  const target = { collectionId: "c", userId: "u", lifetime: "l1", attempt: "a1", userMatchThreshold: 75 };
  it("is the same for the SDK's retries of one call", () => {
    const token = requestToken("associate", target, [f(1)]);
    expect(token).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(requestToken("associate", target, [f(1)])).toBe(token);
  });
  it("is never sent again with another request, nor by a later apply", () => {
    const token = requestToken("associate", target, [f(1)]);
    expect(requestToken("associate", { ...target, userMatchThreshold: 90 }, [f(1)])).not.toBe(token);
    expect(requestToken("associate", target, [f(1), f(2)])).not.toBe(token);
    expect(requestToken("associate", { ...target, attempt: "a2" }, [f(1)])).not.toBe(token);
    expect(requestToken("associate", { ...target, lifetime: "l2" }, [f(1)])).not.toBe(token);
    expect(requestToken("disassociate", target, [f(1)])).not.toBe(token);
  });
});

describe("managed and observed faces", () => {
  it("keeps faces found another way in exclusive mode as observed, never as managed", () => {
    const recorded = { faces: faceSet([f(1), f(2)]), observedFaces: [], pendingFaces: [], exclusive: true };
    const refreshed = refreshedFaces(recorded, [f(1), f(3)]);
    expect(refreshed.faceIds).toEqual([f(1)]);
    expect(refreshed.observedFaces).toEqual([f(3)]);
    expect(Object.keys(refreshed.faces).sort()).toEqual([f(1), f(3)]);
    expect(Object.keys(managedFaces(refreshed))).toEqual([f(1)]);
  });
  it("records nothing of other faces in additive mode", () => {
    const recorded = { faces: faceSet([f(1), f(2)]), exclusive: false };
    expect(refreshedFaces(recorded, [f(1), f(3)])).toMatchObject({ faceIds: [f(1)], observedFaces: [] });
  });
  it("settles unsettled faces by what the service lists", () => {
    const recorded = { faces: faceSet([f(1)]), pendingFaces: [f(2), f(3)], exclusive: false };
    expect(refreshedFaces(recorded, [f(1), f(2)])).toMatchObject({ faceIds: [f(1), f(2)], pendingFaces: [] });
  });
  it("plans to settle unsettled faces either way", () => {
    expect(planFaceChange(faceSet([f(1)]), faceSet([f(1), f(2)]), [f(2), f(3)])).toEqual({
      associate: [f(2)],
      disassociate: [f(3)],
    });
  });
  it("sees unsettled faces and an unfinished wait as work to do", () => {
    const news = { ...state([f(1)]) };
    expect(diffAssociation(state([f(1)], { pendingFaces: [f(2)] }), news).changes).toBe(true);
    expect(diffAssociation(state([f(1)], { awaitingActive: true }), news).changes).toBe(true);
    expect(diffAssociation(state([f(1)]), news).changes).toBe(false);
  });
});

describe("describeFaceFailure", () => {
  it("passes an unknown reason through verbatim", () => {
    expect(describeFaceFailure({ faceId: f(1), reason: "SOMETHING_NEW" }, 75)).toBe(
      `${f(1)}: SOMETHING_NEW (reported by Rekognition)`,
    );
  });
});

describe("readAwsSettings", () => {
  const source = (values: Record<string, string>) => ({ get: (k: string) => values[k] });
  it("reads the keys @pulumi/aws uses", () => {
    expect(
      readAwsSettings(
        source({
          "aws:region": "eu-west-1",
          "aws:profile": "dev",
          "aws:endpoints": JSON.stringify([{ s3: "http://s3" }, { rekognition: "http://127.0.0.1:4599" }]),
          "aws:maxRetries": "4",
        }),
      ),
    ).toEqual({
      region: "eu-west-1",
      profile: "dev",
      endpoint: "http://127.0.0.1:4599",
      s3Endpoint: "http://s3",
      maxAttempts: 5,
      rateLimits: { default: 0 },
    });
  });
  it("defaults to the SDK's chain with ten attempts", () => {
    expect(readAwsSettings(source({}))).toEqual({ maxAttempts: 10 });
  });
  it("rejects an endpoints value that is not a list", () => {
    expect(() => readAwsSettings(source({ "aws:endpoints": "http://x" }))).toThrow(
      /aws:endpoints must be a list/,
    );
  });
});
