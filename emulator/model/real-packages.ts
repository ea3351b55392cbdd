import { createRequire } from "node:module";

/**
 * The npm packages the real face model runs on. They are optional peer
 * dependencies: a library user who only deploys to AWS never installs them, so
 * nothing outside the model's worker may load them.
 */
export const REAL_MODEL_PACKAGES = {
  "@vladmandic/face-api": "1.7.15",
  "@tensorflow/tfjs": "4.22.0",
  "@tensorflow/tfjs-backend-wasm": "4.22.0",
} as const;

export const REAL_MODEL_INSTALL = `npm install --save-dev ${Object.entries(REAL_MODEL_PACKAGES)
  .map(([name, version]) => `${name}@${version}`)
  .join(" ")}`;

// Resolved from this package's own location, as a require from the worker would be.
const local = createRequire(__filename);

/** The packages that cannot be resolved (without loading any of them). */
export function missingRealModelPackages(resolve: (id: string) => string = local.resolve): string[] {
  return Object.keys(REAL_MODEL_PACKAGES).filter((name) => {
    try {
      resolve(`${name}/package.json`);
      return false;
    } catch {
      return true;
    }
  });
}

export class FaceModelUnavailableError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `the real face model needs ${missing.join(", ")}, which ${missing.length === 1 ? "is" : "are"} not installed: run \`${REAL_MODEL_INSTALL}\` (or start with --face-model synthetic, a stand-in that recognises only the portraits \`rekognition-local photos\` draws)`,
    );
    this.name = "FaceModelUnavailableError";
  }
}
