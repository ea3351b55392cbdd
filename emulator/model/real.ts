/**
 * The real face model: @vladmandic/face-api's SSD MobileNet v1 detector, 68-point
 * landmarks and 128-d face descriptors (a port of dlib's ResNet), run on
 * TensorFlow.js with the WASM backend. Weights and .wasm files are read from the
 * installed packages; nothing is fetched. Runs inside the analysis worker only.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { DecodedImage } from "./decode.js";
import { poseFrom, rekognitionLandmarks, type Point } from "./landmarks.js";
import { faceQuality } from "./quality.js";
import { FaceModelUnavailableError, missingRealModelPackages } from "./real-packages.js";
import { rgbAtMost } from "./resize.js";
import type { DetectedFace } from "./types.js";

// Structural types of the little of face-api and tfjs used here: the packages are
// optional, so their types cannot be imported either.
interface Tensor3D {
  dispose(): void;
}
interface Tf {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor3d(data: Uint8Array, shape: [number, number, number], dtype: "int32"): Tensor3D;
  env(): { set(flag: string, value: unknown): void };
}
interface FaceResult {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: { positions: Point[] };
  descriptor: Float32Array;
}
interface FaceApi {
  nets: Record<
    "ssdMobilenetv1" | "faceLandmark68Net" | "faceRecognitionNet",
    { loadFromDisk(dir: string): Promise<void> }
  >;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(
    input: Tensor3D,
    options: unknown,
  ): { withFaceLandmarks(): { withFaceDescriptors(): Promise<FaceResult[]> } };
}

/** Detections below this score are not faces at all. */
const MIN_DETECTION_SCORE = 0.5;
const MAX_FACES = 100;
// The detector sees 512×512; faces are cropped from this image for the other networks.
const INPUT_MAX_SIDE = 1280;

interface Loaded {
  tf: Tf;
  faceapi: FaceApi;
  options: unknown;
}
let loading: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  const missing = missingRealModelPackages();
  if (missing.length > 0) throw new FaceModelUnavailableError(missing);
  const req = createRequire(__filename);
  const tf = req("@tensorflow/tfjs") as Tf;
  const wasm = req("@tensorflow/tfjs-backend-wasm") as { setWasmPaths(prefix: string): void };
  const faceapi = req("@vladmandic/face-api/dist/face-api.node-wasm.js") as FaceApi;
  // A file-system prefix: the backend reads its .wasm from disk, never from a CDN.
  wasm.setWasmPaths(
    path.dirname(req.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + path.sep,
  );
  await tf.setBackend("wasm");
  await tf.ready();
  const weights = path.join(path.dirname(req.resolve("@vladmandic/face-api/package.json")), "model");
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(weights);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(weights);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(weights);
  const options = new faceapi.SsdMobilenetv1Options({
    minConfidence: MIN_DETECTION_SCORE,
    maxResults: MAX_FACES,
  });
  return { tf, faceapi, options };
}

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return v.map((x) => x / norm);
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/** Loads the networks once per worker, on first use. */
export function loadRealModel(): Promise<Loaded> {
  loading ??= load();
  return loading;
}

export async function realFaces(img: DecodedImage): Promise<DetectedFace[]> {
  const { tf, faceapi, options } = await loadRealModel();
  const rgb = rgbAtMost(img, INPUT_MAX_SIDE);
  const tensor = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], "int32");
  let results: FaceResult[];
  try {
    results = await faceapi.detectAllFaces(tensor, options).withFaceLandmarks().withFaceDescriptors();
  } finally {
    tensor.dispose();
  }
  const faces = results.map((r): DetectedFace => {
    const b = r.detection.box;
    const left = clamp01(b.x / rgb.width);
    const top = clamp01(b.y / rgb.height);
    const box = {
      Width: round(clamp01((b.x + b.width) / rgb.width) - left),
      Height: round(clamp01((b.y + b.height) / rgb.height) - top),
      Left: round(left),
      Top: round(top),
    };
    const s = rgb.scale;
    return {
      boundingBox: box,
      confidence: Math.round(r.detection.score * 1e4) / 100,
      vector: unit(r.descriptor),
      pixelWidth: Math.round(b.width * s),
      pixelHeight: Math.round(b.height * s),
      landmarks: rekognitionLandmarks(r.landmarks.positions, rgb.width, rgb.height),
      pose: poseFrom(r.landmarks.positions),
      quality: faceQuality(img, { left: b.x * s, top: b.y * s, width: b.width * s, height: b.height * s }),
    };
  });
  return faces.sort((p, q) => q.pixelWidth * q.pixelHeight - p.pixelWidth * p.pixelHeight);
}
