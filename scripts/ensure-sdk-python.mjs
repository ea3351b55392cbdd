// Makes the Python venv that test/sdk/python.test.ts runs the generated Python
// SDK in: Pulumi's Python SDK at the CLI's version (its mock runtime), pytest,
// and the SDK's own dependency. The test installs sdk/python into it on every
// run, so the venv never holds a stale copy. Runs before `npm test`; quick
// when the venv is already there (scripts/python-venv.mjs).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureVenv } from "./python-venv.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

await ensureVenv({
  tag: "sdk-python",
  dir: join(root, ".venv-sdk"),
  // setuptools builds sdk/python (its pyproject.toml) without fetching a build environment on every run.
  pins: ["pulumi==3.259.0", "pytest==9.2.0", "parver==1.0.1.post0", "setuptools==84.2.1"],
  purpose: "test/sdk/python.test.ts runs the generated Python SDK under Pulumi's mock runtime",
  retry: "npm run sdk:python",
  seconds: 30,
});
