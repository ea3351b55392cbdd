// What the scripts that build Pulumi's Go programs into the pinned release's
// folder share (scripts/ensure-pulumi-cli.mjs, scripts/ensure-yaml-host.mjs):
// where that folder is, how Go is run, the stamp that says a build is current,
// and the scratch folder from which finished files are renamed into place.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The CLI release the `pulumi` npm launcher runs. */
export const version = require("pulumi/package.json").version;
export const pulumiHome = process.env.PULUMI_HOME || join(homedir(), ".pulumi");
export const versionDir = join(pulumiHome, "versions", version);
/** The launcher runs `pulumi` from here and puts this folder first on PATH, so the engine finds the language hosts here. */
export const binDir = join(versionDir, "bin");
export const cliPath = join(binDir, "pulumi");

/** A `log(message)` that prefixes the script's tag, on stderr. */
export function logger(tag) {
  return (message) => process.stderr.write(`${tag}: ${message}\n`);
}

export function haveGo() {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

export function readOr(path, fallback) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}

/** The sha256 of files and strings, in order: what a build is made from. */
export function sourceHash(files, extra = []) {
  const hash = createHash("sha256");
  for (const file of files) hash.update(readFileSync(file));
  for (const text of extra) hash.update(text);
  return hash.digest("hex");
}

/** Where a built file records the source hash it was built from. */
export const stampOf = (path) => `${path}.source-sha256`;

/** A static, reproducible build with the modules the folder's go.mod pins, as the releases are built. */
export const goEnv = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };

/** A runSteps step that downloads exactly the modules `packages` need, so the compile steps only compile. */
export function goDownload(moduleDir, packages) {
  return {
    phase: "downloading Go modules",
    command: "go",
    args: ["list", "-deps", ...packages],
    cwd: moduleDir,
    env: goEnv,
    count: { pattern: /^go: downloading /, noun: "modules downloaded" },
  };
}

/** A runSteps step that compiles `pkg` to `out`, stripped, with `ldflags` added. */
export function goBuild(moduleDir, phase, pkg, out, ldflags) {
  return {
    phase,
    command: "go",
    args: ["build", "-v", "-trimpath", "-ldflags", `-s -w ${ldflags}`, "-o", out, pkg],
    cwd: moduleDir,
    env: goEnv,
    // `go build -v` prints each package it compiles by its import path.
    count: { pattern: /^[\w.~-]+(\/[\w.~-]+)*$/, noun: "packages compiled" },
  };
}

/**
 * Runs `fill(scratch)` with a scratch folder beside `binDir`; the caller builds
 * into it and renames finished files into place, so an interrupted build never
 * leaves a half-written binary where the launcher or the engine looks.
 */
export async function withScratch(fill) {
  mkdirSync(binDir, { recursive: true });
  const scratch = mkdtempSync(join(dirname(binDir), ".build-"));
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  const interrupted = () => {
    removeScratch();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  try {
    return await fill(scratch);
  } finally {
    process.removeListener("SIGINT", interrupted);
    removeScratch();
  }
}

/** Moves a built file from the scratch folder into place and records what it was built from. */
export function install(built, target, hash) {
  renameSync(built, target);
  if (hash !== undefined) writeFileSync(stampOf(target), hash);
}
