import { imageSize } from "image-size";
import { maxInlineImageBytes } from "./model.js";

/** The formats IndexFaces decodes. */
export type ImageFormat = "JPEG" | "PNG";

/** Rekognition's smallest image, in pixels, for width and height alike. */
export const minImageSide = 80;

/** What a photo's first bytes say it is, read without decoding it. */
export type ImageHeader =
  | { readonly format: ImageFormat; readonly width: number; readonly height: number }
  /** Neither JPEG nor PNG; `type` names the format when it is a known image format. */
  | { readonly problem: "not-an-image" | "other-format"; readonly type?: string }
  /** JPEG or PNG magic bytes, but no readable header after them. */
  | { readonly problem: "unreadable-header"; readonly format: ImageFormat }
  /** A PNG whose chunks stop before its IEND chunk. */
  | { readonly problem: "cut-short"; readonly format: "PNG" };

/** Enough of a file to recognize any format by its magic bytes. */
const magicBytes = 4096;

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads a photo's header while the file streams past (fed the same chunks as
 * its hash), keeping only the bytes before the header: a JPEG's frame size
 * may follow tens of kilobytes of metadata, a PNG's comes first. A PNG is
 * also walked chunk by chunk to its IEND, so a file cut short is caught
 * without decoding it.
 */
export class ImageHeaderReader {
  private head: Buffer = Buffer.alloc(0);
  private header: ImageHeader | undefined;
  /** Walks a PNG's chunks; undefined until the signature is seen, null for any other file. */
  private png: PngChunkWalker | null | undefined;

  /** Reads the next bytes of the file; the caller may reuse `chunk` afterwards. */
  update(chunk: Buffer): void {
    if (this.png) this.png.update(chunk);
    if (this.header) return;
    const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    if (this.png === undefined && head.length >= pngSignature.length) {
      // Nothing is settled before the signature is in, so `head` still holds every byte so far.
      this.png = isPng(head) ? new PngChunkWalker() : null;
      this.png?.update(head);
    }
    const measured = measure(head);
    // A header that does not parse yet may only be incomplete: read on, up to the most
    // Rekognition takes. A verdict on magic bytes alone waits for a few kilobytes.
    const readOn =
      "problem" in measured && (measured.problem === "unreadable-header" || head.length < magicBytes);
    if (!readOn || head.length > maxInlineImageBytes) {
      this.header = measured;
      this.head = Buffer.alloc(0);
    } else {
      this.head = head === chunk ? Buffer.from(chunk) : head;
    }
  }

  /** The verdict once the whole file has been read. */
  finish(): ImageHeader {
    const header = this.header ?? measure(this.head);
    if ("width" in header && header.format === "PNG" && !this.png?.complete) {
      return { problem: "cut-short", format: "PNG" };
    }
    return header;
  }
}

function isPng(bytes: Buffer): boolean {
  return bytes.length >= pngSignature.length && bytes.subarray(0, pngSignature.length).equals(pngSignature);
}

function isJpeg(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The header of `head`, the first bytes of a file; unreadable-header may mean "read on". */
export function measure(head: Buffer): ImageHeader {
  const format: ImageFormat | undefined = isJpeg(head) ? "JPEG" : isPng(head) ? "PNG" : undefined;
  // Most JPEG and every PNG header is within the first kilobytes: those are
  // read first, so a roster's thousands of photos copy a few kilobytes each.
  const size = (format && head.length > magicBytes && sizeOf(head.subarray(0, magicBytes))) || sizeOf(head);
  if (!size) return format ? { problem: "unreadable-header", format } : { problem: "not-an-image" };
  if (!format) return { problem: "other-format", ...(size.type && { type: size.type }) };
  return { format, width: size.width, height: size.height };
}

/** image-size's reading of these bytes; undefined when they hold no image header it can read. */
function sizeOf(bytes: Buffer): ReturnType<typeof imageSize> | undefined {
  try {
    // A copy in a buffer of its own: image-size reads through a DataView on the
    // underlying memory, which for a Node Buffer may run on past `bytes` into
    // unrelated bytes instead of failing.
    return imageSize(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Follows a PNG's chunks (length, type, data, CRC) by their lengths alone,
 * to learn whether the file reaches the end of its IEND chunk.
 */
class PngChunkWalker {
  private skip = pngSignature.length;
  private chunkHeader = Buffer.alloc(0);
  private inIend = false;
  complete = false;

  update(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.complete) {
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, chunk.length - at);
        this.skip -= skipped;
        at += skipped;
        if (this.skip === 0 && this.inIend) this.complete = true;
        continue;
      }
      const wanted = 8 - this.chunkHeader.length;
      this.chunkHeader = Buffer.concat([this.chunkHeader, chunk.subarray(at, at + wanted)]);
      at += Math.min(wanted, chunk.length - at);
      if (this.chunkHeader.length < 8) continue;
      const length = this.chunkHeader.readUInt32BE(0);
      this.inIend = this.chunkHeader.toString("latin1", 4, 8) === "IEND";
      this.chunkHeader = Buffer.alloc(0);
      this.skip = length + 4;
    }
  }
}
