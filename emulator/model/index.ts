/**
 * The face model.
 *
 * This is a stand-in for Rekognition's face model, not a face recogniser: it finds
 * the synthetic faces drawn by `emulator/photos` (skin-coloured ellipses) and turns
 * each into a vector that is stable across photos of the same synthetic person and
 * unrelated between different people. Real photographs give arbitrary results.
 */
import { createHash } from "node:crypto";
import { decodeImage } from "./decode.js";
import { detectFaces } from "./detect.js";
import { faceVector } from "./vector.js";

export { ImageError } from "./decode.js";
export { similarity, centroid, VECTOR_LENGTH } from "./vector.js";

export const FACE_MODEL_VERSION = "7.0";

export interface BoundingBox {
  Width: number;
  Height: number;
  Left: number;
  Top: number;
}

export interface DetectedFace {
  boundingBox: BoundingBox;
  confidence: number;
  vector: Float32Array;
}

export interface ImageAnalysis {
  /** Stable per image content, formatted as a UUID. */
  imageId: string;
  /** Largest face first. */
  faces: DetectedFace[];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function analyzeImage(bytes: Uint8Array): ImageAnalysis {
  const img = decodeImage(bytes);
  const faces = detectFaces(img).map((blob) => ({
    boundingBox: {
      Width: round((blob.right - blob.left + 1) / img.width),
      Height: round((blob.bottom - blob.top + 1) / img.height),
      Left: round(blob.left / img.width),
      Top: round(blob.top / img.height),
    },
    confidence: 99.99,
    vector: faceVector(img, blob),
  }));
  return { imageId: contentUuid(bytes), faces };
}

function contentUuid(bytes: Uint8Array): string {
  const h = createHash("sha256").update(bytes).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
