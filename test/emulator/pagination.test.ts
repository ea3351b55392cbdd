import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { MAX_TOKEN_LENGTH, page, withTokenKey } from "../../emulator/operations/pagination.js";

/** Every item of `keys`, one page of `limit` at a time; the tokens issued on the way. */
function walk(keys: readonly string[], limit: number, signingKey = randomBytes(32)) {
  const items: string[] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  do {
    const result = withTokenKey(signingKey, () => page("collections", keys, token, limit, (k) => k));
    items.push(...result.items);
    token = result.nextToken;
    if (token) tokens.push(token);
  } while (token);
  return { items, tokens };
}

// Ids of every length the model allows (CollectionId: 1-255), sharing long prefixes.
const ids = Array.from({ length: 255 }, (_, i) => "c".repeat(i + 1)).sort();

describe("pagination tokens", () => {
  test("fit the model's 255 characters for ids of every length, and page through every id once", () => {
    const { items, tokens } = walk(ids, 1);
    expect(items).toEqual(ids);
    expect(tokens).toHaveLength(254);
    expect(Math.max(...tokens.map((t) => t.length))).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
  });

  test("a page that ends on a long id resumes after it even once it is deleted", () => {
    const key = randomBytes(32);
    const keys = ["a".repeat(250), "a".repeat(251), "b"];
    const first = withTokenKey(key, () => page("collections", keys, undefined, 1, (k) => k));
    const rest = keys.slice(1);
    const next = withTokenKey(key, () => page("collections", rest, first.nextToken, 1, (k) => k));
    expect(next.items).toEqual(["a".repeat(251)]);
  });

  test("after a restart (the same key file, nothing remembered) a long id's token still resumes after it", () => {
    const bytes = randomBytes(32);
    const keys = ["a".repeat(250), "a".repeat(251), "a".repeat(252), "b"];
    const first = withTokenKey(Buffer.from(bytes), () => page("collections", keys, undefined, 2, (k) => k));
    const restarted = Buffer.from(bytes);
    const next = withTokenKey(restarted, () => page("collections", keys, first.nextToken, 2, (k) => k));
    expect(next.items).toEqual(["a".repeat(252), "b"]);
    // Deleted while the endpoint was down: nothing says where the page ended.
    expect(() =>
      withTokenKey(Buffer.from(bytes), () =>
        page("collections", ["a".repeat(250), "b"], first.nextToken, 2, (k) => k),
      ),
    ).toThrow(expect.objectContaining({ code: "InvalidPaginationTokenException" }));
  });

  test("a token altered, from another list or from another endpoint is refused", () => {
    const key = randomBytes(32);
    for (const keys of [
      ["x", "y"],
      ["a".repeat(250), "b"],
    ]) {
      const token = withTokenKey(key, () => page("collections", keys, undefined, 1, (k) => k)).nextToken!;
      const altered = token.slice(0, -2) + (token.endsWith("AA") ? "AB" : "AA");
      const cases: [Buffer, string, string][] = [
        [key, "collections", altered],
        [key, "users", token],
        [randomBytes(32), "collections", token],
      ];
      for (const [signingKey, list, sent] of cases) {
        expect(() => withTokenKey(signingKey, () => page(list, keys, sent, 1, (k) => k))).toThrow(
          expect.objectContaining({ code: "InvalidPaginationTokenException" }),
        );
      }
    }
  });
});
