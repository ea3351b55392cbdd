/**
 * The face model: an interface with two implementations chosen at start.
 *
 * - `synthetic` finds the faces drawn by `emulator/photos` (skin-coloured ellipses)
 *   and turns each into a vector: fast, deterministic, arbitrary on real photos.
 * - `real` runs @vladmandic/face-api (SSD MobileNet, 68 landmarks, 128-d
 *   descriptors) on TensorFlow.js/WASM: real photos, ~0.5–1 s each.
 *
 * Either way images are checked from their header on the calling thread, then
 * decoded and analysed in a worker thread; the operations only see `FaceModel`.
 */
import { createHash } from "node:crypto";
import { SYNTHETIC_CALIBRATION, REAL_CALIBRATION, type Calibration } from "./calibration.js";
import { decodeImage } from "./decode.js";
import { checkImageHeader, readImageHeader } from "./header.js";
import { AnalysisPool } from "./pool.js";
import { FaceModelUnavailableError, missingRealModelPackages } from "./real-packages.js";
import { syntheticFaces } from "./synthetic.js";
import type { FaceModelKind, ImageAnalysis } from "./types.js";

export { ImageError } from "./image-error.js";
export { centroid, VECTOR_LENGTH } from "./vector.js";
export { IMAGE_LIMITS } from "./header.js";
export { storedVectorMismatch, VECTOR_LENGTHS } from "./stored-vectors.js";
export { FaceModelUnavailableError, REAL_MODEL_INSTALL, missingRealModelPackages } from "./real-packages.js";
export type * from "./types.js";

export const FACE_MODEL_VERSION = "7.0";
export const FACE_MODEL_KINDS: readonly FaceModelKind[] = ["synthetic", "real"];

export interface FaceModel {
  readonly kind: FaceModelKind;
  /** Faces in an image, largest first; rejects with an ImageError for an unusable image. */
  analyze(bytes: Uint8Array): Promise<ImageAnalysis>;
  /** Similarity (0–100) of two unit face vectors. */
  similarity(p: Float32Array, q: Float32Array): number;
  /** The similarity (0–100) two unit vectors with this dot product have. */
  similarityOfCosine(cosine: number): number;
  /** The smallest cosine of two unit vectors whose similarity reaches `threshold`. */
  cosineFor(threshold: number): number;
  /** Ends the workers. */
  close(): Promise<void>;
}

// A job past this is a decoder or model gone wrong; the header checks bound honest work far below.
const JOB_TIMEOUT_MS = 60_000;

function dot(p: Float32Array, q: Float32Array): number {
  let d = 0;
  for (let i = 0; i < p.length; i++) d += p[i]! * q[i]!;
  return d;
}

/**
 * One pool of workers per model in a process, shared by every emulator it runs:
 * workers hold no state of their own, and the real model's networks (~300 MB of
 * WASM memory, a second to load) are loaded once. The last emulator to stop ends it.
 */
const pools = new Map<FaceModelKind, { pool: AnalysisPool; users: number }>();

function acquirePool(kind: FaceModelKind): AnalysisPool {
  // The real model: one worker is enough on a laptop, and each would hold its own networks.
  const entry = pools.get(kind) ?? {
    pool: new AnalysisPool(kind, kind === "real" ? 1 : 2, JOB_TIMEOUT_MS),
    users: 0,
  };
  pools.set(kind, entry);
  entry.users++;
  return entry.pool;
}

async function releasePool(kind: FaceModelKind): Promise<void> {
  const entry = pools.get(kind);
  if (!entry || --entry.users > 0) return;
  pools.delete(kind);
  await entry.pool.close();
}

/**
 * The model `kind`. The real model's packages are checked (not loaded) here, so a
 * missing one fails at start with the command that installs it; the networks load
 * once, lazily, in the worker on the first image.
 */
export function createFaceModel(kind: FaceModelKind): FaceModel {
  if (kind === "real") {
    const missing = missingRealModelPackages();
    if (missing.length > 0) throw new FaceModelUnavailableError(missing);
  }
  const calibration: Calibration = kind === "real" ? REAL_CALIBRATION : SYNTHETIC_CALIBRATION;
  const pool = acquirePool(kind);
  let closed = false;
  return {
    kind,
    async analyze(bytes) {
      const header = readImageHeader(bytes);
      checkImageHeader(header);
      return { imageId: contentUuid(bytes), ...(await pool.run(bytes)) };
    },
    similarity: (p, q) => calibration.similarity(dot(p, q)),
    similarityOfCosine: (cosine) => calibration.similarity(cosine),
    cosineFor: (threshold) => calibration.cosineFor(threshold),
    close: async () => {
      if (closed) return;
      closed = true;
      await releasePool(kind);
    },
  };
}

/** The synthetic model, on the calling thread: for tools and tests that analyse a portrait directly. */
export function analyzeImage(bytes: Uint8Array): ImageAnalysis {
  const img = decodeImage(bytes);
  return { imageId: contentUuid(bytes), width: img.width, height: img.height, faces: syntheticFaces(img) };
}

/** The synthetic model's similarity of two unit vectors (0–100). */
export function similarity(p: Float32Array, q: Float32Array): number {
  return SYNTHETIC_CALIBRATION.similarity(dot(p, q));
}

function contentUuid(bytes: Uint8Array): string {
  const h = createHash("sha256").update(bytes).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
