// How this repository's own tools run the pinned `pulumi` CLI on the local
// file backend: the test harness, the demo and the benchmark share it.
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const binDir = join(repoRoot, "node_modules", ".bin");

/**
 * The pinned Node first on PATH, no update checks or plugin downloads, a
 * passphrase secrets provider (no Pulumi account anywhere), and the engine's
 * event log available.
 */
export function localPulumiEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${binDir}${delimiter}${process.env["PATH"] ?? ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: "local-test-passphrase",
    // Enables `--event-log`, the structured record of a deployment.
    PULUMI_DEBUG_COMMANDS: "true",
    // Type-checking belongs to `npm run lint`; deployments transpile only.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    ...extra,
  };
}

/**
 * A file backend in `dir` that writes no `.attrs` sidecars. The blob library
 * under Pulumi's file backend rewrites each sidecar in place, outside the
 * rename that makes the state file's own write atomic, so a `pulumi up` killed
 * at that moment leaves an empty sidecar, and every later command on the stack
 * fails with "failed to load checkpoint: EOF". Pulumi reads nothing it needs
 * from them.
 */
export function fileBackendUrl(dir: string): string {
  return `file://${dir}?metadata=skip`;
}

/** A Node.js project's Pulumi.yaml, as a user writes it (nothing that hides warnings). */
export function projectYaml(name: string): string {
  return [`name: ${name}`, "runtime:", "  name: nodejs", ""].join("\n");
}
