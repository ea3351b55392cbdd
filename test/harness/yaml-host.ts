import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./pulumi.js";

/**
 * Builds the YAML language host beside the CLI unless it is there already (a
 * no-op then), as `npm test` does first: a test file run on its own needs it too.
 */
export function ensureYamlHost(): void {
  const script = join(repoRoot, "scripts", "ensure-yaml-host.mjs");
  const result = spawnSync(process.execPath, [script], { cwd: repoRoot, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${script} exited ${result.status ?? result.signal}:\n${result.stderr}`);
  }
}
