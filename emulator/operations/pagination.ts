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

function mac(list: string, key: string): Buffer {
  return createHmac("sha256", currentKey.getStore() ?? processKey)
    .update(`${list}\0${key}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** The model's limit on a request's NextToken (PaginationToken); a token must fit to be sent back. */
export const MAX_TOKEN_LENGTH = 255;
// A long key's token carries this much of it, to find the key again (ids are ASCII by their patterns).
const LONG_KEY_PREFIX = 120;
const LONG = "~";
// Long keys' tokens each emulator remembers (by its signing key), so that a page
// still resumes after its last key was deleted.
const MAX_REMEMBERED = 10_000;
type Remembered = Map<string, { list: string; key: string }>;
const rememberedByKey = new WeakMap<Buffer, Remembered>();

function remembered(): Remembered {
  const key = currentKey.getStore() ?? processKey;
  let tokens = rememberedByKey.get(key);
  if (!tokens) {
    tokens = new Map() as Remembered;
    rememberedByKey.set(key, tokens);
  }
  return tokens;
}

const invalidToken = () =>
  new ServiceError(
    "InvalidPaginationTokenException",
    "Invalid pagination token: pass the NextToken of the previous response unchanged",
  );

/**
 * Pagination over sorted keys: a page starts after the last key of the previous
 * one, found by binary search, so the cost of a page does not depend on its depth.
 * The token is opaque to clients: the last key with an HMAC over the list and the
 * key, so that only tokens this endpoint issued are accepted. A key too long for
 * that to fit in 255 characters (a collection id over 174) gets a token of its
 * first 120 characters and the HMAC over the whole key, resolved by finding the
 * key with that HMAC among those with that prefix.
 */
export function encodeToken(list: string, lastKey: string): string {
  const tag = mac(list, lastKey).toString("base64url");
  const compact = `${Buffer.from(lastKey).toString("base64url")}.${tag}`;
  if (compact.length <= MAX_TOKEN_LENGTH) return compact;
  const token = `${LONG}${Buffer.from(lastKey.slice(0, LONG_KEY_PREFIX)).toString("base64url")}.${tag}`;
  const tokens = remembered();
  if (tokens.size >= MAX_REMEMBERED) tokens.delete(tokens.keys().next().value!);
  tokens.set(token, { list, key: lastKey });
  return token;
}

const sameTag = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** The key a token resumes after, or an InvalidPaginationTokenException. */
function decodeToken(list: string, token: string, sortedKeys: readonly string[]): string {
  const long = token.startsWith(LONG);
  const body = long ? token.slice(LONG.length) : token;
  const dot = body.indexOf(".");
  if (dot <= 0) throw invalidToken();
  const text = Buffer.from(body.slice(0, dot), "base64url").toString("utf8");
  const given = Buffer.from(body.slice(dot + 1), "base64url");
  if (!long) {
    if (sameTag(given, mac(list, text))) return text;
    throw invalidToken();
  }
  const known = remembered().get(token);
  if (known?.list === list && sameTag(given, mac(list, known.key))) return known.key;
  // After a restart: the key itself, found among those that start with the prefix.
  for (let i = lowerBound(sortedKeys, text, true); i < sortedKeys.length; i++) {
    const key = sortedKeys[i]!;
    if (!key.startsWith(text)) break;
    if (sameTag(given, mac(list, key))) return key;
  }
  throw invalidToken();
}

export function page<T>(
  list: string,
  sortedKeys: readonly string[],
  token: string | undefined,
  limit: number,
  pick: (key: string) => T | undefined,
): { items: T[]; nextToken?: string } {
  let i = token === undefined ? 0 : lowerBound(sortedKeys, decodeToken(list, token, sortedKeys), false);
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
