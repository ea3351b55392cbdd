// Makes the Python venv that holds botocore, the independent SigV4 signer that
// test/emulator/sigv4.test.ts checks rekognition-local against. Runs before
// `npm test`; quick when the venv is already there. Without python3 it says
// so and leaves the test to fail with the same instruction.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pin = "botocore==1.44.8";
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const venv = join(root, ".venv-signers");
const python = join(venv, "bin", "python");

const run = (command, args) => spawnSync(command, args, { stdio: "inherit" }).status === 0;
const hasBotocore = () =>
  existsSync(python) &&
  spawnSync(python, ["-c", `import botocore, sys; sys.exit(botocore.__version__ != "${pin.split("==")[1]}")`])
    .status === 0;

if (!hasBotocore()) {
  const made =
    (existsSync(python) || run("python3", ["-m", "venv", venv])) &&
    run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", pin]);
  if (!made) {
    console.warn(
      `signers: could not install ${pin} into .venv-signers (python3 with venv and pip is needed)`,
    );
  }
}
