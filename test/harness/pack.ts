import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./pulumi.js";

const run = promisify(execFile);

/** What `npm pack` reads from a clone: the sources it builds, the plugin's launcher, the manifest. */
const packed = [
  "package.json",
  "README.md",
  "tsconfig.base.json",
  "tsconfig.build.json",
  "provider",
  "emulator",
  "bin",
];

/**
 * The tarball `npm pack` makes in a clone, its lifecycle scripts run (the
 * build, and the manifest cut down to what an installed package needs), into
 * `destination`; returns its path. Packed from a copy, so the repository's
 * own package.json is never rewritten while other tests read it.
 */
export async function packAsPublished(destination: string, env: NodeJS.ProcessEnv): Promise<string> {
  const copy = mkdtempSync(join(destination, "clone-"));
  try {
    for (const entry of packed) cpSync(join(repoRoot, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"), "dir");
    const { stdout } = await run("npm", ["pack", "--pack-destination", destination], { cwd: copy, env });
    return join(destination, stdout.trim().split("\n").pop()!);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
