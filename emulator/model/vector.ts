import type { DecodedImage } from "./decode.js";
import type { FaceBlob } from "./detect.js";
import { FEATURES, HAIR_SPOT, SKIN_SPOTS } from "./layout.js";

/**
 * The face vector: the colour at the centre of each feature, read relative to the
 * face's bounds so it does not move with the face, divided by the face's overall
 * brightness so lighting does not change it, centred, then L2-normalised.
 */
export const VECTOR_LENGTH = (FEATURES.length + 2) * 3;

function sample(img: DecodedImage, x: number, y: number, radius: number, into: number[]): void {
  const x0 = Math.max(0, Math.round(x - radius));
  const x1 = Math.min(img.width - 1, Math.round(x + radius));
  const y0 = Math.max(0, Math.round(y - radius));
  const y1 = Math.min(img.height - 1, Math.round(y + radius));
  let r = 0,
    g = 0,
    b = 0,
    n = 0;
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      const o = (py * img.width + px) * 4;
      r += img.data[o]!;
      g += img.data[o + 1]!;
      b += img.data[o + 2]!;
      n++;
    }
  }
  into.push(r / n, g / n, b / n);
}

export function faceVector(img: DecodedImage, face: FaceBlob): Float32Array {
  const a = (face.right - face.left + 1) / 2;
  const b = (face.bottom - face.top + 1) / 2;
  const cx = face.left + a - 0.5;
  const cy = face.top + b - 0.5;
  const radius = Math.max(1, Math.round(0.035 * Math.min(a, b)));
  const raw: number[] = [];
  const at = (u: number, v: number) => sample(img, cx + u * a, cy + v * b, radius, raw);
  const skin: number[] = [];
  for (const s of SKIN_SPOTS) sample(img, cx + s.u * a, cy + s.v * b, radius, skin);
  raw.push((skin[0]! + skin[3]!) / 2, (skin[1]! + skin[4]!) / 2, (skin[2]! + skin[5]!) / 2);
  at(HAIR_SPOT.u, HAIR_SPOT.v);
  for (const f of FEATURES) at(f.u, f.v);

  const mean = raw.reduce((s, x) => s + x, 0) / raw.length || 1;
  const vector = new Float32Array(raw.length);
  let norm = 0;
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i]! / mean - 1;
    vector[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}

/** The unit-length mean of several unit vectors: a user's representation. */
export function centroid(vectors: Iterable<Float32Array>): Float32Array | undefined {
  let sum: Float32Array | undefined;
  for (const v of vectors) {
    sum ??= new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) sum[i] = sum[i]! + v[i]!;
  }
  if (!sum) return undefined;
  let norm = 0;
  for (let i = 0; i < sum.length; i++) norm += sum[i]! * sum[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! / norm;
  return sum;
}
