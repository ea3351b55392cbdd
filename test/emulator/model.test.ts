import { describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeImage, generatePortrait, similarity, writeRosterPhotos } from "../../emulator/index.js";

const people = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"];
const vectorOf = (bytes: Buffer) => {
  const faces = analyzeImage(bytes).faces;
  expect(faces).toHaveLength(1);
  return faces[0]!.vector;
};

describe("face model", () => {
  const vectors = Object.fromEntries(
    people.map((p) => [
      p,
      [1, 2, 3]
        .map((n) => vectorOf(generatePortrait(p, n)))
        .concat(vectorOf(generatePortrait(p, 4, { format: "jpeg" }))),
    ]),
  );

  test("photos of the same person are at least 95% similar (PNG and JPEG)", () => {
    for (const p of people) {
      const [first, ...rest] = vectors[p]!;
      for (const v of rest) expect(similarity(first!, v)).toBeGreaterThanOrEqual(95);
    }
  });

  test("photos of different people are at most 60% similar", () => {
    for (const p of people) {
      for (const q of people) {
        if (p === q) continue;
        expect(similarity(vectors[p]![0]!, vectors[q]![1]!)).toBeLessThanOrEqual(60);
      }
    }
  });

  test("detects no face in a plain background and two in a pair portrait", () => {
    expect(analyzeImage(generatePortrait("alice", 1, { faces: 0 })).faces).toEqual([]);
    const pair = analyzeImage(generatePortrait("alice", 1, { faces: 2 })).faces;
    expect(pair).toHaveLength(2);
    // The person is one of the two faces.
    const best = Math.max(...pair.map((f) => similarity(f.vector, vectors.alice![0]!)));
    expect(best).toBeGreaterThanOrEqual(95);
  });

  test("portraits are deterministic and photos of a person differ from each other", () => {
    expect(generatePortrait("zoe", 3).equals(generatePortrait("zoe", 3))).toBe(true);
    expect(generatePortrait("zoe", 3).equals(generatePortrait("zoe", 4))).toBe(false);
  });

  test("the image id is stable per content", () => {
    const a = analyzeImage(generatePortrait("yan", 1));
    expect(analyzeImage(generatePortrait("yan", 1)).imageId).toBe(a.imageId);
    expect(analyzeImage(generatePortrait("yan", 2)).imageId).not.toBe(a.imageId);
  });

  test("analysis takes a few milliseconds per photo", () => {
    const photos = Array.from({ length: 50 }, (_, i) => generatePortrait("speed", i));
    const start = performance.now();
    for (const p of photos) analyzeImage(p);
    expect((performance.now() - start) / photos.length).toBeLessThan(15);
  });

  test("writeRosterPhotos writes the named files and returns their paths", () => {
    const dir = mkdtempSync(join(tmpdir(), "roster-"));
    const paths = writeRosterPhotos(dir, ["amy", "ben"], 2, 1);
    expect(paths.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      "amy-1.png",
      "amy-2.png",
      "amy-unseen-1.png",
      "ben-1.png",
      "ben-2.png",
      "ben-unseen-1.png",
    ]);
    for (const p of paths) expect(existsSync(p)).toBe(true);
    const unseen = vectorOf(readFileSync(join(dir, "amy-unseen-1.png")));
    expect(similarity(unseen, vectorOf(readFileSync(join(dir, "amy-1.png"))))).toBeGreaterThanOrEqual(95);
  });
});
