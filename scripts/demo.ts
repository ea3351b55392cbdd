// `npm run demo`: a face roster as code, deployed to a local Rekognition.
//
// Starts rekognition-local (state kept in .rekognition-local/), draws three
// people's photos, deploys the root stack (Pulumi.yaml + index.ts) on a local
// file backend in .pulumi-local/, then shows who is in the roster and proves
// that a photo the collection has never seen finds the right person.
//
//   npm run demo                        deploy (a second run changes nothing)
//   npm run demo -- --port 4600         use another port (later runs keep it)
//   npm run demo -- --destroy           tear the stack down
//   npm run demo -- --state-dir DIR     keep all state under DIR instead
//   npm run demo -- --real-photos       real photographs on the real face model
//                                       (scripts/real-photos; its own stack and state)
//
// Node runs this file by type stripping, as CommonJS: hence `require`.
import type { ChildProcess } from "node:child_process";
import type * as RekognitionSdk from "@aws-sdk/client-rekognition";
import type * as Emulator from "pulumi-rekognition-faces/emulator";
import type * as LocalPulumi from "./local-pulumi.mts";

const { spawn } = require("node:child_process") as typeof import("node:child_process");
const { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } =
  require("node:fs") as typeof import("node:fs");
const { homedir } = require("node:os") as typeof import("node:os");
const path = require("node:path") as typeof import("node:path");
const { parseArgs } = require("node:util") as typeof import("node:util");
const { ListFacesCommand, ListUsersCommand, RekognitionClient, SearchUsersByImageCommand } =
  require("@aws-sdk/client-rekognition") as typeof RekognitionSdk;
const { DEFAULT_CREDENTIALS, DEFAULT_REGION, writeRosterPhotos } =
  require("pulumi-rekognition-faces/emulator") as typeof Emulator;
const { localPulumiEnv, repoRoot } = require("./local-pulumi.mts") as typeof LocalPulumi;

/** The people index.ts declares, three photos each. */
const people = ["ada", "grace", "linus"];
const photosPerPerson = 3;
const stackName = "demo";
const defaultPort = 4599;

/** The real-photos demo: its own program, stack, photos and emulator state. */
const realPhotos = {
  stackName: "real-photos",
  programDir: path.join(repoRoot, "scripts", "real-photos"),
  sourceDir: path.join(repoRoot, "test", "photos", "real"),
  collectionId: "real-photos-demo",
} as const;

interface Paths {
  readonly dataDir: string;
  readonly localDir: string;
  readonly backendDir: string;
  readonly photoDir: string;
  readonly configFile: string;
}

function pathsUnder(stateDir: string, real = false): Paths {
  const localDir = path.join(stateDir, ".pulumi-local");
  // The real model's vectors (128-d) and the synthetic ones never share a data dir.
  return {
    dataDir: path.join(stateDir, real ? ".rekognition-local-real" : ".rekognition-local"),
    localDir,
    backendDir: path.join(localDir, "state"),
    photoDir: path.join(localDir, real ? "real-photos" : "photos"),
    configFile: path.join(localDir, `Pulumi.${real ? realPhotos.stackName : stackName}.yaml`),
  };
}

class DemoError extends Error {}

// ---------------------------------------------------------------- emulator

