import { describe, expect, it } from "vitest";
import { faceSet } from "../../provider/association/model.js";
import type { PersonInputs, PersonRecord, ShardInputs, ShardState } from "../../provider/bulk/model.js";
import { describeDeclared } from "../../provider/bulk/encoding.js";
import {
  assumedDeclaration,
  declarationShown,
  desiredFaces,
  diffDetail,
  diffShard,
  planPerson,
  plannedWork,
  sameSettings,
  settingKeys,
  shardOf,
} from "../../provider/bulk/plan.js";
import { shardFailureSummary } from "../../provider/bulk/report.js";
import { checkShard, photoDigest } from "../../provider/bulk/validate.js";
import type { DigestMemo } from "../../provider/face/digest-memo.js";
import type { FileDigest } from "../../provider/face/validate.js";
import { unknownValue } from "../../provider/unknown.js";

const F = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const person = (photos: Record<string, string>, faces: string[] = []): PersonInputs => ({
  photos,
  faces: faceSet(faces),
});
const record = (
  photos: Record<string, [string, string]>,
  extra: Partial<PersonRecord> = {},
): PersonRecord => {
  const indexed = Object.fromEntries(
    Object.entries(photos).map(([e, [faceId, digest]]) => [e, { faceId, digest }]),
  );
  return {
    origin: "created",
    photos: indexed,
    faces: faceSet(Object.values(indexed).map((p) => p.faceId)),
    userStatus: "ACTIVE",
    ...extra,
  };
};
const settings: Omit<ShardInputs, "people"> = {
  collectionId: "c",
  shard: "0/1",
  exclusive: false,
  userMatchThreshold: 75,
  adopt: false,
  waitForActive: true,
  activeTimeoutSeconds: 600,
};

