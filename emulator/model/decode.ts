import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import { checkImageHeader, IMAGE_LIMITS, readImageHeader } from "./header.js";
import { ImageError } from "./image-error.js";
import { applyOrientation } from "./orient.js";

export { ImageError } from "./image-error.js";

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

// jpeg-js keeps one plane per component beside the RGBA output: 4 + 3 bytes a pixel, with margin.
const JPEG_MEMORY_MB = Math.ceil((IMAGE_LIMITS.maxMegapixels * 1e6 * 8) / 2 ** 20);

/**
 * Decodes a PNG or JPEG. The header is checked first, so no decoder ever allocates
 * for dimensions past the limits; the decoders are then bounded again by their own
 * options (pngjs inflates no more than the header's dimensions need).
 */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const header = readImageHeader(bytes);
  checkImageHeader(header);
  let img: DecodedImage;
  try {
    if (header.format === "png") {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      img = { width: png.width, height: png.height, data: png.data };
    } else {
      const decoded = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: IMAGE_LIMITS.maxMegapixels,
        maxMemoryUsageInMB: JPEG_MEMORY_MB,
      });
      img = { width: decoded.width, height: decoded.height, data: decoded.data };
    }
  } catch (err) {
    throw new ImageError("format", `Request has invalid image format (${(err as Error).message})`);
  }
  if (img.width !== header.width || img.height !== header.height)
    throw new ImageError("format", "Request has invalid image format (decoded size differs from the header)");
  return header.orientation ? applyOrientation(img, header.orientation) : img;
}
