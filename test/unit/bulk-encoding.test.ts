import { describe, expect, it } from "vitest";
import { faceSet } from "../../provider/association/model.js";
import { checkedDeclaration, keepDeclaration } from "../../provider/bulk/declarations.js";
import {
  decodePerson,
  decodeRoster,
  describeDeclared,
  declaredLines,
  describeDeclaredPeople,
  encodePerson,
  encodeRoster,
  encodeRosterLike,
  isEarlierForm,
  personForm,
  recordedPerson,
} from "../../provider/bulk/encoding.js";
import type { PersonInputs, PersonRecord } from "../../provider/bulk/model.js";

const F = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const digest = (n: number): string => String(n).repeat(64).slice(0, 64);

const plain: PersonRecord = {
  origin: "created",
  photos: {
    "photos/ana-1.png": { faceId: F(1), digest: digest(1) },
    "photos/ana-2.png": { faceId: F(2), digest: digest(2) },
    "s3://bucket/staff/ana/3.jpg": { faceId: F(3), digest: '"9b2cf535f27731c974343645a3985328"' },
  },
  faces: faceSet([F(1), F(2), F(3)]),
  userStatus: "ACTIVE",
};

describe("a shard's person, encoded", () => {
  it("round-trips a settled person, and is one short string", () => {
    const encoded = encodePerson(plain);
    expect(typeof encoded).toBe("string");
    expect(decodePerson("ana", encoded)).toEqual(plain);
    // The faces of its photos are written as their indexes, not again in full.
    expect(encoded.split(F(1))).toHaveLength(2);
    // The nested record is the engine's JSON of the same truth.
    expect(encoded.length).toBeLessThan(JSON.stringify(plain).length * 0.7);
  });

  it("writes the usual person (created, ACTIVE, each photo's face associated) as words, and reads the JSON it wrote before", () => {
    const encoded = encodePerson(plain);
    expect(encoded).toBe(
      `photos/ana-1.png ${digest(1)} ${F(1)} photos/ana-2.png ${digest(2)} ${F(2)} ` +
        `s3://bucket/staff/ana/3.jpg "9b2cf535f27731c974343645a3985328" ${F(3)}`,
    );
    const json = JSON.stringify(["created", "ACTIVE", encoded.split(" "), [0, 1, 2]]);
    expect(decodePerson("ana", json)).toEqual(plain);
    expect(encoded.length).toBeLessThan(json.length - 25);
    expect([personForm(encoded), personForm(json), personForm(plain)]).toEqual(["words", "json", "json"]);
  });

  it("keeps the JSON form for anyone else, and for words a space would split", () => {
    const one = (entry: string, digest: string, faceId: string): PersonRecord["photos"] => ({
      [entry]: { digest, faceId },
    });
    const others: PersonRecord[] = [
      { ...plain, origin: "adopted" },
      { ...plain, userStatus: "UPDATING" },
      { ...plain, awaitingActive: true },
      { ...plain, pending: [F(9)] },
      { ...plain, faces: faceSet([F(1), F(2)]) },
      { ...plain, faces: faceSet([F(1), F(2), F(3), F(4)]) },
      { ...plain, photos: {}, faces: {} },
      { ...plain, photos: one("photos/with space.png", "d", F(1)), faces: faceSet([F(1)]) },
      { ...plain, photos: one("photos/tab\t.png", "d", F(1)), faces: faceSet([F(1)]) },
      { ...plain, photos: one("a.png", "", F(1)), faces: faceSet([F(1)]) },
      { ...plain, photos: one("[a].png", "d", F(1)), faces: faceSet([F(1)]) },
    ];
    for (const record of others) {
      const encoded = encodePerson(record);
      expect(encoded.startsWith("[")).toBe(true);
      expect(personForm(encoded)).toBe("json");
      expect(decodePerson("u", encoded)).toEqual(record);
    }
  });

  it("round-trips every field: adopted, faces not from photos, observed, unsettled, leftover, an unfinished wait", () => {
    const full: PersonRecord = {
      origin: "adopted",
      photos: { "a.png": { faceId: F(1), digest: "" } },
      faces: faceSet([F(1), F(7), F(8)]),
      observed: [F(8)],
      pending: [F(9)],
      leftover: [F(10), F(11)],
      awaitingActive: true,
      userStatus: "UPDATING",
    };
    expect(decodePerson("u", encodePerson(full))).toEqual(full);
    const missing: PersonRecord = { origin: "created", photos: {}, faces: {}, userStatus: "MISSING" };
    expect(decodePerson("u", encodePerson(missing))).toEqual(missing);
  });

  it("keeps photo entries that hold separators, quotes, newlines, unicode and digits", () => {
    const hostile = [
      'photos/a "quoted", [bracketed] name.png',
      "photos/back\\slash\\n.png",
      "photos/new\nline\ttab.png",
      "s3://bucket/ключ/😀/1.jpg",
      "0",
      "1",
      "",
      "photos/\u0000nul.png",
      '","ACTIVE",[',
    ];
    const record: PersonRecord = {
      origin: "created",
      photos: Object.fromEntries(
        hostile.map((entry, i) => [entry, { faceId: F(i), digest: `${entry}|${i}` }]),
      ),
      faces: faceSet([...hostile.map((_, i) => F(i)), "1", "2"]),
      userStatus: "ACTIVE",
    };
    const decoded = decodePerson("u", encodePerson(record));
    expect(decoded).toEqual(record);
    // (An object lists integer-like keys first: compared as a set.)
    expect(Object.keys(decoded.photos).sort()).toEqual([...hostile].sort());
  });

  it("two photos showing the same face keep it once", () => {
    const twice: PersonRecord = {
      origin: "created",
      photos: { "a.png": { faceId: F(1), digest: "a" }, "b.png": { faceId: F(1), digest: "b" } },
      faces: faceSet([F(1)]),
      userStatus: "ACTIVE",
    };
    expect(decodePerson("u", encodePerson(twice))).toEqual(twice);
  });
});