describe("shardOf: a stable function of the user ID alone", () => {
  it("puts a person where every earlier release put them", () => {
    const where = (userId: string) => [shardOf(userId, 16), shardOf(userId, 7), shardOf(userId, 256)];
    expect(["alice", "person-00042", "ana.b:c", "x"].map(where)).toEqual([
      [9, 0, 201],
      [15, 0, 111],
      [5, 3, 181],
      [2, 5, 66],
    ]);
  });

  it("puts each person in the same shard whoever else is declared, and spreads people evenly", () => {
    const ids = Array.from({ length: 4000 }, (_, n) => `person-${n}`);
    const counts = new Array<number>(16).fill(0);
    for (const id of ids) counts[shardOf(id, 16)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(150); // 250 expected per shard
    expect(ids.map((id) => shardOf(id, 16))).toEqual(ids.map((id) => shardOf(id, 16)));
    expect(shardOf("alice", 16)).toBe(shardOf("alice", 16));
    expect(new Set(ids.map((id) => shardOf(id, 1)))).toEqual(new Set([0]));
  });
});

describe("planPerson: what a run does for one person", () => {
  it("a new person: make the user and index every photo", () => {
    expect(planPerson("a", person({ "a.png": "d1" }, [F(9)]), undefined, false)).toEqual({
      userId: "a",
      createUser: true,
      index: ["a.png"],
      retire: [],
      remove: false,
    });
  });

  it("a person as recorded: nothing", () => {
    expect(
      planPerson("a", person({ "a.png": "d1" }), record({ "a.png": [F(1), "d1"] }), false),
    ).toBeUndefined();
  });

  it("a photo whose content changed: index it again and retire the old face", () => {
    expect(
      planPerson("a", person({ "a.png": "d2" }), record({ "a.png": [F(1), "d1"] }), false),
    ).toMatchObject({
      createUser: false,
      index: ["a.png"],
      retire: [{ entry: "a.png", faceId: F(1), digest: "d1" }],
    });
  });

  it("a person removed: release everything", () => {
    expect(planPerson("a", undefined, record({ "a.png": [F(1), "d1"] }), false)).toMatchObject({
      remove: true,
      retire: [{ faceId: F(1) }],
    });
  });

  it("a face left unsettled, a face a refresh found gone, or an unfinished wait is work; observed faces only in exclusive mode", () => {
    const declared = person({ "a.png": "d1" });
    const base = record({ "a.png": [F(1), "d1"] });
    expect(planPerson("a", declared, { ...base, pending: [F(2)] }, false)).toBeDefined();
    expect(planPerson("a", declared, { ...base, faces: {} }, false)).toBeDefined();
    expect(planPerson("a", declared, { ...base, awaitingActive: true }, false)).toBeDefined();
    expect(planPerson("a", declared, { ...base, userStatus: "MISSING" }, false)).toMatchObject({
      createUser: true,
    });
    const observed = { ...base, faces: faceSet([F(1), F(3)]), observed: [F(3)] };
    expect(planPerson("a", declared, observed, false)).toBeUndefined();
    expect(planPerson("a", declared, observed, true)).toBeDefined();
  });

  it("desired faces: the faces of photos indexed from the declared content, and the listed ones", () => {
    const declared = person({ "a.png": "d1", "b.png": "d2" }, [F(9)]);
    expect(
      Object.keys(
        desiredFaces(declared, {
          "a.png": { faceId: F(1), digest: "d1" },
          "b.png": { faceId: F(2), digest: "old" },
        }),
      ).sort(),
    ).toEqual([F(1), F(9)]);
  });
});

describe("diffShard", () => {
  const state = (roster: Record<string, PersonRecord>, extra: Partial<ShardState> = {}): ShardState => ({
    ...settings,
    roster,
    lifetime: "l",
    failures: [],
    failureCount: 0,
    ...extra,
  });

  it("no change when every person is as recorded; a change for one person otherwise", () => {
    const roster = { a: record({ "a.png": [F(1), "d1"] }) };
    expect(diffShard(state(roster), { ...settings, people: { a: person({ "a.png": "d1" }) } }).changes).toBe(
      false,
    );
    expect(diffShard(state(roster), { ...settings, people: { a: person({ "a.png": "d2" }) } }).changes).toBe(
      true,
    );
    expect(diffShard(state(roster), { ...settings, people: {} }).changes).toBe(true);
    expect(
      diffShard(state(roster), { ...settings, people: { a: person({ "a.png": "d1" }) }, adopt: true })
        .changes,
    ).toBe(true);
  });

  it("sameSettings: the collection and every setting as recorded, an unknown one never", () => {
    expect(sameSettings(state({}), settings)).toBe(true);
    expect(sameSettings(state({}), { ...settings, collectionId: "other" })).toBe(false);
    for (const key of settingKeys)
      expect(sameSettings(state({}), { ...settings, [key]: "changed" }), key).toBe(false);
    expect(sameSettings(state({}), { ...settings, exclusive: unknownValue })).toBe(false);
  });

  it("another collection replaces the shard, deleting first", () => {
    expect(diffShard(state({}), { ...settings, collectionId: "other", people: {} })).toEqual({
      changes: true,
      replaces: ["collectionId"],
      deleteBeforeReplace: true,
    });
  });

  it("plannedWork lists only the people who differ, sorted", () => {
    const roster = { b: record({ "b.png": [F(2), "d"] }), c: record({ "c.png": [F(3), "d"] }) };
    const people = { a: person({ "a.png": "d" }), b: person({ "b.png": "d" }) };
    expect(plannedWork(people, roster, false).map((w) => [w.userId, w.remove])).toEqual([
      ["a", false],
      ["c", true],
    ]);
  });

  it("the preview's detail shows the people's lines when a declared line changes, and the settings that change", () => {
    const roster = { b: record({ "b.png": [F(2), "d"] }), c: record({ "c.png": [F(3), "d"] }) };
    const people = { a: person({ "a.png": "d" }), b: person({ "b.png": "d2" }) };
    const declared = { ...settings, people, adopt: true };
    const planned = plannedWork(people, roster, false);
    expect(planned.map((work) => work.userId)).toEqual(["a", "b", "c"]);
    expect(diffDetail(planned, state(roster), declared, () => true)).toEqual({
      people: "update",
      adopt: "update",
    });
  });

  it("work for people whose line stays (a retry) shows as the state being rewritten, beside changed lines", () => {
    const roster = { b: record({ "b.png": [F(2), "d"] }, { pending: [F(4)] }) };
    const people = { a: person({ "a.png": "d" }), b: person({ "b.png": "d" }) };
    const planned = plannedWork(people, roster, false);
    expect(planned.map((work) => work.userId)).toEqual(["a", "b"]);
    const declared = { ...settings, people };
    expect(diffDetail(planned, state(roster), declared, (userId) => userId === "a")).toEqual({
      people: "update",
      roster: "update",
    });
    expect(diffDetail(planned, state(roster), declared, () => false)).toEqual({ roster: "update" });
  });

  it("a shard where nobody changes shows only its state being rewritten", () => {
    const roster = { a: record({ "a.png": [F(1), "d"] }) };
    const declared = { ...settings, people: { a: person({ "a.png": "d" }) } };
    expect(diffDetail([], state(roster), declared, () => true)).toEqual({ roster: "update" });
  });
});

describe("checkShard: every problem names the person and the entry", () => {
  const digest = async (path: string): Promise<FileDigest> =>
    path.includes("missing")
      ? { problem: "missing", resolvedPath: `/stack/${path}` }
      : {
          sha256: "ab".repeat(32),
          bytes: 1000,
          resolvedPath: `/stack/${path}`,
          header: { format: "PNG", width: 200, height: 200 },
        };

  const files = {
    digest,
    stamp: async (path: string) =>
      path.includes("missing") ? undefined : `1000:${path.includes("touched") ? 2 : 1}`,
  };

  it("normalizes photos, S3 URLs with digests, and face IDs", async () => {
    const { inputs, failures } = await checkShard(
      {
        collectionId: "c",
        shard: "0/1",
        people: { a: ["a.png", F(7), { photo: "s3://b/k.png", digest: "etag1" }] },
      },
      files,
    );
    expect(failures).toEqual([]);
    expect(inputs.people["a"]).toEqual({
      photos: { "a.png": photoDigest("ab".repeat(32)), "s3://b/k.png": "etag1" },
      faces: { [F(7)]: true },
    });
  });

  it("a missing photo, a bad user ID and an empty list fail at preview", async () => {
    const { failures } = await checkShard(
      { collectionId: "c", people: { a: ["missing.png"], "bad id": ["x.png"], empty: [] } },
      files,
    );
    const reasons = failures.map((f) => f.reason).join("\n");
    expect(reasons).toContain("people.a: 'missing.png': there is no file at /stack/missing.png");
    expect(reasons).toContain("people.bad id: the user ID");
    expect(reasons).toMatch(/people.empty must be a non-empty list .*, got an empty list/);
  });
});

describe("checkShard: a photo is read again only when its size or modification time changed", () => {
  it("recalls the remembered digest of an unchanged file, reads a touched one, and remembers both", async () => {
    const news = { collectionId: "c", people: { a: ["same.png", "touched.png"] } };
    const remembered = new Map([
      ["same.png", "1000:1 recorded"],
      ["touched.png", "1000:1 recorded"],
    ]);
    const memo: DigestMemo = {
      recall: (path, stamp) => {
        const [at, digest] = remembered.get(path)?.split(" ") ?? [];
        return at === stamp ? digest : undefined;
      },
      remember: (path, stamp, digest) => void remembered.set(path, `${stamp} ${digest}`),
      save: async () => undefined,
    };
    const reads: string[] = [];
    const { inputs } = await checkShard(
      news,
      {
        digest: async (path) => {
          reads.push(path);
          return {
            sha256: "cd".repeat(32),
            bytes: 1000,
            resolvedPath: path,
            header: { format: "PNG", width: 200, height: 200 },
          };
        },
        stamp: async (path) => `1000:${path.startsWith("touched") ? 2 : 1}`,
      },
      memo,
    );
    expect(reads).toEqual(["touched.png"]);
    expect(inputs.people["a"]!.photos).toEqual({
      "same.png": "recorded",
      "touched.png": photoDigest("cd".repeat(32)),
    });
    expect(Object.fromEntries(remembered)).toEqual({
      "same.png": "1000:1 recorded",
      "touched.png": `1000:2 ${photoDigest("cd".repeat(32))}`,
    });
  });
});

describe("assumedDeclaration: what a refresh compares the refreshed truth with", () => {
  const declared = {
    ana: person({ "ana.png": "d1" }, [F(9)]),
    ben: person({ "ben-1.png": "d2", "ben-2.png": "d3" }),
    cid: person({ "cid.png": "d4" }),
  };
  const lines = Object.fromEntries(Object.entries(declared).map(([id, p]) => [id, describeDeclared(p)]));

  it("a record as deployed shows its declaration, so nobody drifts", () => {
    const roster = {
      ana: { ...record({ "ana.png": [F(1), "d1"] }), faces: faceSet([F(1), F(9)]) },
      ben: record({ "ben-1.png": [F(2), "d2"], "ben-2.png": [F(3), "d3"] }),
      cid: record({ "cid.png": [F(4), "d4"] }),
    };
    expect(declarationShown(roster.ana)).toEqual(declared.ana);
    const { people, unmatched } = assumedDeclaration(roster, lines, describeDeclared);
    expect(unmatched).toEqual([]);
    expect(plannedWork(people, roster, false)).toEqual([]);
  });

  it("a photo's face gone, a face disassociated and a person gone are drift", () => {
    const roster = {
      // ana's face from a photo was disassociated: her declaration still shows, her faces do not.
      ana: { ...record({ "ana.png": [F(1), "d1"] }), faces: faceSet([F(9)]) },
      // ben's second photo's face was deleted: the refresh dropped the photo.
      ben: record({ "ben-1.png": [F(2), "d2"] }),
    };
    const { people, unmatched } = assumedDeclaration(roster, lines, describeDeclared);
    expect(unmatched.sort()).toEqual(["ben", "cid"]);
    expect(plannedWork(people, { ana: roster.ana }, false).map((w) => w.userId)).toEqual(["ana"]);
  });

  it("without lines (an earlier release's inputs) each record is taken as declared", () => {
    const roster = { ana: record({ "ana.png": [F(1), "d1"] }, { userStatus: "MISSING" }) };
    const { people, unmatched } = assumedDeclaration(roster, undefined, describeDeclared);
    expect(unmatched).toEqual([]);
    expect(plannedWork(people, roster, false)).toMatchObject([{ userId: "ana", createUser: true }]);
  });
});

describe("shardFailureSummary", () => {
  it("shows the first failures in full and counts them all by reason", () => {
    const failures = Array.from({ length: 14 }, (_, n) => ({
      userId: `p${n}`,
      reason: n < 12 ? "LOW_MATCH_CONFIDENCE" : "AccessDeniedException",
      message: `p${n}: failed for a reason`,
    }));
    const text = shardFailureSummary("c", "3/16", 40, failures);
    expect(text).toContain(
      "roster shard 3/16 of collection 'c': 14 of 40 changed people are not as declared",
    );
    expect(text).toContain("LOW_MATCH_CONFIDENCE 12, AccessDeniedException 2");
    expect(text).toContain("  - p9: failed for a reason");
    expect(text).not.toContain("  - p10:");
    expect(text).toContain("… and 4 more");
    expect(text).toContain("the next `pulumi up` retries only these people");
  });
});
