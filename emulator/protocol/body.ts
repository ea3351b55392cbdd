import type { IncomingMessage } from "node:http";
import { ServiceError } from "./errors.js";

export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
// Past this much we stop draining an oversize body and just close the connection.
const MAX_DRAIN_BYTES = 256 * 1024 * 1024;

/**
 * Reads a request body up to `limit` bytes. An oversize body is drained (not kept)
 * so the client can read the 413 that follows, and the result says so.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy();
        return;
      }
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request aborted"));
    });
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Rekognition inputs nest a few levels (Image.S3Object.Bucket); anything far deeper is refused unread. */
export const MAX_JSON_DEPTH = 64;

/**
 * The position where JSON text first nests deeper than `limit` arrays and objects,
 * or -1. One pass, no recursion, strings skipped, so a hostile body cannot exhaust
 * the stack here or in anything that walks the parsed value later.
 */
export function excessiveNesting(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}

/** Parses a JSON 1.1 request body into an object; anything else is a SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ServiceError("SerializationException", "Request body is not valid UTF-8");
  }
  const deep = excessiveNesting(text);
  if (deep >= 0) {
    throw new ServiceError(
      "SerializationException",
      `Request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep (at character ${deep}); Rekognition inputs nest only a few levels`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError("SerializationException", "Request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ServiceError("SerializationException", "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}
