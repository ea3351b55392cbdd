import type { DecodedImage } from "./decode.js";

/**
 * The image as it is meant to be seen, given its Exif orientation (1–8): phones
 * store portraits sideways and say so in the tag. Bounding boxes and landmarks
 * are then in ratios of the turned image, as Rekognition reports them.
 */
export function applyOrientation(img: DecodedImage, orientation: number): DecodedImage {
  if (orientation < 2 || orientation > 8) return img;
  // Orientations 5–8 swap the axes.
  const swap = orientation >= 5;
  const width = swap ? img.height : img.width;
  const height = swap ? img.width : img.height;
  const out = new Uint8Array(width * height * 4);
  const W = img.width - 1;
  const H = img.height - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The source pixel shown at (x, y) of the turned image.
      let sx: number, sy: number;
      switch (orientation) {
        case 2:
          [sx, sy] = [W - x, y];
          break;
        case 3:
          [sx, sy] = [W - x, H - y];
          break;
        case 4:
          [sx, sy] = [x, H - y];
          break;
        case 5:
          [sx, sy] = [y, x];
          break;
        case 6:
          [sx, sy] = [y, H - x];
          break;
        case 7:
          [sx, sy] = [W - y, H - x];
          break;
        default:
          [sx, sy] = [W - y, x];
          break; // 8
      }
      const s = (sy * img.width + sx) * 4;
      const d = (y * width + x) * 4;
      out[d] = img.data[s]!;
      out[d + 1] = img.data[s + 1]!;
      out[d + 2] = img.data[s + 2]!;
      out[d + 3] = img.data[s + 3]!;
    }
  }
  return { width, height, data: out };
}
