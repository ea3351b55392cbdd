#!/usr/bin/env node
// Makes sure the Pulumi CLI that the `pulumi` npm launcher runs is present.
//
// The launcher runs $PULUMI_HOME/versions/<version>/bin/pulumi and downloads
// that release only when the file is missing. Where the download cannot work
// (no internet, a firewall) but a Go toolchain is present, this script builds
// the same release from its published Go modules into exactly that folder,
// together with the Node.js language host and the dynamic provider launcher.
// Without Go it does nothing, and the launcher's own download is what happens.
//
// Usage: node scripts/ensure-pulumi-cli.mjs [--print-dir]

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const goModuleDir = join(here, "pulumi-cli");
const require = createRequire(import.meta.url);
const version = require("pulumi/package.json").version;
const pulumiHome = process.env.PULUMI_HOME || join(homedir(), ".pulumi");
const binDir = join(pulumiHome, "versions", version, "bin");

// The files the engine needs beside the CLI: the language host for `runtime:
// nodejs` programs and the provider plugin that hosts dynamic providers.
const cli = join(binDir, "pulumi");
const languageHost = join(binDir, "pulumi-language-nodejs");
const dynamicProviderLauncher = join(binDir, "pulumi-resource-pulumi-nodejs");

// Runs @pulumi/pulumi's own dynamic provider host, resolved from the program's
// folder (the engine starts provider plugins there) like the program itself.
// The imported one-liner ends the host when the engine that started it is gone
// (a killed \`pulumi up\`), instead of leaving it orphaned.
const exitWithParent =
  "data:text/javascript,const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(0)},1000).unref()";
const dynamicProviderScript = `#!/bin/sh
entry=$(node -p "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')") || exit 1
exec node --disable-warning=ExperimentalWarning --import '${exitWithParent}' "$entry" "$@"
`;

function log(message) {
  process.stderr.write(`pulumi-cli: ${message}\n`);
}

function haveGo() {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

function goBuild(pkg, out, ldflags) {
  const started = Date.now();
  const result = spawnSync("go", ["build", "-trimpath", "-ldflags", `-s -w ${ldflags}`, "-o", out, pkg], {
    cwd: goModuleDir,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" },
  });
  if (result.status !== 0) {
    throw new Error(`go build ${pkg} failed (exit ${result.status ?? result.signal})`);
  }
  log(`built ${pkg.split("/").pop()} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// The language host and the launcher are ours: rebuild them when their source
// changes, not only when they are missing.
const hostSourceHash = createHash("sha256")
  .update(readFileSync(join(goModuleDir, "language-nodejs", "main.go")))
  .update(readFileSync(join(goModuleDir, "go.sum")))
  .digest("hex");
const hostStamp = `${languageHost}.source-sha256`;

function readOr(path, fallback) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}

function upToDate() {
  return (
    existsSync(cli) &&
    existsSync(languageHost) &&
    readOr(hostStamp, "") === hostSourceHash &&
    readOr(dynamicProviderLauncher, "") === dynamicProviderScript
  );
}

// A release the launcher downloaded carries the official language host and
// launcher: leave it exactly as it is.
function downloadedRelease() {
  return existsSync(cli) && existsSync(languageHost) && !existsSync(hostStamp);
}

function install() {
  if (downloadedRelease() || upToDate()) return;
  if (!existsSync(cli) && !haveGo()) {
    log(`no CLI at ${cli} and no Go toolchain: the pulumi launcher will download v${version} on first use`);
    return;
  }
  mkdirSync(binDir, { recursive: true });
  // Build into a scratch folder beside the target and rename into place, so an
  // interrupted build never leaves a half-written binary for the launcher.
  const scratch = mkdtempSync(join(dirname(binDir), ".build-"));
  try {
    if (!existsSync(cli)) {
      log(
        `building the Pulumi CLI v${version} from its Go modules (first time only; several minutes on 2 cores)`,
      );
      goBuild(
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
        join(scratch, "pulumi"),
        `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
      );
      renameSync(join(scratch, "pulumi"), cli);
    }
    if (!existsSync(languageHost) || readOr(hostStamp, "") !== hostSourceHash) {
      if (!haveGo())
        throw new Error(`the Node.js language host needs rebuilding and there is no Go toolchain`);
      goBuild("./language-nodejs", join(scratch, "pulumi-language-nodejs"), `-X main.version=${version}`);
      renameSync(join(scratch, "pulumi-language-nodejs"), languageHost);
      writeFileSync(hostStamp, hostSourceHash);
    }
    if (readOr(dynamicProviderLauncher, "") !== dynamicProviderScript) {
      writeFileSync(join(scratch, "launcher"), dynamicProviderScript);
      chmodSync(join(scratch, "launcher"), 0o755);
      renameSync(join(scratch, "launcher"), dynamicProviderLauncher);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  log(`ready: ${binDir}`);
}

function checkVersion() {
  if (!existsSync(cli)) return;
  const out = spawnSync(cli, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  const reported = (out.stdout || "").trim().replace(/^v/, "");
  if (reported !== version) {
    throw new Error(
      `${cli} reports version '${reported}', expected ${version}: remove ${binDir} and run again`,
    );
  }
}

try {
  install();
  checkVersion();
  if (process.argv.includes("--print-dir")) process.stdout.write(`${binDir}\n`);
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
