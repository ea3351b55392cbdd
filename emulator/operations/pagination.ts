import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ServiceError } from "../protocol/errors.js";
import { lowerBound } from "../store/sorted.js";

/** The file in a data directory that holds the key pagination tokens are signed with. */
export const TOKEN_KEY_FILE = "pagination-token.key";
const KEY_BYTES = 32;
const MAC_BYTES = 16;

/**
 * The key that signs pagination tokens: with a data directory, the one kept in it
 * (created on first use), so a token stays valid across restarts just as the data
 * it points into does; without one, a fresh key per emulator.
 */
export function loadTokenKey(dataDir?: string): Buffer {
  if (!dataDir) return randomBytes(KEY_BYTES);
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, TOKEN_KEY_FILE);
  try {
    // "wx": only the first emulator to use the directory creates the key.
    const fd = openSync(path, "wx", 0o600);
    try {
      writeSync(fd, randomBytes(KEY_BYTES).toString("hex"));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const key = Buffer.from(readFileSync(path, "utf8").trim(), "hex");
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `${path} does not hold a ${KEY_BYTES}-byte hex key; delete it to have a new one made (tokens issued before become invalid)`,
    );
  }
  return key;
}

// The key of the emulator serving the current call; operations reach it without threading it through.
const currentKey = new AsyncLocalStorage<Buffer>();
// Operations called outside any emulator (unit tests) sign with a key of this process.
const processKey = randomBytes(KEY_BYTES);

/** Runs `fn` (an operation) with `key` signing and checking its pagination tokens. */
export function withTokenKey<T>(key: Buffer, fn: () => T): T {
  return currentKey.run(key, fn);
}

function mac(payload: string): Buffer {
  return createHmac("sha256", currentKey.getStore() ?? processKey)
    .update(payload)
    .digest()
    .subarray(0, MAC_BYTES);
}

/**
 * Pagination over sorted keys: a page starts after the last key of the previous
 * one, found by binary search, so the cost of a page does not depend on its depth.
 * The token is opaque to clients: the list and the last key, with an HMAC so that
 * only tokens this endpoint issued are accepted.
 */
export function encodeToken(list: string, lastKey: string): string {
  const payload = Buffer.from(JSON.stringify([list, lastKey])).toString("base64url");
  return `${payload}.${mac(payload).toString("base64url")}`;
}

function decodeToken(list: string, token: string): string {
  const dot = token.indexOf(".");
  if (dot > 0) {
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), "base64url");
    if (given.length === MAC_BYTES && timingSafeEqual(given, mac(payload))) {
      try {
        const parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
        if (Array.isArray(parsed) && parsed[0] === list && typeof parsed[1] === "string") return parsed[1];
      } catch {
        // fall through
      }
    }
  }
  throw new ServiceError(
    "InvalidPaginationTokenException",
    "Invalid pagination token: pass the NextToken of the previous response unchanged",
  );
}

export function page<T>(
  list: string,
  sortedKeys: readonly string[],
  token: string | undefined,
  limit: number,
  pick: (key: string) => T | undefined,
): { items: T[]; nextToken?: string } {
  let i = token === undefined ? 0 : lowerBound(sortedKeys, decodeToken(list, token), false);
  const items: T[] = [];
  let lastKey: string | undefined;
  while (i < sortedKeys.length && items.length < limit) {
    const key = sortedKeys[i++]!;
    const item = pick(key);
    if (item === undefined) continue;
    items.push(item);
    lastKey = key;
  }
  return i < sortedKeys.length && lastKey !== undefined
    ? { items, nextToken: encodeToken(list, lastKey) }
    : { items };
}
