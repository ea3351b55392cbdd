// Makes a Python venv holding pinned packages from PyPI, once: quick when the
// venv already has every pin. Says up front what it makes, keeps python's and
// pip's output in a log and prints a heartbeat (scripts/build-progress.mjs).
// When it cannot (no python3, no venv or pip, no PyPI) it shows why and lets
// the caller go on: only the tests that need the venv fail, with the same
// instruction.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runSteps } from "./build-progress.mjs";

/** The venv's python. */
export function venvPython(venv) {
  return join(venv, "bin", "python");
}

/** Whether the venv has every `name==version` pin installed at that version. */
export function hasPins(venv, pins) {
  const python = venvPython(venv);
  if (!existsSync(python)) return false;
  const wanted = Object.fromEntries(pins.map((pin) => pin.split("==")));
  const check =
    "import importlib.metadata as m, json, sys\n" +
    "def v(n):\n  try: return m.version(n)\n  except m.PackageNotFoundError: return None\n" +
    `sys.exit(any(v(n) != want for n, want in json.loads(${JSON.stringify(JSON.stringify(wanted))}).items()))`;
  return spawnSync(python, ["-c", check]).status === 0;
}

/**
 * venv: { tag, dir, pins, purpose, retry, seconds }
 *   dir: the venv's folder; pins: ["name==version", ...];
 *   purpose: what the venv is for, for the up-front line; retry: the npm script that makes it;
 *   seconds: how long a first run takes, for the up-front line.
 */
export async function ensureVenv({ tag, dir, pins, purpose, retry, seconds }) {
  if (hasPins(dir, pins)) return;
  const python = venvPython(dir);
  try {
    await runSteps({
      tag,
      announce: `making ${dir}, a Python venv with ${pins.join(", ")} from PyPI (${purpose}): about ${seconds} s the first time`,
      logPath: join(dir, "setup.log"),
      retry,
      steps: [
        // A venv whose ensurepip failed has python but no pip: make it again.
        !existsSync(join(dir, "bin", "pip")) && {
          phase: "creating the venv",
          command: "python3",
          args: ["-m", "venv", dir],
        },
        {
          phase: `installing ${pins.join(", ")}`,
          command: python,
          args: ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", ...pins],
        },
      ].filter(Boolean),
    });
  } catch (err) {
    console.warn(
      `${tag}: ${err instanceof Error ? err.message : String(err)}\n` +
        `${tag}: python3 with venv and pip, and access to PyPI, are needed; until then ` +
        `the tests that need ${dir} fail and the other tests run`,
    );
  }
}
