import { describe, expect, it } from "vitest";
import { deletesOnDestroy } from "../../provider/adoption/ownership.js";
import { lifetimeToken } from "../../provider/idempotency.js";
import type { CollectionState } from "../../provider/collection/model.js";
import { diffCollection, tagChange } from "../../provider/collection/plan.js";
import { checkCollection } from "../../provider/collection/validate.js";
import type { UserState } from "../../provider/user/model.js";
import { diffUser } from "../../provider/user/plan.js";
import { checkUser } from "../../provider/user/validate.js";
import { unknownValue } from "../../provider/unknown.js";

const user: UserState = {
  collectionId: "c",
  userId: "alice",
  adopt: false,
  userStatus: "CREATED",
  origin: "created",
  lifetime: "l",
};

describe("ownership", () => {
  it("deletes what was created, keeps what was adopted, unless told otherwise", () => {
    expect(deletesOnDestroy("created", undefined)).toBe(true);
    expect(deletesOnDestroy("adopted", undefined)).toBe(false);
    expect(deletesOnDestroy("adopted", true)).toBe(true);
    expect(deletesOnDestroy("created", false)).toBe(false);
  });

  it("derives tokens from the call and the lifetime", () => {
    const token = lifetimeToken("create-user", "l1", "c", "alice");
    expect(token).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(lifetimeToken("create-user", "l1", "c", "alice")).toBe(token);
    expect(lifetimeToken("create-user", "l2", "c", "alice")).not.toBe(token);
    expect(lifetimeToken("delete-user", "l1", "c", "alice")).not.toBe(token);
  });
});

describe("User", () => {
  it("checks IDs and flags, naming the field", () => {
    expect(checkUser({ collectionId: "c", userId: "alice" })).toEqual({
      inputs: { collectionId: "c", userId: "alice", adopt: false },
      failures: [],
    });
    const { failures } = checkUser({ collectionId: "c", userId: "a b", adopt: "yes" });
    expect(failures.map((f) => f.property)).toEqual(["userId", "adopt"]);
    expect(checkUser({ collectionId: unknownValue, userId: "alice" }).failures).toEqual([]);
  });

  it("replaces on another identity and updates only for deleteOnDestroy", () => {
    expect(diffUser(user, { collectionId: "c", userId: "bob", adopt: false }).replaces).toEqual(["userId"]);
    expect(diffUser(user, { collectionId: unknownValue, userId: "alice", adopt: false }).replaces).toEqual([
      "collectionId",
    ]);
    expect(diffUser(user, { collectionId: "c", userId: "alice", adopt: true })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(
      diffUser(user, { collectionId: "c", userId: "alice", adopt: false, deleteOnDestroy: false }).changes,
    ).toBe(true);
  });
});

describe("Collection", () => {
  const collection: CollectionState = {
    collectionId: "c",
    tags: { team: "a", old: "x" },
    adopt: false,
    arn: "arn",
    faceModelVersion: "7.0",
    faceCount: 0,
    userCount: 0,
    origin: "created",
  };

  it("checks tags, naming the field", () => {
    expect(checkCollection({ collectionId: "c", tags: { team: 3 } }).failures[0]).toMatchObject({
      property: "tags",
    });
    expect(checkCollection({ collectionId: "c", tags: ["x"] }).failures[0]?.reason).toMatch(
      /map of tag names/,
    );
    expect(checkCollection({ collectionId: "c" }).inputs.tags).toEqual({});
  });

  it("plans tag changes in place and replaces on another ID", () => {
    expect(tagChange(collection.tags, { team: "b", added: "y" })).toEqual({
      tag: { team: "b", added: "y" },
      untag: ["old"],
    });
    expect(
      diffCollection(collection, { collectionId: "c", tags: collection.tags, adopt: true }).changes,
    ).toBe(false);
    expect(diffCollection(collection, { collectionId: "c", tags: {}, adopt: false })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(
      diffCollection(collection, { collectionId: "d", tags: collection.tags, adopt: false }).replaces,
    ).toEqual(["collectionId"]);
  });
});
