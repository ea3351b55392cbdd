import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadManifest, rosterPeople } from "../../provider/roster/manifest.js";
import { planRoster, RosterError } from "../../provider/roster/plan.js";

const faceId = "35ebbb41-7f67-4b4f-bfee-1a2b3c4d5e6f";
const stackDir = mkdtempSync(join(tmpdir(), "roster-manifest-"));
afterAll(() => rmSync(stackDir, { recursive: true, force: true }));

/** Writes a manifest under the stack folder and returns its path relative to it. */
function manifest(path: string, text: string): string {
  mkdirSync(dirname(join(stackDir, path)), { recursive: true });
  writeFileSync(join(stackDir, path), text);
  return path;
}

const load = (path: string): Record<string, string[]> => loadManifest("team", path, stackDir);

/** The message a manifest fails with (the test fails if it loads). */
function failure(path: string): string {
  try {
    load(path);
  } catch (err) {
    expect(err).toBeInstanceOf(RosterError);
    return (err as Error).message;
  }
  throw new Error(`${path} loaded`);
}

/** The inline roster every well-formed manifest below declares. */
const inline = {
  alice: ["photos/alice-1.png", "s3://bucket/alice-2.jpg?versionId=v1", faceId],
  bob: ["photos/bob-1.png"],
};

describe("manifest formats: the same people as the inline declaration", () => {
  it("reads YAML mapping user IDs to photos", () => {
    const path = manifest(
      "yaml/map.yaml",
      [
        "# the team",
        "people:",
        "  alice:",
        "    - ../photos/alice-1.png",
        "    - s3://bucket/alice-2.jpg?versionId=v1",
        `    - ${faceId}`,
        "  bob: [../photos/bob-1.png]",
      ].join("\n"),
    );
    expect(load(path)).toEqual(inline);
  });

  it("reads a YAML list of { userId, photos }, at the top or under people, with .yml", () => {
    const entries = [
      "- userId: alice",
      "  photos: [photos/alice-1.png, 's3://bucket/alice-2.jpg?versionId=v1', " + faceId + "]",
      "- userId: bob",
      "  photos: [photos/bob-1.png]",
    ];
    expect(load(manifest("list.yml", entries.join("\n")))).toEqual(inline);
    expect(load(manifest("under.yaml", ["people:", ...entries.map((l) => `  ${l}`)].join("\n")))).toEqual(
      inline,
    );
  });

  it("keeps YAML scalars as text: user ID 007 stays '007'", () => {
    expect(load(manifest("bond.yaml", "people:\n  007: [photos/bond.png]\n"))).toEqual({
      "007": ["photos/bond.png"],
    });
  });

  it("reads JSON in both shapes", () => {
    expect(load(manifest("json/map.json", JSON.stringify({ people: prefixed(inline, "../") })))).toEqual(
      inline,
    );
    const list = Object.entries(inline).map(([userId, photos]) => ({ userId, photos }));
    expect(load(manifest("list.json", JSON.stringify(list, null, 2)))).toEqual(inline);
  });

  it("reads CSV rows in any order, with comments, blank lines and quoted values", () => {
    const path = manifest(
      "csv/team.csv",
      [
        "userId,photo",
        "# alice first",
        "alice,../photos/alice-1.png",
        "",
        "bob, ../photos/bob-1.png ",
        'alice,"s3://bucket/alice-2.jpg?versionId=v1"',
        `alice,${faceId}`,
        "",
      ].join("\n"),
    );
    expect(load(path)).toEqual(inline);
  });

  it("writes a path beside the stack's folder as that folder sees it, whatever dots and slashes it has", () => {
    const rows = ["photos/a.png", "./photos/b.png", "photos//c.png", "photos/x/../d.png", "photos/e.png/"];
    const people = load(
      manifest("paths.csv", "userId,photo\n" + rows.map((r, i) => `p${i},${r}\n`).join("")),
    );
    expect(Object.values(people).flat()).toEqual([
      "photos/a.png",
      "photos/b.png",
      "photos/c.png",
      "photos/d.png",
      "photos/e.png",
    ]);
  });

  it("keeps a # inside a photo path and accepts the columns in either order", () => {
    expect(load(manifest("hash.csv", "photo,userId\nphotos/a#1.png,alice\n"))).toEqual({
      alice: ["photos/a#1.png"],
    });
  });

  it("gives the roster exactly the resources of the inline declaration", () => {
    const path = manifest(
      "same.csv",
      "userId,photo\n" + csvRows(inline.alice, "alice") + "bob,photos/bob-1.png\n",
    );
    expect(planRoster("team", load(path))).toEqual(planRoster("team", inline));
  });
});

