import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./pulumi.js";
import type { TestStack } from "./stack.js";

/**
 * Builds the package as it was at `commit` into .stacks/ (once), so a stack
 * can deploy with an earlier release and then upgrade to the current code.
 */
export function buildRelease(commit: string): string {
  const dir = join(repoRoot, ".stacks", `release-${commit.slice(0, 8)}`);
  const built = (): boolean => existsSync(join(dir, "dist", "provider", "index.js"));
  if (built()) return dir;
  rmSync(dir, { recursive: true, force: true }); // an unfinished build of an older run
  // Built beside its place and moved in whole: test files in other workers may build it at the same time.
  const scratch = `${dir}.${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const files = ["package.json", "tsconfig.base.json", "tsconfig.build.json", "provider", "emulator"];
  const archive = execFileSync("git", ["archive", commit, ...files], { cwd: repoRoot });
  execFileSync("tar", ["-x", "-C", scratch], { input: archive });
  // Built inside the repository, so it resolves the same dependencies as the current code.
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: scratch });
  try {
    renameSync(scratch, dir);
  } catch (err) {
    // Another worker moved its build in first: use that one.
    rmSync(scratch, { recursive: true, force: true });
    if (!built()) throw err;
  }
  return dir;
}

/**
 * Makes `stack` resolve the package to the release at `dir`; the returned
 * function upgrades it to the current code.
 */
export function useRelease(stack: TestStack, dir: string): () => void {
  // A package.json of its own, or Node would resolve the repository's name to itself.
  stack.writeFile(
    "package.json",
    JSON.stringify({ name: `${stack.dir.split("/").pop()}-stack`, private: true }),
  );
  const linked = join(stack.dir, "node_modules", "pulumi-rekognition-faces");
  mkdirSync(join(stack.dir, "node_modules"), { recursive: true });
  symlinkSync(dir, linked, "dir");
  return () => unlinkSync(linked);
}