describe("a shard's roster in the state", () => {
  const odd: PersonRecord = {
    ...plain,
    photos: { 'photos/new\nline: "quoted"\u2028.png': { faceId: F(5), digest: digest(5) } },
    faces: faceSet([F(5)]),
  };

  it("is one text, a line a person sorted by user ID, that reads back whole", () => {
    const roster = {
      ben: { ...plain, origin: "adopted" as const, pending: [F(4)] },
      "a.b:c": odd,
      ana: plain,
    };
    const text = encodeRoster(roster);
    expect(typeof text).toBe("string");
    const lines = text.split("\n");
    expect(lines.map((l) => l.slice(0, l.indexOf(": ")))).toEqual(["a.b:c", "ana", "ben"]);
    // A photo entry with a line break stays on its person's line.
    expect(lines).toHaveLength(3);
    expect(decodeRoster(text)).toEqual(roster);
    expect(isEarlierForm(text)).toBe(false);
    expect(encodeRoster({})).toBe("");
    expect(decodeRoster("")).toEqual({});
  });

  it("reads the maps of earlier releases (a JSON string or a nested record a person), and writes text", () => {
    const nested = { ana: plain, ben: { ...plain, origin: "adopted" as const, pending: [F(4)] } };
    expect(isEarlierForm(nested)).toBe(true);
    expect(decodeRoster(nested)).toEqual(nested);
    const strings = { ana: encodePerson(plain), ben: encodePerson(nested.ben) };
    expect(isEarlierForm(strings)).toBe(true);
    expect(decodeRoster(strings)).toEqual(nested);
    // A state half rewritten (a person recorded by each release) reads whole.
    expect(decodeRoster({ ana: strings.ana, ben: nested.ben })).toEqual(nested);
    expect(decodeRoster(undefined)).toEqual({});
    expect(isEarlierForm(undefined)).toBe(false);
    expect(isEarlierForm({})).toBe(false);
  });

  it("keeps the form the state holds when a refresh writes it back", () => {
    const strings = { ana: encodePerson(plain) };
    expect(encodeRosterLike(strings, { ana: plain })).toEqual(strings);
    expect(encodeRosterLike({ ana: plain }, { ana: plain })).toEqual(strings);
    expect(encodeRosterLike(encodeRoster({ ana: plain }), { ana: plain })).toBe(encodeRoster({ ana: plain }));
    expect(encodeRosterLike(undefined, { ana: plain })).toBe(encodeRoster({ ana: plain }));
  });

  it("rewrites on a refresh only the people whose truth changed, keeping each other line as it was", () => {
    // The JSON form the provider wrote for everyone before the short form.
    const json = (record: PersonRecord): string => {
      const words = encodePerson(record).split(" ");
      return JSON.stringify([
        "created",
        "ACTIVE",
        words,
        Array.from({ length: words.length / 3 }, (_, i) => i),
      ]);
    };
    const ben: PersonRecord = {
      ...plain,
      photos: { "b.png": { faceId: F(8), digest: "b" } },
      faces: faceSet([F(8)]),
    };
    const stored = `ana: ${json(plain)}\nben: ${json(ben)}`;
    expect(decodeRoster(stored)).toEqual({ ana: plain, ben });
    // Nothing changed: the text stays byte for byte, so the refresh shows no change.
    expect(encodeRosterLike(stored, { ana: plain, ben })).toBe(stored);
    // Ben's face is gone: his line is rewritten, Ana's is kept.
    const drifted = { ...ben, faces: {} };
    expect(encodeRosterLike(stored, { ana: plain, ben: drifted })).toBe(
      `ana: ${json(plain)}\nben: ${encodePerson(drifted)}`,
    );
    // The map of an earlier release keeps its unchanged strings the same way.
    expect(encodeRosterLike({ ana: json(plain) }, { ana: plain })).toEqual({ ana: json(plain) });
    // An `up` writes every line anew.
    expect(encodeRoster({ ana: plain, ben })).toBe(`ana: ${encodePerson(plain)}\nben: b.png b ${F(8)}`);
  });

  it("refuses a person it did not write, naming the person and the fix", () => {
    for (const bad of [
      "not json",
      "a.png  d",
      "a.png d f b.png",
      "[]",
      '["created","ACTIVE",["a","b"],[]]',
      '["x","ACTIVE",[],[]]',
      '["created","ACTIVE",["a","b","c"],[1]]',
    ])
      for (const stored of [{ ana: bad }, `ana: ${bad}`])
        expect(() => decodeRoster(stored)).toThrow(
          /records person 'ana' as .* not what this provider writes: restore the state/,
        );
    expect(() => decodeRoster("a line with no person")).toThrow(
      /records a line as "a line with no person", which is not what this provider writes/,
    );
  });
});

