import { decodeImage } from "./decode.js";
import { realFaces } from "./real.js";
import { syntheticFaces } from "./synthetic.js";
import type { DetectedFace, FaceModelKind } from "./types.js";

/** What a worker reports of an image: its size as seen (after Exif orientation) and its faces. */
export interface FacesFound {
  width: number;
  height: number;
  faces: DetectedFace[];
}

/** Decodes the image and runs one model on it: the work a worker does per request. */
export async function facesIn(model: FaceModelKind, bytes: Uint8Array): Promise<FacesFound> {
  const img = decodeImage(bytes);
  // real.ts loads its optional packages on first use, not when imported.
  const faces = model === "synthetic" ? syntheticFaces(img) : await realFaces(img);
  return { width: img.width, height: img.height, faces };
}
