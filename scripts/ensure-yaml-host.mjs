#!/usr/bin/env node
// Makes sure the YAML language host (`runtime: yaml` programs) is beside the
// Pulumi CLI that the `pulumi` npm launcher runs.
//
// A release the launcher downloaded carries the official pulumi-language-yaml.
// Where the CLI was built from its Go modules (scripts/ensure-pulumi-cli.mjs),
// this script builds the host from github.com/pulumi/pulumi-yaml at the
// version scripts/pulumi-yaml/go.mod pins, into the same folder, once. It is
// not part of `npm run setup`, so the demo never waits for it: `npm test` runs
// it, and so does a test or a YAML stack that needs the host.
// The build reports like the CLI's (scripts/build-progress.mjs).
//
// Usage: node scripts/ensure-yaml-host.mjs

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatElapsed, runSteps } from "./build-progress.mjs";
import {
  binDir,
  cliPath,
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
const goModuleDir = join(here, "pulumi-yaml");
const goMod = join(goModuleDir, "go.mod");
const hostPackage = "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml";
const host = join(binDir, "pulumi-language-yaml");
const logPath = join(versionDir, "build-yaml.log");
const log = logger("pulumi-yaml");

// The one place the version is pinned; the build stamps it into the host as
// pulumi-yaml's own release build does, so the engine reports it.
const yamlVersion = /^\s*github\.com\/pulumi\/pulumi-yaml (v\S+)/m.exec(readFileSync(goMod, "utf8"))?.[1];
if (!yamlVersion) throw new Error(`${goMod} does not require github.com/pulumi/pulumi-yaml`);
const ldflags = `-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${yamlVersion}`;
const hash = sourceHash([goMod, join(goModuleDir, "go.sum")], [ldflags]);

async function ensure() {
  // No stamp: the official host of a downloaded release. Leave it as it is.
  if (existsSync(host) && (!existsSync(stampOf(host)) || readOr(stampOf(host), "") === hash)) return;
  if (!haveGo()) {
    if (!existsSync(cliPath)) {
      log(
        `no CLI at ${cliPath} and no Go toolchain: the release the pulumi launcher downloads includes the YAML host`,
      );
      return;
    }
    throw new Error(
      `${host} is missing or out of date and there is no Go toolchain to build it: install Go and run ` +
        `\`npm run pulumi:yaml\`, or remove ${binDir} so that the pulumi launcher downloads the official release`,
    );
  }
  await withScratch(async (scratch) => {
    const took = await runSteps({
      tag: "pulumi-yaml",
      announce:
        `building the YAML language host (pulumi-language-yaml ${yamlVersion}) from its Go modules into ${binDir}: ` +
        "about 3-5 minutes on 2 cores the first time (later runs do nothing)",
      logPath,
      retry: "npm run pulumi:yaml",
      steps: [
        goDownload(goModuleDir, [hostPackage]),
        goBuild(goModuleDir, "compiling pulumi-language-yaml", hostPackage, join(scratch, "host"), ldflags),
      ],
    });
    moveIntoPlace(join(scratch, "host"), host, hash);
    log(`built in ${formatElapsed(took)}`);
  });
  log(`ready: ${host}`);
}

try {
  await ensure();
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
