// Runs the slow steps of the setup (building the Pulumi CLI, making the
// botocore venv) so that a first run is never silent: one line up front says
// what is made, where, how long it takes and where the tool's output is
// logged; a heartbeat names the phase and the time so far; a failure names
// the log and shows its end. The tools' own output goes to the log only,
// because hundreds of `go: downloading` lines hide what matters.

import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export const heartbeatVariable = "SETUP_HEARTBEAT_SECONDS";
const defaultHeartbeatSeconds = 15;
const tailLines = 30;

/** The heartbeat's interval in ms: 15 s, or $SETUP_HEARTBEAT_SECONDS. */
export function heartbeatMs(env = process.env) {
  const raw = env[heartbeatVariable];
  if (raw === undefined || raw === "") return defaultHeartbeatSeconds * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(
      `${heartbeatVariable} is '${raw}': set it to a positive number of seconds (e.g. 15), or unset it`,
    );
  }
  return seconds * 1000;
}

/** "9 s", "2 min 05 s". */
export function formatElapsed(ms) {
  const total = Math.floor(ms / 1000);
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
}

/** The last `count` non-empty lines of a text. */
export function lastLines(text, count = tailLines) {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(-count);
}

function readFrom(path, offset) {
  try {
    return readFileSync(path).subarray(offset).toString("utf8");
  } catch {
    return "";
  }
}

/**
 * Runs `steps` one after the other, every step's output appended to `logPath`.
 *
 * build: { tag, announce, logPath, retry, steps, heartbeatMs?, write? }
 *   announce: the up-front line (what, where, how long); the log's path is added.
 *   retry: the command that runs the setup again after a fix.
 *   steps: [{ phase, command, args, cwd?, env?, count? }]
 *     phase: what the step does, for the heartbeat ("compiling pulumi").
 *     count: { pattern (a RegExp or its source), noun }: the heartbeat adds how many of the step's log
 *       lines match so far ("modules downloaded so far: 118").
 * Resolves when every step succeeded; rejects with a message that names the
 * failed step, the log and its last lines.
 */
export async function runSteps(build) {
  const write = build.write ?? ((line) => process.stderr.write(`${line}\n`));
  const say = (message) => write(`${build.tag}: ${message}`);
  const interval = build.heartbeatMs ?? heartbeatMs();
  mkdirSync(dirname(build.logPath), { recursive: true });
  const fd = openSync(build.logPath, "w");
  const started = Date.now();
  say(`${build.announce}; its output goes to ${build.logPath}`);
  try {
    for (const step of build.steps) {
      await runStep(step, { fd, logPath: build.logPath, retry: build.retry, started, interval, say });
    }
  } finally {
    closeSync(fd);
  }
  return Date.now() - started;
}

function runStep(step, { fd, logPath, retry, started, interval, say }) {
  const commandLine = [step.command, ...step.args].join(" ");
  writeSync(fd, `\n==> ${step.phase}: ${commandLine}\n`);
  // Where this step's output starts in the log, to count only its own lines.
  const offset = readFileSync(logPath).length;
  const stepStarted = Date.now();
  const pattern = step.count && new RegExp(step.count.pattern);
  const counted = () => {
    if (!pattern) return undefined;
    return readFrom(logPath, offset)
      .split("\n")
      .filter((line) => pattern.test(line)).length;
  };
  const heartbeat = setInterval(() => {
    const n = counted();
    const soFar = n === undefined ? "" : `, ${step.count.noun} so far: ${n}`;
    say(`still ${step.phase}${soFar} (${formatElapsed(Date.now() - started)} elapsed)`);
  }, interval);

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (how) => {
      if (settled) return;
      settled = true;
      clearInterval(heartbeat);
      const tail = lastLines(readFrom(logPath, 0));
      reject(
        new Error(
          `${step.phase} failed (${how}) after ${formatElapsed(Date.now() - stepStarted)}. ` +
            `The full output is in ${logPath}: fix the cause it shows and run \`${retry}\` again. ` +
            `Its last ${tail.length} lines:\n` +
            tail.map((line) => `    ${line}`).join("\n"),
        ),
      );
    };
    let child;
    try {
      child = spawn(step.command, step.args, {
        cwd: step.cwd,
        env: step.env ?? process.env,
        stdio: ["ignore", fd, fd],
      });
    } catch (err) {
      fail(`could not start \`${step.command}\`: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    child.on("error", (err) => {
      writeSync(fd, `could not start ${commandLine}: ${err.message}\n`);
      fail(`could not start \`${step.command}\`: ${err.message}`);
    });
    child.on("exit", (code, signal) => {
      if (code === 0 && !settled) {
        settled = true;
        clearInterval(heartbeat);
        const n = counted();
        const what = n === undefined ? "" : ` (${step.count.noun}: ${n})`;
        say(`${step.phase}: done in ${formatElapsed(Date.now() - stepStarted)}${what}`);
        resolve();
      } else {
        fail(`\`${commandLine}\` exited with ${code ?? signal}`);
      }
    });
  });
}
