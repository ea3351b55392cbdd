// Makes the Python venv that holds botocore, the independent SigV4 signer that
// test/emulator/sigv4.test.ts checks rekognition-local against. Runs before
// `npm test`; quick when the venv is already there (scripts/python-venv.mjs).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureVenv } from "./python-venv.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

await ensureVenv({
  tag: "signers",
  dir: join(root, ".venv-signers"),
  pins: ["botocore==1.44.8"],
  purpose: "the independent SigV4 signer that test/emulator/sigv4.test.ts checks rekognition-local against",
  retry: "npm run signers",
  seconds: 10,
});
