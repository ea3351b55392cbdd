// rekognition-local as a child process for the length of one demo run.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../local-pulumi.mts";
import { DemoError } from "./common.mts";

export interface LocalEndpoint {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Runs the compiled rekognition-local until stopped. */
export function startRekognitionLocal(
  port: number,
  dataDir: string,
  faceModel: "synthetic" | "real",
  portHint: string,
): Promise<LocalEndpoint> {
  const cli = join(repoRoot, "dist", "emulator", "cli.js");
  if (!existsSync(cli)) throw new DemoError(`${cli} is missing: run npm run build`);
  const args = [cli, "--port", String(port), "--data-dir", dataDir, "--face-model", faceModel];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolveStart, rejectStart) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening) {
        child.stdout?.off("data", onData);
        child.off("exit", onExit);
        resolveStart({ endpoint: listening[1]!, stop: () => stopChild(child) });
      }
    };
    const onExit = (): void => {
      if (/already in use/.test(output)) {
        rejectStart(
          new DemoError(
            `port ${port} is already in use: stop what uses it, or choose another port with ` +
              `${portHint} ${port + 1} (later runs, --destroy included, keep using it)`,
          ),
        );
      } else {
        rejectStart(new DemoError(`rekognition-local did not start:\n${output}`));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once("exit", () => resolveStop());
    child.kill("SIGTERM");
  });
}

/**
 * The port of the endpoint the stack was last deployed against, read from
 * its settings. Deletes run with the provider configuration recorded at the
 * last deployment, so a later run must serve the same endpoint.
 */
export function lastPort(configFile: string): number | undefined {
  if (!existsSync(configFile)) return undefined;
  const recorded = /rekognition: http:\/\/[^:\s]+:(\d+)/.exec(readFileSync(configFile, "utf8"));
  return recorded ? Number(recorded[1]) : undefined;
}
