import type { DecodedImage } from "./decode.js";
import { isSkin } from "./layout.js";

/** A face found in an image, in pixels (inclusive bounds). */
export interface FaceBlob {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

// The image is scanned on a grid of at most this many cells on its longer side,
// which keeps detection cost flat whatever the resolution.
const GRID_CELLS = 200;
// A blob smaller than this share of the image is noise, not a face.
const MIN_AREA_SHARE = 0.02;

/**
 * Finds skin-coloured connected regions large enough to be faces, largest first.
 * Facial features sit inside a ring of skin, so the region's bounds are the face's.
 */
export function detectFaces(img: DecodedImage): FaceBlob[] {
  const step = Math.max(1, Math.ceil(Math.max(img.width, img.height) / GRID_CELLS));
  const gw = Math.ceil(img.width / step);
  const gh = Math.ceil(img.height / step);
  const mask = new Uint8Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const o = (gy * step * img.width + gx * step) * 4;
      if (isSkin(img.data[o]!, img.data[o + 1]!, img.data[o + 2]!)) mask[gy * gw + gx] = 1;
    }
  }
  const blobs: { blob: FaceBlob; area: number }[] = [];
  const stack = new Int32Array(gw * gh);
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] !== 1) continue;
    let top = 0;
    stack[top++] = start;
    mask[start] = 2;
    let area = 0;
    let minX = gw,
      minY = gh,
      maxX = 0,
      maxY = 0;
    while (top > 0) {
      const cell = stack[--top]!;
      area++;
      const x = cell % gw;
      const y = (cell - x) / gw;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (x > 0 && mask[cell - 1] === 1) {
        mask[cell - 1] = 2;
        stack[top++] = cell - 1;
      }
      if (x < gw - 1 && mask[cell + 1] === 1) {
        mask[cell + 1] = 2;
        stack[top++] = cell + 1;
      }
      if (y > 0 && mask[cell - gw] === 1) {
        mask[cell - gw] = 2;
        stack[top++] = cell - gw;
      }
      if (y < gh - 1 && mask[cell + gw] === 1) {
        mask[cell + gw] = 2;
        stack[top++] = cell + gw;
      }
    }
    if (area < MIN_AREA_SHARE * gw * gh) continue;
    blobs.push({
      area,
      blob: {
        left: minX * step,
        top: minY * step,
        right: Math.min(img.width - 1, maxX * step + step - 1),
        bottom: Math.min(img.height - 1, maxY * step + step - 1),
      },
    });
  }
  blobs.sort((p, q) => q.area - p.area);
  return blobs.map((b) => b.blob);
}
