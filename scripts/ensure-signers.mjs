// Makes the Python venv that holds botocore, the independent SigV4 signer that
// test/emulator/sigv4.test.ts checks rekognition-local against. Runs before
// `npm test`; quick when the venv is already there. It says up front what it
// makes, keeps python's and pip's output in a log and prints a heartbeat
// (scripts/build-progress.mjs). When it cannot (no python3, no venv or pip, no
// PyPI) it shows why and lets `npm test` go on: only that one test needs the
// venv, and it fails with the same instruction.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSteps } from "./build-progress.mjs";

const pin = "botocore==1.44.8";
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const venv = join(root, ".venv-signers");
const python = join(venv, "bin", "python");
const logPath = join(venv, "setup.log");

const hasBotocore = () =>
  existsSync(python) &&
  spawnSync(python, ["-c", `import botocore, sys; sys.exit(botocore.__version__ != "${pin.split("==")[1]}")`])
    .status === 0;

if (!hasBotocore()) {
  try {
    await runSteps({
      tag: "signers",
      announce:
        `making .venv-signers, a Python venv with ${pin} from PyPI (the independent SigV4 signer ` +
        `that test/emulator/sigv4.test.ts checks rekognition-local against): about 10 s the first time`,
      logPath,
      retry: "npm run signers",
      steps: [
        // A venv whose ensurepip failed has python but no pip: make it again.
        !existsSync(join(venv, "bin", "pip")) && {
          phase: "creating the venv",
          command: "python3",
          args: ["-m", "venv", venv],
        },
        {
          phase: `installing ${pin}`,
          command: python,
          args: ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", pin],
        },
      ].filter(Boolean),
    });
  } catch (err) {
    console.warn(
      `signers: ${err instanceof Error ? err.message : String(err)}\n` +
        `signers: python3 with venv and pip, and access to PyPI, are needed; until then ` +
        `test/emulator/sigv4.test.ts fails and the other tests run`,
    );
  }
}
