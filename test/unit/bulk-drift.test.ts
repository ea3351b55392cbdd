import { describe, expect, it } from "vitest";
import { driftLine, driftNamed, driftOf } from "../../provider/bulk/drift.js";
import type { PersonRecord } from "../../provider/bulk/model.js";

const record = (photos: string[], extra: Partial<PersonRecord> = {}): PersonRecord => ({
  origin: "created",
  photos: Object.fromEntries(photos.map((p, i) => [p, { faceId: `face-${p}`, digest: `d${i}` }])),
  faces: Object.fromEntries(photos.map((p) => [`face-${p}`, true as const])),
  userStatus: "ACTIVE",
  ...extra,
});

describe("drift a refresh finds in a shard", () => {
  const before = {
    ana: record(["a1", "a2"]),
    ben: record(["b1"]),
    cy: record(["c1", "c2", "c3"]),
    dee: record(["d1"]),
    eve: record(["e1"]),
  };

  it("names each person whose truth changed, with what changed, and nobody else", () => {
    const { "face-a2": _lost, ...anaFaces } = before.ana.faces;
    const { c2: _c2, c3: _c3, ...cyPhotos } = before.cy.photos;
    const after = {
      ana: { ...before.ana, faces: anaFaces },
      ben: { ...before.ben, faces: {}, userStatus: "MISSING" },
      cy: { ...before.cy, photos: cyPhotos, faces: { "face-c1": true as const } },
      eve: { ...before.eve, observed: ["stranger"] },
    };
    expect(driftOf(before, after)).toEqual([
      { userId: "ana", what: ["1 face disassociated"] },
      // A deleted user or face takes its associations with it: one change each, not two.
      { userId: "ben", what: ["user deleted"] },
      { userId: "cy", what: ["2 photos' faces deleted"] },
      { userId: "dee", what: ["user and faces deleted"] },
      { userId: "eve", what: ["1 face associated outside the roster"] },
    ]);
    expect(driftOf(before, before)).toEqual([]);
    // A user already known missing is not news.
    const missing = { ben: { ...before.ben, faces: {}, userStatus: "MISSING" } };
    expect(driftOf(missing, missing)).toEqual([]);
  });

  it("is one line naming the first people and counting the rest; none when nothing drifted", () => {
    expect(driftLine("staff", "2/16", [])).toBeUndefined();
    expect(driftLine("staff", "2/16", [{ userId: "ben", what: ["user deleted"] }])).toBe(
      "roster shard 2/16 of collection 'staff': the service differs from the state for 1 person: " +
        "ben (user deleted); the next `pulumi up` restores what they declare",
    );
    const many = Array.from({ length: driftNamed + 3 }, (_, i) => ({
      userId: `p${i}`,
      what: ["user deleted"],
    }));
    const line = driftLine("staff", "2/16", many)!;
    expect(line).toContain(`for ${driftNamed + 3} people: p0 (user deleted), `);
    expect(line).toContain(`p${driftNamed - 1} (user deleted), and 3 more;`);
    expect(line).not.toContain(`p${driftNamed} `);
  });
});
