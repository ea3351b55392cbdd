import type { DecodedImage } from "./decode.js";
import { detectFaces } from "./detect.js";
import type { DetectedFace } from "./types.js";
import { faceVector } from "./vector.js";

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The synthetic model: finds the faces `generatePortrait` draws (skin-coloured
 * ellipses) and reads each into a vector. A stand-in, not a face recogniser.
 */
export function syntheticFaces(img: DecodedImage): DetectedFace[] {
  return detectFaces(img).map((blob) => {
    const pixelWidth = blob.right - blob.left + 1;
    const pixelHeight = blob.bottom - blob.top + 1;
    return {
      boundingBox: {
        Width: round(pixelWidth / img.width),
        Height: round(pixelHeight / img.height),
        Left: round(blob.left / img.width),
        Top: round(blob.top / img.height),
      },
      confidence: 99.99,
      vector: faceVector(img, blob),
      pixelWidth,
      pixelHeight,
    };
  });
}
