// The real face model (face-api on TensorFlow.js/WASM) on real photographs: see
// test/photos/real/NOTICE.md for their source.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import jpeg from "jpeg-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  IndexFacesCommand,
  SearchFacesByImageCommand,
  SearchUsersByImageCommand,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { generatePortrait, startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { FaceModelUnavailableError, missingRealModelPackages } from "../../emulator/model/real-packages.js";
import { clientFor, startWithClient } from "./helpers.js";
import { scratchDir } from "../harness/scratch.js";

const PHOTOS = join(__dirname, "../photos/real");
const photo = (name: string) => readFileSync(join(PHOTOS, `${name}.jpg`));

/** Two portraits side by side on one canvas: a group photo of two people. */
function sideBySide(left: Buffer, right: Buffer): Buffer {
  const a = jpeg.decode(left, { useTArray: true });
  const b = jpeg.decode(right, { useTArray: true });
  const width = a.width + b.width;
  const height = Math.max(a.height, b.height);
  const data = Buffer.alloc(width * height * 4, 255);
  for (const [img, x0] of [
    [a, 0],
    [b, a.width],
  ] as const) {
    for (let y = 0; y < img.height; y++)
      data.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), (y * width + x0) * 4);
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 90).data);
}

let emu: RunningEmulator;
let client: RekognitionClient;
const faceOf: Record<string, string> = {};

async function index(name: string) {
  const out = await client.send(
    new IndexFacesCommand({ CollectionId: "people", Image: { Bytes: photo(name) }, ExternalImageId: name }),
  );
  expect(out.FaceRecords).toHaveLength(1);
  faceOf[name] = out.FaceRecords![0]!.Face!.FaceId!;
  return out.FaceRecords![0]!;
}

beforeAll(async () => {
  ({ emu, client } = await startWithClient({ faceModel: "real" }));
  await client.send(new CreateCollectionCommand({ CollectionId: "people" }));
  for (const userId of ["obama", "biden"])
    await client.send(new CreateUserCommand({ CollectionId: "people", UserId: userId }));
});

afterAll(async () => {
  client?.destroy();
  await emu?.stop();
});

