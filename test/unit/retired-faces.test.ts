import { describe, expect, it } from "vitest";
import { deletedFaces, facesToDelete, releasedFaces } from "../../provider/retired/plan.js";
import { checkRetiredFaces } from "../../provider/retired/validate.js";

const face = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("RetiredFaces: what to delete", () => {
  it("deletes everything it is given the first time", () => {
    expect(facesToDelete(undefined, [face(1), face(2)])).toEqual([face(1), face(2)]);
  });

  it("deletes the new faces and those a failed deletion left, never a face it deleted before", () => {
    const recorded = { collectionId: "c", faces: [face(1), face(2), face(3)], remaining: [face(3)] };
    expect(facesToDelete(recorded, [face(1), face(2), face(3), face(4)])).toEqual([face(3), face(4)]);
    expect(deletedFaces(recorded)).toEqual([face(1), face(2)]);
  });

  it("asks nothing when the shards stop listing faces it deleted (they saw them gone)", () => {
    const recorded = { collectionId: "c", faces: [face(1), face(2)], remaining: [] };
    expect(facesToDelete(recorded, [face(2)])).toEqual([]);
    expect(facesToDelete(recorded, [])).toEqual([]);
  });
});

describe("RetiredFaces: faces left to a holder", () => {
  it("never deletes or counts as deleted a face it released, and forgets it once no shard lists it", () => {
    const recorded = { collectionId: "c", faces: [face(1), face(2)], remaining: [], released: [face(2)] };
    expect(deletedFaces(recorded)).toEqual([face(1)]);
    expect(facesToDelete(recorded, [face(1), face(2)])).toEqual([]);
    expect(releasedFaces(recorded, [face(1), face(2), face(3)], [face(3)])).toEqual([face(2), face(3)]);
    expect(releasedFaces(recorded, [face(1)], [])).toEqual([]);
  });
});

describe("RetiredFaces: its inputs", () => {
  it("takes the shards' lists as one sorted list, each face once", () => {
    const { inputs, failures } = checkRetiredFaces({ collectionId: "c", faces: [face(2), face(1), face(2)] });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ collectionId: "c", faces: [face(1), face(2)] });
  });

  it("names the input and the fix for what is not a face ID", () => {
    const { failures } = checkRetiredFaces({ collectionId: "c", faces: [face(1), "bob"] });
    expect(failures).toEqual([
      {
        property: "faces",
        reason: "faces lists 'bob', not a Rekognition face ID: pass the shards' handedOver outputs",
      },
    ]);
    expect(checkRetiredFaces({ collectionId: "c", faces: "x" }).failures[0]!.property).toBe("faces");
    expect(checkRetiredFaces({ collectionId: "c", faces: [], extra: 1 }).failures[0]!.property).toBe("extra");
  });
});