interface LocalEndpoint {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Runs the compiled rekognition-local as a child process until stopped. */
function startRekognitionLocal(
  port: number,
  dataDir: string,
  faceModel: "synthetic" | "real",
): Promise<LocalEndpoint> {
  const cli = path.join(repoRoot, "dist", "emulator", "cli.js");
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
              `npm run demo -- --port ${port + 1} (later runs, --destroy included, keep using it)`,
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
function lastPort(configFile: string): number | undefined {
  if (!existsSync(configFile)) return undefined;
  const recorded = /rekognition: http:\/\/[^:\s]+:(\d+)/.exec(readFileSync(configFile, "utf8"));
  return recorded ? Number(recorded[1]) : undefined;
}

// ---------------------------------------------------------------- pulumi

interface PulumiRun {
  readonly code: number | null;
  readonly stdout: string;
}

/** The CLI the pinned `pulumi` launcher runs; `npm run setup` builds it. */
function checkPulumiCli(): string {
  const launcher = path.join(repoRoot, "node_modules", ".bin", "pulumi");
  const version = (require("pulumi/package.json") as { version: string }).version;
  const cli = path.join(
    process.env["PULUMI_HOME"] ?? path.join(homedir(), ".pulumi"),
    "versions",
    version,
    "bin",
    "pulumi",
  );
  if (!existsSync(launcher) || !existsSync(cli)) {
    throw new DemoError(
      `the Pulumi CLI ${version} is not there yet (${existsSync(launcher) ? cli : launcher} is missing): ` +
        "run npm install, then npm run setup, which builds it",
    );
  }
  return launcher;
}

function pulumiEnv(paths: Paths, endpoint: string): NodeJS.ProcessEnv {
  return localPulumiEnv({
    PULUMI_BACKEND_URL: `file://${paths.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "rekognition-roster-demo",
    AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey,
    AWS_REGION: DEFAULT_REGION,
    AWS_EC2_METADATA_DISABLED: "true",
    REKOGNITION_LOCAL_ENDPOINT: endpoint,
  });
}

function runPulumi(
  launcher: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  echo = false,
  cwd: string = repoRoot,
): Promise<PulumiRun> {
  const child = spawn(launcher, [...args, "--non-interactive"], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (echo) process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveRun, rejectRun) => {
    child.on("error", rejectRun);
    child.on("close", (code) => resolveRun({ code, stdout: stdout + stderr }));
  });
}

async function mustPulumi(
  launcher: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  echo = false,
  cwd: string = repoRoot,
): Promise<string> {
  const run = await runPulumi(launcher, args, env, echo, cwd);
  if (run.code !== 0) {
    throw new DemoError(`pulumi ${args.join(" ")} failed:${echo ? "" : `\n${run.stdout.slice(-4000)}`}`);
  }
  return run.stdout;
}

/** Steps by kind ("create", "same", ...) from the engine's event log. */
function changesIn(eventLog: string): Record<string, number> {
  if (!existsSync(eventLog)) return {};
  for (const line of readFileSync(eventLog, "utf8").split("\n")) {
    if (!line.includes("summaryEvent")) continue;
    const event = JSON.parse(line) as { summaryEvent?: { resourceChanges?: Record<string, number> } };
    return event.summaryEvent?.resourceChanges ?? {};
  }
  return {};
}

// ---------------------------------------------------------------- showing it

interface RosterUser {
  readonly userId: string;
  readonly faceIds: string[];
  readonly userStatus: string;
}

function printRoster(users: Record<string, RosterUser>, collectionArn: string): void {
  console.log(`\nThe roster in ${collectionArn}:\n`);
  const rows = [
    ["person", "faces", "status", "face IDs"],
    ...Object.values(users).map((u) => [
      u.userId,
      String(u.faceIds.length),
      u.userStatus,
      u.faceIds.map((id) => id.slice(0, 8)).join(" "),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  for (const row of rows)
    console.log(
      "  " +
        row
          .map((cell, col) => cell.padEnd(widths[col]!))
          .join("   ")
          .trimEnd(),
    );
}

/** Searches with each person's unseen photo and prints whom it finds. */
async function printProof(endpoint: string, photoDir: string): Promise<void> {
  const client = new RekognitionClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
  });
  console.log("\nThe proof: photos the collection has never seen, searched with SearchUsersByImage:\n");
  try {
    for (const person of people) {
      const photo = path.join(photoDir, `${person}-unseen-1.png`);
      const out = await client.send(
        new SearchUsersByImageCommand({
          CollectionId: "roster-demo",
          Image: { Bytes: readFileSync(photo) },
          MaxUsers: 1,
        }),
      );
      const best = out.UserMatches?.[0];
      const found = best?.User?.UserId;
      const verdict = found === person ? "the right person" : "the wrong person";
      const label = path.basename(photo).padEnd(20);
      console.log(
        found
          ? `  ${label} →  ${found.padEnd(6)} similarity ${best?.Similarity?.toFixed(1)}%  (${verdict})`
          : `  ${label} →  no match`,
      );
    }
  } finally {
    client.destroy();
  }
}

// ---------------------------------------------------------------- the demo

async function deploy(
  launcher: string,
  env: NodeJS.ProcessEnv,
  paths: Paths,
  endpoint: string,
): Promise<void> {
  writeRosterPhotos(paths.photoDir, people, photosPerPerson, 1);
  console.log(
    `Photos of ${people.join(", ")} (${photosPerPerson} each, plus one unseen) are in ${paths.photoDir}`,
  );

  await selectStack(launcher, env, paths, endpoint);
  const stack = ["--stack", stackName];
  const configFile = ["--config-file", paths.configFile];

  console.log(`\nDeploying the roster to ${endpoint} (pulumi up):\n`);
  const eventLog = path.join(paths.localDir, "last-up.events.jsonl");
  rmSync(eventLog, { force: true });
  await mustPulumi(
    launcher,
    ["up", "--yes", "--skip-preview", "--suppress-outputs", ...stack, ...configFile, "--event-log", eventLog],
    env,
    true,
  );
  const changes = changesIn(eventLog);
  const changed = Object.entries(changes).filter(([kind, n]) => kind !== "same" && n > 0);
  console.log(
    changed.length === 0
      ? `No changes: the roster already matches the program (${changes["same"] ?? 0} resources unchanged).`
      : `Deployed: ${changed.map(([kind, n]) => `${n} ${kind}`).join(", ")}.`,
  );

  const outputs = JSON.parse(await mustPulumi(launcher, ["stack", "output", "--json", ...stack], env)) as {
    users: Record<string, RosterUser>;
    collectionArn: string;
  };
  printRoster(outputs.users, outputs.collectionArn);
  await printProof(endpoint, paths.photoDir);
  console.log("\nRun `npm run demo` again: nothing changes. Tear it down with `npm run demo -- --destroy`.");
}

/** Creates the stack if need be, and points it at this run's endpoint. */
async function selectStack(
  launcher: string,
  env: NodeJS.ProcessEnv,
  paths: Paths,
  endpoint: string,
): Promise<void> {
  await mustPulumi(launcher, ["stack", "select", "--create", "--stack", stackName], env);
  keepStackSettingsLocal(paths);
  await mustPulumi(
    launcher,
    [
      "config",
      "set-all",
      "--path",
      "--stack",
      stackName,
      "--config-file",
      paths.configFile,
      "--plaintext",
      `aws:region=${DEFAULT_REGION}`,
      "--plaintext",
      `aws:endpoints[0].rekognition=${endpoint}`,
      "--plaintext",
      `photoDir=${path.relative(repoRoot, paths.photoDir)}`,
    ],
    env,
  );
}

/**
 * `pulumi stack init` writes the stack's passphrase salt into
 * Pulumi.demo.yaml beside Pulumi.yaml; the demo keeps its stack settings in
 * .pulumi-local (every command gets --config-file), so the repository stays clean.
 */
function keepStackSettingsLocal(paths: Paths): void {
  const written = path.join(repoRoot, `Pulumi.${stackName}.yaml`);
  if (existsSync(written)) renameSync(written, paths.configFile);
}

async function destroy(
  launcher: string,
  env: NodeJS.ProcessEnv,
  paths: Paths,
  endpoint: string,
): Promise<void> {
  const stack = ["--stack", stackName];
  const exists = await runPulumi(launcher, ["stack", "select", ...stack], env);
  if (exists.code !== 0) {
    console.log("There is no demo stack to destroy.");
    return;
  }
  await selectStack(launcher, env, paths, endpoint);
  console.log("Destroying the demo stack (pulumi destroy):\n");
  await mustPulumi(
    launcher,
    ["destroy", "--yes", "--skip-preview", ...stack, "--config-file", paths.configFile],
    env,
    true,
  );
  await mustPulumi(launcher, ["stack", "rm", "--yes", ...stack], env);
  rmSync(paths.configFile, { force: true });
  console.log("\nThe roster, its users, faces and collection are deleted, and the demo stack is removed.");
}

// ---------------------------------------------------------------- real photos

/** The stack of scripts/real-photos, pointed at this run's endpoint, its photos and `wrongPhoto`. */
async function configureRealPhotos(
  launcher: string,
  env: NodeJS.ProcessEnv,
  paths: Paths,
  endpoint: string,
  wrongPhoto: boolean,
): Promise<void> {
  const { stackName: name, programDir } = realPhotos;
  await mustPulumi(launcher, ["stack", "select", "--create", "--stack", name], env, false, programDir);
  const written = path.join(programDir, `Pulumi.${name}.yaml`);
  if (existsSync(written)) renameSync(written, paths.configFile);
  await mustPulumi(
    launcher,
    [
      "config",
      "set-all",
      "--path",
      "--stack",
      name,
      "--config-file",
      paths.configFile,
      "--plaintext",
      `aws:region=${DEFAULT_REGION}`,
      "--plaintext",
      `aws:endpoints[0].rekognition=${endpoint}`,
      "--plaintext",
      `photoDir=${paths.photoDir}`,
      "--plaintext",
      `wrongPhoto=${wrongPhoto}`,
    ],
    env,
    false,
    programDir,
  );
}

function upRealPhotos(launcher: string, env: NodeJS.ProcessEnv, paths: Paths): Promise<PulumiRun> {
  const args = ["up", "--yes", "--skip-preview", "--suppress-outputs", "--stack", realPhotos.stackName];
  return runPulumi(launcher, [...args, "--config-file", paths.configFile], env, false, realPhotos.programDir);
}

/** Each user of the collection with its faces' photo names, read from the endpoint itself. */
async function printRealRoster(client: InstanceType<typeof RekognitionClient>): Promise<void> {
  const users =
    (await client.send(new ListUsersCommand({ CollectionId: realPhotos.collectionId }))).Users ?? [];
  console.log(`\nThe roster in collection ${realPhotos.collectionId}:\n`);
  for (const user of users) {
    const faces = await client.send(
      new ListFacesCommand({ CollectionId: realPhotos.collectionId, UserId: user.UserId! }),
    );
    const faceIds = (faces.Faces ?? []).map((f) => f.FaceId!.slice(0, 8)).join(" ");
    console.log(
      `  ${user.UserId!.padEnd(6)} ${String(faces.Faces?.length ?? 0)} faces  ${user.UserStatus}  ${faceIds}`,
    );
  }
}

/** An unseen photo searched against every user: the right one high, the other low. */
async function printRealProof(client: InstanceType<typeof RekognitionClient>, paths: Paths): Promise<void> {
  console.log("\nThe proof: a photo the collection has never seen, searched with SearchUsersByImage:\n");
  const out = await client.send(
    new SearchUsersByImageCommand({
      CollectionId: realPhotos.collectionId,
      Image: { Bytes: readFileSync(path.join(paths.photoDir, "obama-3.jpg")) },
      UserMatchThreshold: 0,
    }),
  );
  for (const match of out.UserMatches ?? []) {
    const verdict = match.User?.UserId === "obama" ? "the right person" : "someone else";
    console.log(
      `  obama-3.jpg  →  ${match.User!.UserId!.padEnd(6)} similarity ${match.Similarity!.toFixed(1)}%  (${verdict})`,
    );
  }
}

async function deployRealPhotos(
  launcher: string,
  env: NodeJS.ProcessEnv,
  paths: Paths,
  endpoint: string,
): Promise<void> {
  mkdirSync(paths.photoDir, { recursive: true });
  for (const file of readdirSync(realPhotos.sourceDir).filter((f) => f.endsWith(".jpg")))
    copyFileSync(path.join(realPhotos.sourceDir, file), path.join(paths.photoDir, file));
  console.log(
    `Real photographs (public domain, see test/photos/real/NOTICE.md) are in ${paths.photoDir};\n` +
      "rekognition-local runs its real face model (face-api on TensorFlow.js), about a second a photo.",
  );

  console.log(`\n1. Deploying obama (obama-1, obama-2) and biden (biden-1) to ${endpoint} (pulumi up)`);
  await configureRealPhotos(launcher, env, paths, endpoint, false);
  const first = await upRealPhotos(launcher, env, paths);
  if (first.code !== 0) throw new DemoError(`pulumi up failed:\n${first.stdout.slice(-4000)}`);
  console.log("   Deployed.");

  const client = new RekognitionClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
  });
  try {
    await printRealRoster(client);
    await printRealProof(client, paths);

    console.log("\n2. The wrong person: biden-1.jpg is added to obama's photos as well (pulumi up)");
    await configureRealPhotos(launcher, env, paths, endpoint, true);
    const wrong = await upRealPhotos(launcher, env, paths);
    const reported = wrong.stdout.split("\n").filter((line) => /LOW_MATCH_CONFIDENCE/.test(line));
    if (wrong.code === 0 || reported.length === 0)
      throw new DemoError(
        `expected a LOW_MATCH_CONFIDENCE deployment error; pulumi up said:\n${wrong.stdout.slice(-4000)}`,
      );
    console.log("   pulumi up fails, as it should. The deployment error:\n");
    for (const line of [...new Set(reported.map((l) => l.trim()))]) console.log(`     ${line}`);
    console.log(
      "\n   The photo was indexed, but AssociateFaces compared it with obama's faces and refused it:\n" +
        "   LOW_MATCH_CONFIDENCE, the similarity it measured, below userMatchThreshold (75). The stack's\n" +
        "   state keeps obama's two faces; nothing else changed.",
    );
    await printRealRoster(client);

    console.log("\n3. Taking the wrong photo out again (pulumi up)");
    await configureRealPhotos(launcher, env, paths, endpoint, false);
    const fixed = await upRealPhotos(launcher, env, paths);
    if (fixed.code !== 0) throw new DemoError(`pulumi up failed:\n${fixed.stdout.slice(-4000)}`);
    console.log("   Deployed: the stray face is deleted.");
  } finally {
    client.destroy();
  }
  console.log("\nTear it down with `npm run demo -- --real-photos --destroy`.");
}

async function destroyRealPhotos(
  launcher: string,
  env: NodeJS.ProcessEnv,
  paths: Paths,
  endpoint: string,
): Promise<void> {
  const { stackName: name, programDir } = realPhotos;
  const exists = await runPulumi(launcher, ["stack", "select", "--stack", name], env, false, programDir);
  if (exists.code !== 0) {
    console.log("There is no real-photos stack to destroy.");
    return;
  }
  await configureRealPhotos(launcher, env, paths, endpoint, false);
  console.log("Destroying the real-photos stack (pulumi destroy):\n");
  const stack = ["--stack", name, "--config-file", paths.configFile];
  await mustPulumi(launcher, ["destroy", "--yes", "--skip-preview", ...stack], env, true, programDir);
  await mustPulumi(launcher, ["stack", "rm", "--yes", "--stack", name], env, false, programDir);
  rmSync(paths.configFile, { force: true });
  console.log("\nThe real-photos roster and its collection are deleted, and the stack is removed.");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      destroy: { type: "boolean", default: false },
      "state-dir": { type: "string" },
      "real-photos": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(readFileSync(__filename, "utf8").split("\n").slice(0, 14).join("\n"));
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new DemoError(`--port must be a port number, got ${values.port}`);
  }
  const real = values["real-photos"];
  const paths = pathsUnder(path.resolve(values["state-dir"] ?? repoRoot), real);
  mkdirSync(paths.backendDir, { recursive: true });
  const launcher = checkPulumiCli();

  const started = Date.now();
  const local = await startRekognitionLocal(
    port ?? lastPort(paths.configFile) ?? defaultPort,
    paths.dataDir,
    real ? "real" : "synthetic",
  );
  const stopOnSignal = (): void => void local.stop().then(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  try {
    const env = pulumiEnv(paths, local.endpoint);
    if (real && values.destroy) await destroyRealPhotos(launcher, env, paths, local.endpoint);
    else if (real) await deployRealPhotos(launcher, env, paths, local.endpoint);
    else if (values.destroy) await destroy(launcher, env, paths, local.endpoint);
    else await deploy(launcher, env, paths, local.endpoint);
  } finally {
    await local.stop();
    process.off("SIGINT", stopOnSignal);
  }
  console.log(
    `(done in ${((Date.now() - started) / 1000).toFixed(1)} s; rekognition-local stopped, its state kept in ${paths.dataDir})`,
  );
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
