import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(__dirname, "../..");
// Inside the repository (git-ignored), so the compiled schema resolves the repository's node_modules.
const scratchParent = join(root, "scripts", "sdkgen", "bin");
mkdirSync(scratchParent, { recursive: true });
const scratch = mkdtempSync(join(scratchParent, "regenerated-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The files under `dir` that git tracks or would track (build output of a local pip install is ignored). */
function sdkFiles(dir: string): string[] {
  const listed = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", dir], {
    cwd: root,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout
    .split("\0")
    .filter((f) => f !== "")
    .map((f) => relative(dir, join(root, f)))
    .sort();
}

function filesUnder(dir: string): string[] {
  const found = spawnSync("find", [".", "-type", "f"], { cwd: dir, encoding: "utf8" });
  return found.stdout
    .split("\n")
    .filter((f) => f !== "")
    .map((f) => f.replace(/^\.\//, ""))
    .sort();
}

describe("the committed SDKs (sdk/)", () => {
  it("are exactly what `npm run generate:sdks` generates from provider/plugin/schema.ts", () => {
    const out = join(scratch, "sdk");
    const generated = spawnSync(
      process.execPath,
      ["scripts/generate-sdks.mjs", "--out", out, "--dist", join(scratch, "dist")],
      { cwd: root, encoding: "utf8" },
    );
    expect(generated.status, generated.stderr).toBe(0);

    const committed = sdkFiles(join(root, "sdk"));
    const fresh = filesUnder(out);
    expect(fresh).toContain("python/pyproject.toml");
    expect(fresh).toContain("go/rekognitionfaces/userFaceAssociation.go");
    expect(committed, "files added or removed: run `npm run generate:sdks` and commit sdk/").toEqual(fresh);
    const differing = fresh.filter(
      (file) => readFileSync(join(out, file), "utf8") !== readFileSync(join(root, "sdk", file), "utf8"),
    );
    expect(differing, "files that differ: run `npm run generate:sdks` and commit sdk/").toEqual([]);
  });
});