describe("a shard's declared person, in its stored inputs", () => {
  const declared: PersonInputs = {
    photos: {
      "photos/ana-1.png": digest(1).slice(0, 20),
      'photos/new\nline "quoted".png': digest(2).slice(0, 20),
      "s3://bucket/staff/ana/3.jpg": '"9b2cf535f27731c974343645a3985328"',
    },
    faces: faceSet([F(7), F(8)]),
  };

  it("is a short line that counts the photos and faces, whatever the entries hold", () => {
    const line = describeDeclared(declared);
    expect(line).toMatch(/^3 photos, 2 faces · [0-9a-f]{12}$/);
    expect(describeDeclared({ photos: { "a.png": "d" }, faces: {} })).toMatch(/^1 photo · [0-9a-f]{12}$/);
    expect(describeDeclared({ photos: {}, faces: faceSet([F(1)]) })).toMatch(/^1 face · [0-9a-f]{12}$/);
    expect(line.length).toBeLessThan(JSON.stringify(declared).length / 5);
  });

  it("changes with any entry, any photo's content or any face, and not with their order", () => {
    const line = describeDeclared(declared);
    const reordered: PersonInputs = {
      photos: Object.fromEntries(Object.entries(declared.photos).reverse()),
      faces: faceSet([F(8), F(7)]),
    };
    expect(describeDeclared(reordered)).toBe(line);
    const changes: PersonInputs[] = [
      { ...declared, photos: { ...declared.photos, "photos/ana-1.png": digest(9).slice(0, 20) } },
      { ...declared, photos: { ...declared.photos, "photos/ana-9.png": digest(1).slice(0, 20) } },
      { ...declared, faces: faceSet([F(7), F(9)]) },
    ];
    for (const changed of changes) expect(describeDeclared(changed)).not.toBe(line);
  });

  it("the stored inputs show one text, a line a person sorted by user ID, read back line by line", () => {
    const people = { ben: { photos: {}, faces: faceSet([F(1)]) }, "ana.b:c": declared };
    const text = describeDeclaredPeople(people);
    expect(text.split("\n")).toEqual([
      `ana.b:c · ${describeDeclared(declared)}`,
      `ben · ${describeDeclared(people.ben)}`,
    ]);
    // No line reads as a YAML key, so Pulumi shows a change as the lines that change.
    expect(text).not.toContain(": ");
    expect(declaredLines(text)).toEqual({
      "ana.b:c": describeDeclared(declared),
      ben: describeDeclared(people.ben),
    });
    expect(declaredLines("")).toEqual({});
    // An earlier release's map of lines reads the same; its nested inputs hold no lines.
    expect(declaredLines({ ben: "1 face · 0123456789ab" })).toEqual({ ben: "1 face · 0123456789ab" });
    expect(declaredLines({ ben: { photos: {}, faces: {} } })).toBeUndefined();
    expect(declaredLines(undefined)).toBeUndefined();
  });

  it("the declaration itself is kept by the process that checked it, under the digest the inputs store", () => {
    const people = { ana: declared, ben: { photos: {}, faces: faceSet([F(1)]) } };
    const previous = { ana: "1 photo · 0123456789ab" };
    const digest = keepDeclaration(describeDeclaredPeople(people), people, previous);
    expect(checkedDeclaration(digest, "3/16")).toEqual({ people, previous });
    expect(keepDeclaration(describeDeclaredPeople({ ...people }), { ...people })).toBe(digest);
    expect(() => checkedDeclaration("0".repeat(64), "3/16")).toThrow(
      /roster shard 3\/16: its declaration was not checked by this provider process .*run `pulumi up` again/,
    );
  });
});

describe("recordedPerson", () => {
  const other: PersonRecord = { ...plain, photos: {}, faces: faceSet([F(9)]) };
  const text = encodeRoster({ an: other, ana: plain, bo: other });

  it("reads one person's line, wherever it stands, and no one whose ID merely starts the same", () => {
    expect(recordedPerson(text, "ana")).toEqual(plain);
    expect(recordedPerson(text, "an")).toEqual(other);
    expect(recordedPerson(text, "bo")).toEqual(other);
    expect(recordedPerson(text, "a")).toBeUndefined();
    expect(recordedPerson(text, "na")).toBeUndefined();
    expect(recordedPerson(undefined, "ana")).toBeUndefined();
  });

  it("reads a roster an earlier release stored as a map", () => {
    expect(recordedPerson({ ana: plain }, "ana")).toEqual(plain);
    expect(recordedPerson({ ana: plain }, "constructor")).toBeUndefined();
  });
});