describe("real face model", () => {
  test("IndexFaces finds the face with a plausible box, landmarks on it, pose and quality", async () => {
    const record = await index("obama-1");
    const box = record.Face!.BoundingBox!;
    // The face of a head-and-shoulders portrait: a fifth to a half of the frame, in its upper half.
    expect(box.Width).toBeGreaterThan(0.15);
    expect(box.Width).toBeLessThan(0.5);
    expect(box.Height).toBeGreaterThan(0.15);
    expect(box.Top! + box.Height! / 2).toBeLessThan(0.5);
    expect(record.Face!.Confidence).toBeGreaterThan(90);
    const detail = record.FaceDetail!;
    expect(detail.Landmarks).toHaveLength(30);
    const at = (type: string) => detail.Landmarks!.find((l) => l.Type === type)!;
    for (const type of ["eyeLeft", "eyeRight", "nose", "mouthLeft", "mouthRight"]) {
      expect(at(type).X).toBeGreaterThan(box.Left!);
      expect(at(type).X).toBeLessThan(box.Left! + box.Width!);
      expect(at(type).Y).toBeGreaterThan(box.Top!);
      expect(at(type).Y).toBeLessThan(box.Top! + box.Height!);
    }
    expect(at("eyeLeft").X).toBeLessThan(at("eyeRight").X!);
    expect(at("eyeLeft").Y).toBeLessThan(at("mouthLeft").Y!);
    // A frontal official portrait.
    expect(Math.abs(detail.Pose!.Roll!)).toBeLessThan(15);
    expect(Math.abs(detail.Pose!.Yaw!)).toBeLessThan(30);
    expect(detail.Quality!.Brightness!).toBeGreaterThan(20);
    expect(detail.Quality!.Sharpness!).toBeGreaterThan(0);
  });

  test("a second photo of the same person is associated; a different person is LOW_MATCH_CONFIDENCE", async () => {
    await index("obama-2");
    await index("biden-1");
    const first = await client.send(
      new AssociateFacesCommand({ CollectionId: "people", UserId: "obama", FaceIds: [faceOf["obama-1"]!] }),
    );
    expect(first.AssociatedFaces).toEqual([{ FaceId: faceOf["obama-1"] }]);
    const same = await client.send(
      new AssociateFacesCommand({ CollectionId: "people", UserId: "obama", FaceIds: [faceOf["obama-2"]!] }),
    );
    expect(same.AssociatedFaces).toEqual([{ FaceId: faceOf["obama-2"] }]);
    const other = await client.send(
      new AssociateFacesCommand({ CollectionId: "people", UserId: "obama", FaceIds: [faceOf["biden-1"]!] }),
    );
    expect(other.AssociatedFaces).toEqual([]);
    expect(other.UnsuccessfulFaceAssociations).toEqual([
      { FaceId: faceOf["biden-1"], Reasons: ["LOW_MATCH_CONFIDENCE"], Confidence: expect.any(Number) },
    ]);
    expect(other.UnsuccessfulFaceAssociations![0]!.Confidence).toBeLessThan(50);
    await client.send(
      new AssociateFacesCommand({ CollectionId: "people", UserId: "biden", FaceIds: [faceOf["biden-1"]!] }),
    );
  });

  test("an unseen photo finds the right user above 80 and no one else above 80", async () => {
    const out = await client.send(
      new SearchUsersByImageCommand({
        CollectionId: "people",
        Image: { Bytes: photo("obama-3") },
        UserMatchThreshold: 0,
      }),
    );
    const similarity = Object.fromEntries(out.UserMatches!.map((m) => [m.User!.UserId!, m.Similarity!]));
    expect(out.UserMatches![0]!.User!.UserId).toBe("obama");
    expect(similarity.obama).toBeGreaterThan(80);
    expect(similarity.biden ?? 0).toBeLessThan(80);
    const byDefault = await client.send(
      new SearchUsersByImageCommand({ CollectionId: "people", Image: { Bytes: photo("obama-3") } }),
    );
    expect(byDefault.UserMatches!.map((m) => m.User!.UserId)).toEqual(["obama"]);
    const faces = await client.send(
      new SearchFacesByImageCommand({ CollectionId: "people", Image: { Bytes: photo("obama-3") } }),
    );
    expect(faces.FaceMatches!.map((m) => m.Face!.ExternalImageId).sort()).toEqual(["obama-1", "obama-2"]);
  });

  test("a group photo: MaxFaces keeps the largest face, the other is EXCEEDS_MAX_FACES; searches use the largest", async () => {
    const group = sideBySide(photo("obama-1"), photo("biden-1"));
    const out = await client.send(
      new IndexFacesCommand({
        CollectionId: "people",
        Image: { Bytes: group },
        MaxFaces: 1,
        QualityFilter: "NONE",
      }),
    );
    expect(out.FaceRecords).toHaveLength(1);
    expect(out.FaceRecords![0]!.Face!.BoundingBox!.Left).toBeLessThan(0.5); // obama, on the left, is larger
    expect(out.UnindexedFaces).toHaveLength(1);
    expect(out.UnindexedFaces![0]!.Reasons).toEqual(["EXCEEDS_MAX_FACES"]);
    expect(out.UnindexedFaces![0]!.FaceDetail!.BoundingBox!.Left).toBeGreaterThan(0.5);

    const search = await client.send(
      new SearchUsersByImageCommand({ CollectionId: "people", Image: { Bytes: group } }),
    );
    expect(search.UserMatches!.map((m) => m.User!.UserId)).toEqual(["obama"]);
    expect(search.UnsearchedFaces!.map((f) => f.Reasons)).toEqual([["FACE_NOT_LARGEST"]]);
  });

  test("QualityFilter HIGH leaves out a face detected with low confidence, naming the reason", async () => {
    const out = await client.send(
      new IndexFacesCommand({
        CollectionId: "people",
        Image: { Bytes: photo("biden-1") },
        QualityFilter: "HIGH",
      }),
    );
    expect(out.FaceRecords).toEqual([]);
    expect(out.UnindexedFaces![0]!.Reasons).toContain("LOW_CONFIDENCE");
  });
});

