import type { DecodedImage } from "./decode.js";
import type { Quality } from "./types.js";

// The face is sampled on a grid of at most this many cells a side: cost stays flat.
const GRID = 64;

/**
 * Brightness (mean luma, 0–100) and sharpness (mean absolute Laplacian of luma,
 * scaled so a crisp portrait reads about 50–90 and a blurred one under 10) of the
 * face's box, given in pixels.
 */
export function faceQuality(
  img: DecodedImage,
  box: { left: number; top: number; width: number; height: number },
): Quality {
  const step = Math.max(1, Math.floor(Math.max(box.width, box.height) / GRID));
  const x0 = Math.max(0, Math.floor(box.left));
  const y0 = Math.max(0, Math.floor(box.top));
  const x1 = Math.min(img.width - 1, Math.ceil(box.left + box.width));
  const y1 = Math.min(img.height - 1, Math.ceil(box.top + box.height));
  const luma = (x: number, y: number) => {
    const o = (y * img.width + x) * 4;
    return 0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!;
  };
  let sum = 0;
  let n = 0;
  let edges = 0;
  let m = 0;
  for (let y = y0; y <= y1; y += step) {
    for (let x = x0; x <= x1; x += step) {
      const l = luma(x, y);
      sum += l;
      n++;
      if (x - 1 >= 0 && y - 1 >= 0 && x + 1 < img.width && y + 1 < img.height) {
        edges += Math.abs(4 * l - luma(x - 1, y) - luma(x + 1, y) - luma(x, y - 1) - luma(x, y + 1));
        m++;
      }
    }
  }
  const brightness = n ? ((sum / n) * 100) / 255 : 0;
  const sharpness = m ? Math.min(100, ((edges / m) * 100) / 40) : 0;
  return { Brightness: Math.round(brightness * 100) / 100, Sharpness: Math.round(sharpness * 100) / 100 };
}
