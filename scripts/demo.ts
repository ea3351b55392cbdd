// `npm run demo`: a face roster as code, deployed to a local Rekognition.
//
// The default story uses real photographs (test/photos/real) on rekognition-local's
// real face model: it deploys a roster of two people (scripts/real-photos), shows a
// photo the collection has never seen finding the right person, then files a
// photo of the wrong person, which pulumi up refuses as LOW_MATCH_CONFIDENCE
// while the stack's state stays true. State lives in .pulumi-local/ and
// .rekognition-local-real/.
//
//   npm run demo                        deploy (a second run changes nothing)
//   npm run demo -- --destroy           tear it down
//   npm run demo -- --synthetic         generated portraits on the synthetic face
//                                       model instead (the root stack, index.ts;
//                                       its own stack and state); --destroy with it
//   npm run demo -- --port 4600         use another port (later runs keep it)
//   npm run demo -- --state-dir DIR     keep all state under DIR instead
//
// Node runs this file by type stripping, as CommonJS: hence `require`.
import type * as Common from "./demo/common.mts";
import type * as Emulator from "./demo/emulator.mts";
import type * as RealPhotos from "./demo/real-photos.mts";
import type * as Stack from "./demo/stack.mts";
import type * as Synthetic from "./demo/synthetic.mts";
import type * as LocalPulumi from "./local-pulumi.mts";

const { existsSync, mkdirSync, readFileSync } = require("node:fs") as typeof import("node:fs");
const path = require("node:path") as typeof import("node:path");
const { parseArgs } = require("node:util") as typeof import("node:util");
const { DemoError, demoCommand, pathsUnder } = require("./demo/common.mts") as typeof Common;
const { lastPort, startRekognitionLocal } = require("./demo/emulator.mts") as typeof Emulator;
const { realPhotos } = require("./demo/real-photos.mts") as typeof RealPhotos;
const { checkPulumiCli, DemoStack, pulumiEnv } = require("./demo/stack.mts") as typeof Stack;
const { repoRoot } = require("./local-pulumi.mts") as typeof LocalPulumi;
const { synthetic } = require("./demo/synthetic.mts") as typeof Synthetic;

const defaultPort = 4599;
const options = {
  port: { type: "string" },
  destroy: { type: "boolean", default: false },
  synthetic: { type: "boolean", default: false },
  "state-dir": { type: "string" },
  help: { type: "boolean", default: false },
} as const;

function parseFlags(): ReturnType<typeof parseArgs<{ options: typeof options }>>["values"] {
  const args = process.argv.slice(2);
  if (args.includes("--real-photos"))
    throw new DemoError(
      "--real-photos is what `npm run demo` shows now: drop the flag (--synthetic gives generated portraits)",
    );
  try {
    return parseArgs({ args, options }).values;
  } catch (err) {
    const known = Object.keys(options)
      .map((name) => `--${name}`)
      .join(", ");
    throw new DemoError(
      `${err instanceof Error ? err.message : String(err)}: the demo's options are ${known}`,
    );
  }
}

async function main(): Promise<void> {
  const values = parseFlags();
  if (values.help) {
    const header = readFileSync(__filename, "utf8").split("\n");
    const usage = header.slice(0, header.findIndex((line) => line.includes("Node runs this file")) - 1);
    console.log(usage.map((line) => line.replace(/^\/\/ ?/, "")).join("\n"));
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new DemoError(`--port must be a port number from 0 to 65535, got ${values.port}: e.g. --port 4600`);
  }
  const story = values.synthetic ? synthetic : realPhotos;
  const stateDir = path.resolve(values["state-dir"] ?? repoRoot);
  const paths = pathsUnder(stateDir, story);
  mkdirSync(paths.backendDir, { recursive: true });
  const launcher = checkPulumiCli();

  const started = Date.now();
  const local = await startRekognitionLocal(
    port ?? lastPort(paths.configFile) ?? defaultPort,
    paths.dataDir,
    story.faceModel,
    demoCommand(story, values.destroy ? "--destroy --port" : "--port"),
  );
  const stopOnSignal = (): void => void local.stop().then(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  try {
    const stack = new DemoStack(launcher, pulumiEnv(paths, local.endpoint), story, paths);
    if (values.destroy) await destroy(stack, story, paths, local.endpoint, stateDir);
    else await story.deploy(stack, paths, local.endpoint);
  } finally {
    await local.stop();
    process.off("SIGINT", stopOnSignal);
  }
  console.log(
    `(done in ${((Date.now() - started) / 1000).toFixed(1)} s; rekognition-local stopped, its state kept in ${paths.dataDir})`,
  );
}

async function destroy(
  stack: InstanceType<typeof DemoStack>,
  story: Common.Story,
  paths: Common.Paths,
  endpoint: string,
  stateDir: string,
): Promise<void> {
  if (!(await stack.exists())) {
    const other = story === synthetic ? realPhotos : synthetic;
    const otherDeployed = existsSync(pathsUnder(stateDir, other).configFile);
    console.log(
      `There is no ${story.label} demo stack to destroy.` +
        (otherDeployed
          ? ` The ${other.label} one is torn down with \`${demoCommand(other, "--destroy")}\`.`
          : ""),
    );
    return;
  }
  await stack.configure(story.settings(paths, endpoint));
  console.log(`Destroying the ${story.label} demo stack (pulumi destroy)`);
  const changes = await stack.destroy();
  console.log(
    `   Destroyed: ${changes["delete"] ?? 0} resources deleted.\n\n` +
      `The ${story.label} demo's roster, its users, faces and collection are deleted, and its stack is removed.`,
  );
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
