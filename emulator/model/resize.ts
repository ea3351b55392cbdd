import type { DecodedImage } from "./decode.js";

export interface RgbImage {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel. */
  data: Uint8Array;
  /** Pixels of the source per pixel of this image. */
  scale: number;
}

/**
 * RGB of the image, box-averaged down so its longer side is at most `maxSide`.
 * The detector works at 512×512 and the face networks at 112–150 px crops, so a
 * larger input only costs time and memory.
 */
export function rgbAtMost(img: DecodedImage, maxSide: number): RgbImage {
  const scale = Math.max(1, Math.max(img.width, img.height) / maxSide);
  const width = Math.max(1, Math.round(img.width / scale));
  const height = Math.max(1, Math.round(img.height / scale));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor(y * scale);
    const sy1 = Math.max(sy0 + 1, Math.min(img.height, Math.floor((y + 1) * scale)));
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor(x * scale);
      const sx1 = Math.max(sx0 + 1, Math.min(img.width, Math.floor((x + 1) * scale)));
      let r = 0,
        g = 0,
        b = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const o = (sy * img.width + sx) * 4;
          r += img.data[o]!;
          g += img.data[o + 1]!;
          b += img.data[o + 2]!;
        }
      }
      const n = (sy1 - sy0) * (sx1 - sx0);
      const o = (y * width + x) * 3;
      data[o] = r / n;
      data[o + 1] = g / n;
      data[o + 2] = b / n;
    }
  }
  return { width, height, data, scale };
}
