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
  it("names resources after the person and the photo only", () => {
    const before = planRoster("team", { alice: ["a/1.png", "a/2.png"] });
    const after = planRoster("team", { alice: ["a/0.png", "a/2.png"], bob: ["b.png", faceId] });
    expect(before[0]!.photos.map((p) => p.name)).toEqual(["team-alice-1.png", "team-alice-2.png"]);
    expect(after[0]!.photos.map((p) => p.name)).toContain("team-alice-2.png");
    expect(after[1]).toMatchObject({ userId: "bob", userName: "team-bob", faceIds: [faceId] });
  });

  it("keeps the whole entry in the name when two photos share a file name", () => {
    const [alice] = planRoster("team", { alice: ["2025/alice.png", "2026/alice.png", "s3://b/k/x.png"] });
    expect(alice!.photos.map((p) => p.name)).toEqual([
      "team-alice-2025/alice.png",
      "team-alice-2026/alice.png",
      "team-alice-x.png",
    ]);
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