describe("real model packages", () => {
  test("missing packages are named, with the exact command that installs them", () => {
    const missing = missingRealModelPackages((id) => {
      if (id.startsWith("@tensorflow/tfjs-backend-wasm")) throw new Error("not found");
      return id;
    });
    expect(missing).toEqual(["@tensorflow/tfjs-backend-wasm"]);
    expect(new FaceModelUnavailableError(missing).message).toContain(
      "npm install --save-dev @vladmandic/face-api@1.7.15 @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0",
    );
  });
});

describe("rekognition-local --face-model", () => {
  const CLI = resolve(__dirname, "../../dist/emulator/cli.js");

  /** What the command prints up to the line naming its face model; then it is stopped. */
  async function startupLines(cli: string, args: readonly string[]): Promise<string> {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    await new Promise<void>((done) =>
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("face model:")) done();
      }),
    );
    child.kill("SIGTERM");
    await new Promise((done) => child.once("exit", done));
    return output;
  }

  test("the command line runs the real model by default when its packages are installed", async () => {
    expect(await startupLines(CLI, ["--port", "0"])).toContain("face model: real");
  });

  test("without the real model's packages it refuses to start unless the synthetic model is asked for", async () => {
    // This package as a user's project holds it: dist/ and every dependency but the three optional ones.
    const project = scratchDir("no-real-model-");
    cpSync(resolve(__dirname, "../../dist"), join(project, "dist"), { recursive: true });
    const modules = resolve(__dirname, "../../node_modules");
    mkdirSync(join(project, "node_modules"));
    for (const entry of readdirSync(modules))
      if (entry !== "@vladmandic" && entry !== "@tensorflow" && !entry.startsWith("."))
        symlinkSync(join(modules, entry), join(project, "node_modules", entry));
    const cli = join(project, "dist/emulator/cli.js");

    const refused = spawnSync(process.execPath, [cli, "--port", "0"], { encoding: "utf8" });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe(
      "rekognition-local: the real face model needs @vladmandic/face-api, @tensorflow/tfjs, " +
        "@tensorflow/tfjs-backend-wasm, which are not installed: run `npm install --save-dev " +
        "@vladmandic/face-api@1.7.15 @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0` " +
        "(or start with --face-model synthetic, a stand-in that recognises only the portraits " +
        "`rekognition-local photos` draws)",
    );

    expect(await startupLines(cli, ["--port", "0", "--face-model", "synthetic"])).toContain(
      "face model: synthetic",
    );
  });

  test("an unknown model is refused in one line naming the choices", () => {
    const run = spawnSync(process.execPath, [CLI, "--face-model", "dlib"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'rekognition-local: --face-model must be one of synthetic, real, got "dlib"',
    );
  });
});

describe("one data dir, one model", () => {
  test("a data dir of synthetic faces refuses to start with the real model, saying why and what to do", async () => {
    const dataDir = scratchDir("one-model-");
    const synthetic = await startEmulator({ port: 0, dataDir });
    const c = clientFor(synthetic);
    await c.send(new CreateCollectionCommand({ CollectionId: "drawn" }));
    await c.send(
      new IndexFacesCommand({ CollectionId: "drawn", Image: { Bytes: generatePortrait("ann", 1) } }),
    );
    c.destroy();
    await synthetic.stop();
    await expect(startEmulator({ port: 0, dataDir, faceModel: "real" })).rejects.toThrow(
      "collection 'drawn' holds faces indexed by the synthetic face model (36-number vectors), which the real model (128) cannot search",
    );
    const again = await startEmulator({ port: 0, dataDir });
    await again.stop();
  });
});
