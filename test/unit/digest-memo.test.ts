import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDigestMemo, memoFolder } from "../../provider/face/digest-memo.js";

const folder = mkdtempSync(join(tmpdir(), "digest-memo-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the photo digest memo", () => {
  it("recalls a digest across runs for the same stamp only, and keeps only this run's photos", async () => {
    const first = await loadDigestMemo("stack-a shard 0/16", folder);
    expect(first.recall("photos/a.png", "10:1")).toBeUndefined();
    first.remember("photos/a.png", "10:1", "aaaa");
    first.remember("photos/b.png", "20:1", "bbbb");
    // Whatever a file name holds comes back as written.
    const odd = 'photos/"quoted", back\\slash, é\u2028.png';
    first.remember(odd, "30:1", "dddd");
    await first.save();

    const second = await loadDigestMemo("stack-a shard 0/16", folder);
    expect(second.recall("photos/a.png", "10:1")).toBe("aaaa");
    // The same file by another spelling of its path is the same file.
    expect(second.recall(resolve("photos/a.png"), "10:1")).toBe("aaaa");
    expect(second.recall("photos/a.png", "10:2")).toBeUndefined();
    expect(second.recall("photos/b.png", "20:1")).toBe("bbbb");
    expect(second.recall(odd, "30:1")).toBe("dddd");
    second.remember("photos/a.png", "10:2", "cccc");
    await second.save();

    const third = await loadDigestMemo("stack-a shard 0/16", folder);
    expect(third.recall("photos/a.png", "10:2")).toBe("cccc");
    expect(third.recall("photos/b.png", "20:1")).toBeUndefined();
    // Another owner has a memo of its own.
    expect(
      (await loadDigestMemo("stack-b shard 0/16", folder)).recall("photos/a.png", "10:2"),
    ).toBeUndefined();
  });

  it("a memo that is unreadable or cannot be written only means reading the photos again", async () => {
    const owner = "stack-c shard 1/2";
    const memo = await loadDigestMemo(owner, folder);
    memo.remember("x.png", "1:1", "xxxx");
    await memo.save();
    const [file] = readdirSync(folder).filter((f) => f.endsWith(".json"));
    expect(file).toBeDefined();
    for (const f of readdirSync(folder)) writeFileSync(join(folder, f), "not json");
    expect((await loadDigestMemo(owner, folder)).recall("x.png", "1:1")).toBeUndefined();

    const blocked = join(folder, "a-file");
    writeFileSync(blocked, "");
    const unwritable = await loadDigestMemo(owner, join(blocked, "memos"));
    unwritable.remember("x.png", "1:1", "xxxx");
    await expect(unwritable.save()).resolves.toBeUndefined();
  });

  it("lives in the cache folder the environment names, never in the stack's state", () => {
    expect(memoFolder({ REKOGNITION_FACES_CACHE_DIR: "/c" })).toBe("/c");
    expect(memoFolder({ XDG_CACHE_HOME: "/x" })).toBe(
      join("/x", "pulumi-rekognition-faces", "photo-digests"),
    );
  });
});
