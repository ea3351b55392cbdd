#!/usr/bin/env node
// Makes sure the Pulumi CLI that the `pulumi` npm launcher runs is present.
//
// The launcher runs $PULUMI_HOME/versions/<version>/bin/pulumi and downloads
// that release only when the file is missing. Where the download cannot work
// (no internet, a firewall) but a Go toolchain is present, this script builds
// the same release from its published Go modules into exactly that folder,
// together with the Node.js language host and the dynamic provider launcher.
// Without Go it does nothing, and the launcher's own download is what happens.
// A build says up front what it makes and how long that takes, keeps Go's
// output in a log, and prints a heartbeat (scripts/build-progress.mjs).
//
// Usage: node scripts/ensure-pulumi-cli.mjs [--print-dir]

import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatElapsed, runSteps } from "./build-progress.mjs";
import {
  binDir,
  cliPath as cli,
  goBuild,
  goDownload,
  haveGo,
  install as moveIntoPlace,
  logger,
  readOr,
  sourceHash,
  stampOf,
  version,
  versionDir,
  withScratch,
} from "./pulumi-go-build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const goModuleDir = join(here, "pulumi-cli");

// The files the engine needs beside the CLI: the language host for `runtime:
// nodejs` programs and the provider plugin that hosts dynamic providers.
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

const log = logger("pulumi-cli");

const cliPackage = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const hostPackage = "./language-nodejs";
// Go's whole output (every `go: downloading` line, `go build -v`'s package
// names, errors) goes here, beside the folder the build fills.
const logPath = join(versionDir, "build.log");

// The language host and the launcher are ours: rebuild them when their source
// changes, not only when they are missing.
const hostSourceHash = sourceHash([
  join(goModuleDir, "language-nodejs", "main.go"),
  join(goModuleDir, "go.sum"),
]);
const hostStamp = stampOf(languageHost);

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

async function install() {
  if (downloadedRelease() || upToDate()) return;
  const needCli = !existsSync(cli);
  const needHost = !existsSync(languageHost) || readOr(hostStamp, "") !== hostSourceHash;
  const needLauncher = readOr(dynamicProviderLauncher, "") !== dynamicProviderScript;
  if ((needCli || needHost) && !haveGo()) {
    if (needCli) {
      log(`no CLI at ${cli} and no Go toolchain: the pulumi launcher will download v${version} on first use`);
      return;
    }
    throw new Error(
      `the Node.js language host at ${languageHost} needs rebuilding and there is no Go toolchain: ` +
        `install Go, or remove ${binDir} so that the pulumi launcher downloads the official release`,
    );
  }
  await withScratch(async (scratch) => {
    if (needCli || needHost) {
      const parts = [
        needCli && `the Pulumi CLI v${version} from its Go modules`,
        needHost && "the Node.js language host",
        needLauncher && "the dynamic provider launcher",
      ].filter(Boolean);
      const took = await runSteps({
        tag: "pulumi-cli",
        announce:
          `building ${new Intl.ListFormat("en").format(parts)} into ${binDir}: ` +
          (needCli
            ? "about 3-7 minutes on 2 cores the first time (later runs take about a second)"
            : "usually under a minute"),
        logPath,
        retry: "npm run pulumi:cli",
        steps: [
          goDownload(goModuleDir, [...(needCli ? [cliPackage] : []), ...(needHost ? [hostPackage] : [])]),
          needCli &&
            goBuild(
              goModuleDir,
              "compiling pulumi (the CLI)",
              cliPackage,
              join(scratch, "pulumi"),
              `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
            ),
          needHost &&
            goBuild(
              goModuleDir,
              "compiling pulumi-language-nodejs (the language host)",
              hostPackage,
              join(scratch, "pulumi-language-nodejs"),
              `-X main.version=${version}`,
            ),
        ].filter(Boolean),
      });
      if (needCli) moveIntoPlace(join(scratch, "pulumi"), cli);
      if (needHost) moveIntoPlace(join(scratch, "pulumi-language-nodejs"), languageHost, hostSourceHash);
      log(`built in ${formatElapsed(took)}`);
    }
    if (needLauncher) {
      writeFileSync(join(scratch, "launcher"), dynamicProviderScript);
      chmodSync(join(scratch, "launcher"), 0o755);
      moveIntoPlace(join(scratch, "launcher"), dynamicProviderLauncher);
    }
  });
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
  await install();
  checkVersion();
  if (process.argv.includes("--print-dir")) process.stdout.write(`${binDir}\n`);
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
