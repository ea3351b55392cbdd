import { describe, expect, it } from "vitest";
import { parsePhotoRef, planRoster, RosterError } from "../../provider/roster/plan.js";

const faceId = "35ebbb41-7f67-4b4f-bfee-1a2b3c4d5e6f";

describe("parsePhotoRef", () => {
  it("reads face IDs, s3:// URLs (with a version) and paths", () => {
    expect(parsePhotoRef(faceId.toUpperCase())).toEqual({ kind: "face", faceId });
    expect(parsePhotoRef("s3://bucket/people/a.jpg")).toEqual({
      kind: "photo",
      image: { s3: { bucket: "bucket", key: "people/a.jpg" } },
    });
    expect(parsePhotoRef("s3://bucket/a.jpg?versionId=v1")).toEqual({
      kind: "photo",
      image: { s3: { bucket: "bucket", key: "a.jpg", version: "v1" } },
    });
    expect(parsePhotoRef("photos/a.png")).toEqual({ kind: "photo", image: { path: "photos/a.png" } });
  });
});

describe("planRoster", () => {
  it("names each photo after the person and its entry alone", () => {
    const before = planRoster("team", { alice: ["a/1.png"] });
    const after = planRoster("team", { alice: ["a/1.png", "b/1.png"], bob: ["b.png", faceId] });
    expect(before[0]!.photos.map((p) => p.name)).toEqual(["team-alice-a/1.png"]);
    expect(after[0]!.photos.map((p) => p.name)).toEqual(["team-alice-a/1.png", "team-alice-b/1.png"]);
    expect(after[1]).toMatchObject({ userId: "bob", userName: "team-bob", faceIds: [faceId] });
    expect(after[1]!.photos.map((p) => p.name)).toEqual(["team-bob-b.png"]);
  });

  it("keeps the name earlier releases gave a photo (its file name, when unique) as its former name", () => {
    const [alice] = planRoster("team", {
      alice: ["2025/alice.png", "2026/alice.png", "s3://b/k/x.png?versionId=2", "y.png", faceId],
    });
    expect(alice!.photos).toEqual([
      { name: "team-alice-2025/alice.png", image: { path: "2025/alice.png" } },
      { name: "team-alice-2026/alice.png", image: { path: "2026/alice.png" } },
      {
        name: "team-alice-s3://b/k/x.png?versionId=2",
        image: { s3: { bucket: "b", key: "k/x.png", version: "2" } },
        formerName: "team-alice-x.png",
      },
      { name: "team-alice-y.png", image: { path: "y.png" } },
    ]);
  });

  it("gives no two photos the same name or former name", () => {
    const [alice] = planRoster("team", { alice: ["1.png", "a/1.png", "b/2.png", "c/3.png", "3.png/x"] });
    const names = alice!.photos.flatMap((p) => [p.name, ...(p.formerName ? [p.formerName] : [])]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("names every bad entry and its fix", () => {
    expect(() => planRoster("team", { "a b": ["x.png"], bob: [], carol: ["x.png", "x.png", 3] })).toThrow(
      RosterError,
    );
    try {
      planRoster("team", { "a b": ["x.png"], bob: [], carol: ["x.png", "x.png", 3] });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/people: the user ID 'a b' may contain only/);
      expect(message).toMatch(/people\.bob must be a non-empty list/);
      expect(message).toMatch(/people\.carol\[1\] repeats 'x\.png'/);
      expect(message).toMatch(/people\.carol\[2\] must be a photo path/);
    }
    expect(() => planRoster("team", ["alice"])).toThrow(/people must map each user ID/);
  });
});
