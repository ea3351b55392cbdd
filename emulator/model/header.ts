import { ImageError } from "./image-error.js";

/**
 * What an image's header claims, read without decoding a single pixel, so that a
 * file claiming 65535×65535 is refused before anything is allocated for it.
 *
 * Parsed here rather than with a general image-size reader because the checks need
 * more than dimensions: the JPEG coding process (the decoder knows baseline and
 * progressive only) and the number of scans (each progressive scan revisits every
 * block, so thousands of tiny scans are a time bomb).
 */
export interface ImageHeader {
  format: "png" | "jpeg";
  width: number;
  height: number;
  /** JPEG only: how many scans (SOS segments) the file holds. */
  scans?: number;
  progressive?: boolean;
  /** JPEG only: the Exif orientation (1–8) when the file has one other than 1 (upright). */
  orientation?: number;
}

/** Rekognition's published image limits, plus the emulator's own decode budget. */
export const IMAGE_LIMITS = {
  /** "The minimum image dimensions is 80 pixels for both height and width." */
  minSide: 80,
  /** The published maximum for DetectLabels and DetectModerationLabels; applied to every operation here. */
  maxSide: 10_000,
  /** The emulator's decode budget: beyond it the RGBA buffer alone passes 160 MB. */
  maxMegapixels: 40,
  /** libjpeg-turbo's tools refuse more than 1000 scans; real encoders write about 10. */
  maxJpegScans: 200,
} as const;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const invalid = (why: string) => new ImageError("format", `Request has invalid image format (${why})`);

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function pngHeader(b: Uint8Array): ImageHeader {
  // The IHDR chunk must come first: length 13, type "IHDR", then width and height.
  if (b.length < 33 || u32(b, 8) !== 13 || String.fromCharCode(...b.subarray(12, 16)) !== "IHDR")
    throw invalid("PNG without an IHDR chunk");
  const width = u32(b, 16);
  const height = u32(b, 20);
  if (width === 0 || height === 0) throw invalid("PNG of zero width or height");
  return { format: "png", width, height };
}

// SOF markers by coding process: the decoder handles Huffman baseline, extended and progressive.
const SOF_SUPPORTED = new Set([0xc0, 0xc1, 0xc2]);
const SOF_OTHER = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * The Orientation tag (0x0112) of IFD0 in an APP1 "Exif" segment's body, if any.
 * Rekognition turns images by it before detecting faces, and so does the emulator.
 */
export function exifOrientation(body: Uint8Array): number | undefined {
  if (body.length < 14 || String.fromCharCode(...body.subarray(0, 6)) !== "Exif\0\0") return undefined;
  const tiff = body.subarray(6);
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const r16 = (o: number) => (little ? tiff[o]! | (tiff[o + 1]! << 8) : u16(tiff, o));
  const r32 = (o: number) =>
    little
      ? (tiff[o]! | (tiff[o + 1]! << 8) | (tiff[o + 2]! << 16) | (tiff[o + 3]! << 24)) >>> 0
      : u32(tiff, o);
  const ifd = r32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const entries = r16(ifd);
  for (let i = 0; i < entries; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > tiff.length) return undefined;
    if (r16(e) === 0x0112) {
      const value = r16(e + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

function jpegHeader(b: Uint8Array): ImageHeader {
  let o = 2;
  let frame: { width: number; height: number; progressive: boolean } | undefined;
  let scans = 0;
  let orientation: number | undefined;
  while (o < b.length) {
    if (b[o] !== 0xff) throw invalid(`JPEG marker expected at byte ${o}`);
    while (b[o] === 0xff) o++; // fill bytes
    const marker = b[o++];
    if (marker === undefined) break;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // standalone
    if (o + 2 > b.length) break;
    const length = u16(b, o);
    if (length < 2) throw invalid(`JPEG segment of length ${length} at byte ${o}`);
    if (marker === 0xe1 && orientation === undefined)
      orientation = exifOrientation(b.subarray(o + 2, Math.min(b.length, o + length)));
    if (SOF_SUPPORTED.has(marker) || SOF_OTHER.has(marker)) {
      if (o + 7 > b.length) break;
      if (SOF_OTHER.has(marker))
        throw invalid(
          `JPEG coding process 0x${marker.toString(16)}: only baseline and progressive are supported`,
        );
      frame = { height: u16(b, o + 3), width: u16(b, o + 5), progressive: marker === 0xc2 };
      if (frame.width === 0 || frame.height === 0) throw invalid("JPEG of zero width or height");
    }
    o += length;
    if (marker === 0xda) {
      scans++;
      if (scans > IMAGE_LIMITS.maxJpegScans)
        throw invalid(`JPEG with more than ${IMAGE_LIMITS.maxJpegScans} scans`);
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      while (o < b.length) {
        if (b[o] === 0xff && o + 1 < b.length && b[o + 1] !== 0 && (b[o + 1]! < 0xd0 || b[o + 1]! > 0xd7))
          break;
        o++;
      }
    }
  }
  if (!frame) throw invalid("JPEG without a frame header (SOF)");
  if (scans === 0) throw invalid("JPEG without image data (SOS)");
  return { format: "jpeg", ...frame, scans, ...(orientation && orientation !== 1 ? { orientation } : {}) };
}

/** Reads the header of a PNG or JPEG; anything else is InvalidImageFormatException. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (startsWith(bytes, PNG_MAGIC)) return pngHeader(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return jpegHeader(bytes);
  throw invalid("neither PNG nor JPEG");
}

/** Refuses what Rekognition refuses (and what the emulator will not decode) from the header alone. */
export function checkImageHeader(h: ImageHeader): void {
  if (h.width > IMAGE_LIMITS.maxSide || h.height > IMAGE_LIMITS.maxSide) {
    throw new ImageError(
      "too-large",
      `Input image dimensions ${h.width} x ${h.height} exceed maximum dimension size of ${IMAGE_LIMITS.maxSide} pixels`,
    );
  }
  if (h.width * h.height > IMAGE_LIMITS.maxMegapixels * 1e6) {
    throw new ImageError(
      "too-large",
      `Input image dimensions ${h.width} x ${h.height} exceed rekognition-local's decode limit of ${IMAGE_LIMITS.maxMegapixels} megapixels`,
    );
  }
  if (h.width < IMAGE_LIMITS.minSide || h.height < IMAGE_LIMITS.minSide) {
    throw new ImageError(
      "too-small",
      `Request has invalid parameters: image dimensions ${h.width} x ${h.height} are below the minimum of ${IMAGE_LIMITS.minSide} pixels per side`,
    );
  }
}
