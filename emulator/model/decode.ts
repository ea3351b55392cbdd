import { PNG } from "pngjs";
import jpeg from "jpeg-js";

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

/** Why an image could not be used; the operations layer maps this to the service's error. */
export class ImageError extends Error {
  constructor(
    readonly kind: "format" | "too-large",
    message: string,
  ) {
    super(message);
    this.name = "ImageError";
  }
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Bigger pictures than this are refused rather than decoded: it bounds memory.
const MAX_MEGAPIXELS = 40;

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

export function decodeImage(bytes: Uint8Array): DecodedImage {
  try {
    if (startsWith(bytes, PNG_MAGIC)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (png.width * png.height > MAX_MEGAPIXELS * 1e6) throw new ImageError("too-large", "Image too large");
      return { width: png.width, height: png.height, data: png.data };
    }
    if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_MEGAPIXELS,
        maxMemoryUsageInMB: 512,
      });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (err) {
    if (err instanceof ImageError) throw err;
    throw new ImageError("format", "Request has invalid image format");
  }
  throw new ImageError("format", "Request has invalid image format");
}
