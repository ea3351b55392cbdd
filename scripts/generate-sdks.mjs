#!/usr/bin/env node
// Generates the provider plugin's Python and Go SDKs (sdk/python, sdk/go) from
// its package schema, provider/plugin/schema.ts, with the code generators of
// the pinned Pulumi release (scripts/sdkgen, a Go module of its own). The
// generated SDKs are committed; test/sdk/generated.test.ts fails when they
// differ from what this script generates.
//
// Usage: node scripts/generate-sdks.mjs [--out DIR] [--dist DIR]
//   --out DIR    write DIR/python and DIR/go instead of sdk/ (the test compares such a copy)
//   --dist DIR   compile the TypeScript into DIR instead of dist/ (so that a test
//                never rewrites the dist/ other tests are reading)
//
// The generator is built once per version of its source and kept in
// scripts/sdkgen/bin/: 153 s measured on 2 cores with the modules downloaded
// and an empty Go build cache, 262 s while another Go build ran, about 20 s
// when the CLI build has filled the cache.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatElapsed, runSteps } from "./build-progress.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const generatorDir = join(root, "scripts", "sdkgen");
const binDir = join(generatorDir, "bin");
const require = createRequire(import.meta.url);

function say(message) {
  process.stderr.write(`generate-sdks: ${message}\n`);
}

/** The generator's binary for its current source: rebuilt when go.mod, go.sum or main.go change. */
function generatorPath() {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "main.go"]) hash.update(readFileSync(join(generatorDir, file)));
  return join(binDir, `sdkgen-${hash.digest("hex").slice(0, 16)}`);
}

async function ensureGenerator() {
  const binary = generatorPath();
  if (existsSync(binary)) return { binary, builtMs: 0 };
  if (spawnSync("go", ["version"], { stdio: "ignore" }).status !== 0) {
    throw new Error("no Go toolchain (`go version` failed): install Go 1.25 or later to generate the SDKs");
  }
  mkdirSync(binDir, { recursive: true });
  // Built to a scratch name and renamed, so an interrupted build leaves no half-written binary.
  const scratch = mkdtempSync(join(binDir, ".build-"));
  try {
    const builtMs = await runSteps({
      tag: "generate-sdks",
      announce:
        `building the SDK generator (scripts/sdkgen: Pulumi's code generators, pkg/v3) into ${binDir}: ` +
        "2-5 minutes on 2 cores the first time (less after the CLI build), nothing later",
      logPath: join(binDir, "build.log"),
      retry: "npm run generate:sdks",
      steps: [
        {
          phase: "compiling the SDK generator",
          command: "go",
          args: ["build", "-v", "-trimpath", "-o", join(scratch, "sdkgen"), "."],
          cwd: generatorDir,
          env: { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" },
          count: { pattern: /^[\w.~-]+(\/[\w.~-]+)*$/, noun: "packages compiled" },
        },
      ],
    });
    renameSync(join(scratch, "sdkgen"), binary);
    return { binary, builtMs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `npm run build`, into `outDir`: the schema is read from the compiled provider/plugin/schema.ts. */
function build(outDir) {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", outDir], {
    cwd: root,
    stdio: ["ignore", 2, 2],
  });
  if (result.status !== 0)
    throw new Error("compiling the TypeScript failed (its output is above): fix it and run again");
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: join(root, "sdk") },
      dist: { type: "string", default: join(root, "dist") },
    },
  });
  const out = resolve(values.out);
  const dist = resolve(values.dist);
  build(dist);
  const schemaModule = join(dist, "provider", "plugin", "schema.js");
  const { version } = require(join(root, "package.json"));
  const schema = JSON.stringify(require(schemaModule).packageSchema(version), null, 2);

  const { binary, builtMs } = await ensureGenerator();
  const started = Date.now();
  const run = spawnSync(binary, ["-out", out], { input: schema, stdio: ["pipe", "inherit", "inherit"] });
  if (run.status !== 0) throw new Error(`the generator failed (exit ${run.status ?? run.signal}): see above`);
  const generatedMs = Date.now() - started;
  say(
    `wrote ${join(out, "python")} and ${join(out, "go")} for rekognition-faces ${version} in ${generatedMs} ms` +
      (builtMs ? ` (the generator's build took ${formatElapsed(builtMs)})` : ""),
  );
}

main().catch((err) => {
  say(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