describe("people or manifest", () => {
  it("takes exactly one of the two", () => {
    const path = manifest("one.csv", "userId,photo\nbob,photos/bob-1.png\n");
    expect(rosterPeople("team", undefined, path, stackDir)).toEqual({ bob: ["photos/bob-1.png"] });
    expect(rosterPeople("team", inline, undefined, stackDir)).toBe(inline);
    expect(() => rosterPeople("team", inline, path, stackDir)).toThrow(
      "FaceRoster 'team': set people or manifest, not both: remove one of them",
    );
    expect(() => rosterPeople("team", undefined, undefined, stackDir)).toThrow(
      /FaceRoster 'team': set people .* or manifest/,
    );
    expect(() => rosterPeople("team", undefined, 42, stackDir)).toThrow(
      /manifest must be the path .*, got 42/,
    );
  });

  it("names a file that cannot be read, or whose format is unknown", () => {
    expect(failure("missing.csv")).toMatch(
      /manifest 'missing.csv': cannot be read \(ENOENT, looked for .*missing.csv\): give its path relative/,
    );
    expect(failure(manifest("team.txt", "alice,a.png"))).toMatch(
      /unknown format '.txt': name the file .yaml, .yml, .json or .csv/,
    );
  });
});

describe("manifest errors name the file, the line, the entry and the fix", () => {
  it("syntax errors, with the parser's line", () => {
    expect(failure(manifest("bad.yaml", "people:\n  alice: [a.png\n  bob: [b.png]\n"))).toMatch(
      /bad.yaml:\d: .*: fix the YAML syntax/,
    );
    expect(failure(manifest("bad.json", '{"people": {"alice": ["a.png",]}}'))).toMatch(
      /bad.json: not valid JSON: .*: fix the JSON syntax/,
    );
    expect(failure(manifest("bad.csv", 'userId,photo\nalice,"a.png\n'))).toMatch(
      /bad.csv:2: .*Quote Not Closed.*: fix the CSV syntax/,
    );
  });

  it("a duplicate YAML key", () => {
    expect(failure(manifest("dup-key.yaml", "people:\n  alice: [a.png]\n  alice: [b.png]\n"))).toContain(
      "dup-key.yaml:3: people: 'alice' is listed again (first on line 2): merge the two entries",
    );
    expect(
      failure(manifest("dup-people.yaml", "people:\n  alice: [a.png]\npeople:\n  bob: [b.png]\n")),
    ).toContain("dup-people.yaml:3: people is set twice: merge the two");
  });

  it("duplicate entries, with both lines", () => {
    expect(failure(manifest("dup.csv", "userId,photo\nalice,a.png\nbob,b.png\nalice,./a.png\n"))).toContain(
      "dup.csv:4: people.alice[1] repeats 'a.png' (line 2): remove the duplicate",
    );
    expect(
      failure(manifest("dup-face.csv", `userId,photo\nalice,${faceId}\nbob,${faceId.toUpperCase()}\n`)),
    ).toContain(
      `dup-face.csv:3: people.bob[0] '${faceId.toUpperCase()}' is also listed for alice (line 2): a photo shows one person`,
    );
    expect(
      failure(
        manifest("dup-user.yaml", "- userId: alice\n  photos: [a.png]\n- userId: alice\n  photos: [b.png]\n"),
      ),
    ).toContain("dup-user.yaml:3: people: 'alice' is listed again (first on line 1): merge the two entries");
  });

  it("an invalid user ID", () => {
    expect(failure(manifest("user.csv", "userId,photo\nalice,a.png\ncarol smith,c.png\n"))).toContain(
      "user.csv:3: people: the user ID 'carol smith' may contain only letters, digits, '_', '.', ':' and '-': rename the person",
    );
    expect(failure(manifest("user.json", '[{"userId": 7, "photos": ["a.png"]}]'))).toContain(
      "user.json:1: the user ID must be a string, got 7: quote it",
    );
  });

  it("empty people, and a person with no photo", () => {
    for (const [path, text] of [
      ["empty.csv", "userId,photo\n# nobody yet\n"],
      ["empty.yaml", "people: {}\n"],
      ["blank.yaml", "people:\n"],
      ["empty.json", "[]"],
    ]) {
      expect(failure(manifest(path!, text!))).toContain(`${path}: declares no one: add people`);
    }
    expect(failure(manifest("nophoto.yaml", "people:\n  alice: []\n  bob:\n"))).toMatch(
      /nophoto.yaml:2: people.alice lists no photo: add photo paths.*\n.*nophoto.yaml:3: people.bob lists no photo/,
    );
  });

  it("a photo that is neither a path, an s3 URL nor a face ID", () => {
    const message = failure(
      manifest(
        "kinds.yaml",
        "people:\n  alice:\n    - https://example.com/a.png\n    - s3://bucket\n    - ''\n",
      ),
    );
    expect(message).toContain(
      "kinds.yaml:3: people.alice[0] 'https://example.com/a.png' is not a photo path, an s3://bucket/key URL or a face ID: download the photo",
    );
    expect(message).toContain(
      "kinds.yaml:4: people.alice[0] 's3://bucket' is not an s3 URL Rekognition can read: write s3://bucket/key",
    );
    expect(message).toContain(
      "kinds.yaml:5: people.alice[0] must be a photo path, an s3://bucket/key URL or a face ID, got ''",
    );
    expect(failure(manifest("kinds.json", '{"people": {"alice": [12]}}'))).toContain(
      "kinds.json:1: people.alice[0] must be a photo path, an s3://bucket/key URL or a face ID, got 12",
    );
    expect(failure(manifest("scalar.yaml", "people:\n  alice: a.png\n"))).toContain(
      "scalar.yaml:2: people.alice must be a list of photos (write [a.png]), got 'a.png'",
    );
  });

  it("unknown keys and columns, with the closest valid one", () => {
    expect(failure(manifest("keys.yaml", "peeple:\n  alice: [a.png]\n"))).toContain(
      "keys.yaml:1: unknown key 'peeple': did you mean 'people'?",
    );
    expect(failure(manifest("entry.yaml", "- userId: alice\n  photo: [a.png]\n"))).toContain(
      "entry.yaml:2: people[0] has an unknown key 'photo': did you mean 'photos'? An entry holds userId and photos",
    );
    expect(failure(manifest("cols.csv", "userId,photos,note\nalice,a.png,x\n"))).toMatch(
      /cols.csv:1: unknown column 'photos' \(column 2\): did you mean 'photo'\? The header is userId,photo\n.*cols.csv:1: unknown column 'note'/,
    );
    expect(failure(manifest("fields.csv", "userId,photo\nalice,a.png,extra\n"))).toContain(
      "fields.csv:2: 3 fields, the header has 2: write one userId and one photo per row",
    );
  });
});

function prefixed(people: Record<string, string[]>, prefix: string): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(people).map(([user, photos]) => [
      user,
      photos.map((p) => (p.startsWith("photos/") ? prefix + p : p)),
    ]),
  );
}

function csvRows(photos: string[], userId: string): string {
  return photos.map((photo) => `${userId},${photo}\n`).join("");
}
