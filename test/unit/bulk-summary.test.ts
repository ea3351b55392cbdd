import { describe, expect, it } from "vitest";
import { mergeSummaries, namesShown, summarizeRoster } from "../../provider/bulk/summary.js";

const person = (faces: number, userStatus = "ACTIVE") => ({
  faceIds: Array.from({ length: faces }, (_, i) => `f${i}`),
  userStatus,
});

describe("a roster's summary", () => {
  it("counts people and faces, and names nobody when everyone is ACTIVE", () => {
    expect(summarizeRoster({ ana: person(3), ben: person(1) })).toEqual({
      people: 2,
      faces: 4,
      notActive: 0,
      notActivePeople: [],
    });
    expect(summarizeRoster({})).toEqual({ people: 0, faces: 0, notActive: 0, notActivePeople: [] });
  });

  it("names the first people not ACTIVE by user ID with their status, then counts the rest", () => {
    const users: Record<string, ReturnType<typeof person>> = {};
    for (let n = 0; n < 10_000; n++) users[`p${String(n).padStart(5, "0")}`] = person(3);
    for (const n of [9_001, 42, 7, 5_000, 13, 8, 600])
      users[`p${String(n).padStart(5, "0")}`] = person(2, n === 600 ? "MISSING" : "UPDATING");
    const summary = summarizeRoster(users);
    expect(summary).toEqual({
      people: 10_000,
      faces: 9_993 * 3 + 7 * 2,
      notActive: 7,
      notActivePeople: [
        "p00007: UPDATING",
        "p00008: UPDATING",
        "p00013: UPDATING",
        "p00042: UPDATING",
        "p00600: MISSING",
        "… and 2 more",
      ],
    });
    expect(summary.notActivePeople).toHaveLength(namesShown + 1);
    // The same few lines at any size.
    expect(JSON.stringify(summary).length).toBeLessThan(300);
  });

  it("names all of them when they are no more than it shows", () => {
    const summary = summarizeRoster({ a: person(1, "CREATED"), b: person(0, "UPDATING"), c: person(1) });
    expect(summary.notActive).toBe(2);
    expect(summary.notActivePeople).toEqual(["a: CREATED", "b: UPDATING"]);
  });

  it("adds up shards' summaries to the summary of all their people", () => {
    const statuses = ["ACTIVE", "ACTIVE", "UPDATING", "CREATED", "MISSING"];
    const all: Record<string, ReturnType<typeof person>> = {};
    const shards: Record<string, ReturnType<typeof person>>[] = [{}, {}, {}, {}];
    for (let n = 0; n < 400; n++) {
      const userId = `u${String((n * 7919) % 1000).padStart(3, "0")}`;
      all[userId] = person(n % 4, statuses[n % statuses.length]);
      shards[n % shards.length]![userId] = all[userId];
    }
    const merged = mergeSummaries(shards.map(summarizeRoster));
    expect(merged).toEqual(summarizeRoster(all));
    expect(merged.notActivePeople).toHaveLength(namesShown + 1);
    expect(mergeSummaries([])).toEqual(summarizeRoster({}));
    expect(mergeSummaries([summarizeRoster({ a: person(1, "CREATED") })])).toEqual({
      people: 1,
      faces: 1,
      notActive: 1,
      notActivePeople: ["a: CREATED"],
    });
  });
});
