import { describe, expect, test } from "vitest";
import { VectorIndex } from "../../emulator/store/vector-index.js";
import { insertManySorted, insertSorted, lowerBound, removeSorted } from "../../emulator/store/sorted.js";

const vec = (...xs: number[]) => Float32Array.from(xs);

function hits(index: VectorIndex, query: Float32Array, minDot = -Infinity) {
  const found: Record<string, number> = {};
  index.scan(query, minDot, (id, dot) => (found[id] = Math.round(dot * 1000) / 1000));
  return found;
}

describe("vector index", () => {
  test("scans every vector, and removal keeps the others intact", () => {
    const index = new VectorIndex();
    index.add("a", vec(1, 0, 0));
    index.add("b", vec(0, 1, 0));
    index.add("c", vec(0, 0, 1));
    expect(hits(index, vec(1, 1, 1))).toEqual({ a: 1, b: 1, c: 1 });
    index.remove("a");
    expect(index.size).toBe(2);
    expect(hits(index, vec(0, 1, 0.5))).toEqual({ b: 1, c: 0.5 });
    expect(hits(index, vec(0, 1, 0.5), 0.9)).toEqual({ b: 1 });
    index.add("b", vec(0.6, 0.8, 0));
    expect(hits(index, vec(1, 0, 0))).toEqual({ b: 0.6, c: 0 });
  });

  test("grows past its initial capacity", () => {
    const index = new VectorIndex();
    for (let i = 0; i < 5000; i++) index.add(`f${i}`, vec(i, 1));
    for (let i = 0; i < 5000; i += 2) index.remove(`f${i}`);
    const found = hits(index, vec(0, 1));
    expect(Object.keys(found)).toHaveLength(2500);
    expect(found.f4999).toBe(1);
    expect(found.f4998).toBeUndefined();
  });
});

describe("sorted keys", () => {
  test("insert, remove and bulk insert keep order without duplicates", () => {
    const keys: string[] = [];
    for (const k of ["m", "c", "x", "c", "a"]) insertSorted(keys, k);
    expect(keys).toEqual(["a", "c", "m", "x"]);
    removeSorted(keys, "m");
    removeSorted(keys, "zz");
    expect(keys).toEqual(["a", "c", "x"]);
    insertManySorted(
      keys,
      Array.from({ length: 100 }, (_, i) => `k${String(i).padStart(3, "0")}`).concat(["a"]),
    );
    expect(keys).toHaveLength(103);
    expect([...keys].sort()).toEqual(keys);
    expect(lowerBound(keys, "c", false)).toBe(keys.indexOf("c") + 1);
  });
});
