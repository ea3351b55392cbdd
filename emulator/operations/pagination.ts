import { ServiceError } from "../protocol/errors.js";
import { lowerBound } from "../store/sorted.js";

/**
 * Pagination over sorted keys: a page starts after the last key of the previous
 * one, found by binary search, so the cost of a page does not depend on its depth.
 * The token is opaque to clients (base64url of the last key, tagged with the list).
 */
export function encodeToken(list: string, lastKey: string): string {
  return Buffer.from(JSON.stringify([list, lastKey])).toString("base64url");
}

function decodeToken(list: string, token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(parsed) && parsed[0] === list && typeof parsed[1] === "string") return parsed[1];
  } catch {
    // fall through
  }
  throw new ServiceError("InvalidPaginationTokenException", "Invalid pagination token");
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
