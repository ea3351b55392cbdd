// The provider plugin's process: `pulumi-resource-rekognition-faces`
// (../../bin) starts it, and the engine talks to it over gRPC.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Provider } from "@pulumi/pulumi/provider";
import { packageSchema } from "./schema.js";
import { servePlugin } from "./server.js";
import { logToEngineOf } from "../progress.js";

const { version } = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  version: string;
};

// A plugin whose engine is gone (a killed `pulumi up`) ends too, rather than
// being left behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();

const provider: Provider = {
  version,
  getSchema: async () => JSON.stringify(packageSchema(version)),
  // Loaded when a program declares a FaceRoster: the program-side SDK it needs costs start-up time.
  construct: async (...args) => (await import("./roster.js")).constructRoster(...args),
};

const args = process.argv.slice(2);
// Progress and what a run finds go to the engine's diagnostics, as from the dynamic provider host.
logToEngineOf(args);
void servePlugin(provider, args);
