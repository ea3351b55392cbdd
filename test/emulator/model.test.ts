import jpeg from "jpeg-js";
import { describe, expect, test } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { analyzeImage, generatePortrait, similarity, writeRosterPhotos } from "../../emulator/index.js";
import { REAL_CALIBRATION } from "../../emulator/model/calibration.js";
import { createFaceModel } from "../../emulator/model/index.js";
import { readImageHeader } from "../../emulator/model/header.js";
import { AnalysisPool } from "../../emulator/model/pool.js";
import { filteredReasons } from "../../emulator/model/quality-filter.js";
import type { DetectedFace } from "../../emulator/model/types.js";
import { scratchDir } from "../harness/scratch.js";

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

  test("writeRosterPhotos writes the named files and returns their paths", () => {
    const dir = scratchDir("roster-");
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

describe("image headers", () => {
  test("dimensions of PNG and JPEG portraits are read without decoding", () => {
    expect(readImageHeader(generatePortrait("hd", 1))).toEqual({ format: "png", width: 160, height: 200 });
    expect(readImageHeader(generatePortrait("hd", 1, { format: "jpeg" }))).toMatchObject({
      format: "jpeg",
      width: 160,
      height: 200,
      progressive: false,
      scans: 1,
    });
  });

  test("anything else is refused as an invalid format", () => {
    expect(() => readImageHeader(Buffer.from("GIF89a........"))).toThrow(/invalid image format/);
  });
});

describe("real model calibration", () => {
  test("80 at the customary same-person boundary, 20 where different people start, and monotone", () => {
    expect(REAL_CALIBRATION.similarity(0.909)).toBeCloseTo(80, 0);
    expect(REAL_CALIBRATION.similarity(0.864)).toBeCloseTo(20, 0);
    expect(REAL_CALIBRATION.similarity(1)).toBeGreaterThan(99.5);
    for (const s of [1, 20, 50, 75, 80, 99])
      expect(REAL_CALIBRATION.similarity(REAL_CALIBRATION.cosineFor(s))).toBeCloseTo(s, 6);
  });
});

describe("quality filter", () => {
  const face = (over: Partial<DetectedFace>): DetectedFace => ({
    boundingBox: { Width: 0.2, Height: 0.3, Left: 0.1, Top: 0.1 },
    confidence: 99,
    vector: new Float32Array(4),
    pixelWidth: 200,
    pixelHeight: 260,
    pose: { Roll: 0, Yaw: 0, Pitch: 0 },
    quality: { Brightness: 50, Sharpness: 60 },
    ...over,
  });
  const image = { width: 1000, height: 800 };

  test("NONE keeps every face; the others name each reason", () => {
    const poor = face({ confidence: 60, pixelWidth: 30, pose: { Roll: 0, Yaw: 70, Pitch: 0 } });
    expect(filteredReasons(poor, "NONE", image)).toEqual([]);
    expect(filteredReasons(poor, "AUTO", image)).toEqual(["SMALL_BOUNDING_BOX"]);
    expect(filteredReasons(poor, "HIGH", image)).toEqual([
      "SMALL_BOUNDING_BOX",
      "LOW_CONFIDENCE",
      "EXTREME_POSE",
    ]);
    expect(filteredReasons(face({}), "HIGH", image)).toEqual([]);
  });

  test("the minimum face grows with images larger than 1920×1080", () => {
    const f = face({ pixelWidth: 60, pixelHeight: 60 });
    expect(filteredReasons(f, "AUTO", { width: 1920, height: 1080 })).toEqual([]);
    expect(filteredReasons(f, "AUTO", { width: 3840, height: 2160 })).toEqual(["SMALL_BOUNDING_BOX"]);
  });
});

describe("analysis workers", () => {
  test("a job past its time is refused and its worker ended; image errors come back typed; a stopped pool takes no jobs", async () => {
    const impatient = new AnalysisPool("synthetic", 1, 1);
    await expect(impatient.run(generatePortrait("slow", 1))).rejects.toThrow(/took longer than 1 ms/);
    await impatient.close();
    const pool = new AnalysisPool("synthetic", 1, 60_000);
    try {
      await expect(pool.run(Buffer.from("not an image"))).rejects.toMatchObject({ kind: "format" });
      expect((await pool.run(generatePortrait("next", 1))).faces).toHaveLength(1);
    } finally {
      await pool.close();
    }
    await expect(pool.run(generatePortrait("late", 1))).rejects.toThrow(/stopped/);
  });
});

/** An APP1 Exif segment holding only IFD0's Orientation tag, big-endian. */
function exifSegment(orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0,
    42,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const body = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), length, body]);
}

/** The portrait stored sideways (turned a quarter counter-clockwise), as a phone stores a portrait photo. */
function sidewaysJpeg(person: string, orientation?: number): Buffer {
  const upright = jpeg.decode(generatePortrait(person, 1, { format: "jpeg" }), { useTArray: true });
  const { width, height } = upright;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      // Stored pixel (y, width - 1 - x) shows upright pixel (x, y) once turned clockwise (orientation 6).
      const d = ((width - 1 - x) * height + y) * 4;
      data.set(upright.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4), d);
    }
  const encoded = Buffer.from(jpeg.encode({ data, width: height, height: width }, 95).data);
  if (orientation === undefined) return encoded;
  return Buffer.concat([encoded.subarray(0, 2), exifSegment(orientation), encoded.subarray(2)]);
}

describe("Exif orientation", () => {
  test("a sideways JPEG tagged orientation 6 is turned upright before faces are read", () => {
    const tagged = sidewaysJpeg("tilda", 6);
    expect(readImageHeader(tagged)).toMatchObject({ width: 200, height: 160, orientation: 6 });
    const upright = analyzeImage(generatePortrait("tilda", 1, { format: "jpeg" }));
    const turned = analyzeImage(tagged);
    expect([turned.width, turned.height]).toEqual([160, 200]);
    expect(similarity(turned.faces[0]!.vector, upright.faces[0]!.vector)).toBeGreaterThanOrEqual(95);
    // Without the tag the same pixels read as a different face.
    const untagged = analyzeImage(sidewaysJpeg("tilda"));
    expect(similarity(untagged.faces[0]!.vector, upright.faces[0]!.vector)).toBeLessThan(95);
  });

  test("the model's workers report the upright size, which the quality filter's minimum face size uses", async () => {
    const model = createFaceModel("synthetic");
    try {
      const analysis = await model.analyze(sidewaysJpeg("tilda", 6));
      expect([analysis.width, analysis.height]).toEqual([160, 200]);
      expect(analysis.faces).toHaveLength(1);
    } finally {
      await model.close();
    }
  });
});
