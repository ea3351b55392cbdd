// Links this package into its own node_modules, so that stacks inside the
// repository (the demo, the examples, the test stacks) and the dynamic
// provider host resolve `pulumi-rekognition-faces` by name, exactly as a
// user's stack resolves it from its node_modules.
import { lstatSync, mkdirSync, symlinkSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const link = join(root, "node_modules", "pulumi-rekognition-faces");
mkdirSync(dirname(link), { recursive: true });
try {
  if (lstatSync(link).isSymbolicLink()) unlinkSync(link);
} catch {
  // not there yet
}
symlinkSync("..", link, "dir");
