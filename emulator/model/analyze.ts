import { decodeImage } from "./decode.js";
import { realFaces } from "./real.js";
import { syntheticFaces } from "./synthetic.js";
import type { DetectedFace, FaceModelKind } from "./types.js";

/** Decodes the image and runs one model on it: the work a worker does per request. */
export async function facesIn(model: FaceModelKind, bytes: Uint8Array): Promise<DetectedFace[]> {
  const img = decodeImage(bytes);
  if (model === "synthetic") return syntheticFaces(img);
  // real.ts loads its optional packages on first use, not when imported.
  return realFaces(img);
}
