import { createRequire } from "node:module";
import { callCounters } from "./aws/client.js";
import type { OperationCounters } from "./aws/rate-limits.js";

export { callCounters } from "./aws/client.js";
export type { OperationCounters } from "./aws/rate-limits.js";

export interface Progress {
  /** `n` more items (default 1) are done. */
  advance(n?: number): void;
  /** Emits the last line and stops the periodic ones; later calls do nothing. */
  finish(): void;
}

export interface ProgressOptions {
  /** Between two lines, in milliseconds (default 10 000). */
  readonly intervalMs?: number;
  /** What is counted (default "people"). */
  readonly unit?: string;
  /**
   * Where lines go. Default: inside the dynamic provider host, the engine's
   * diagnostics (see `engineLogSink`); elsewhere standard error.
   */
  readonly emit?: (line: string, final: boolean) => void;
  /** Calls and throttles by operation (default: this process's, from every Rekognition client). */
  readonly counters?: () => Record<string, OperationCounters>;
  /** Runs `tick` every `ms`; returns how to stop (default setInterval, unref'd). */
  readonly every?: (ms: number, tick: () => void) => () => void;
}

/**
 * Progress of a long bulk operation: every `intervalMs` and once at the end,
 * one line such as
 * `roster staff: 1200/5000 people, calls: IndexFaces 1200, CreateUser 400, throttled: 3`,
 * where the calls (attempts, retries included) and throttles are those of this
 * process since the progress started.
 */
export function startProgress(
  label: string,
  total: number | (() => number),
  options: ProgressOptions = {},
): Progress {
  const counters = options.counters ?? callCounters;
  const emit = options.emit ?? defaultSink();
  const every = options.every ?? everyInterval;
  const unit = options.unit ?? "people";
  const start = counters();
  let done = 0;
  let finished = false;
  const line = () =>
    progressLine(label, done, typeof total === "number" ? total : total(), since(start, counters()), unit);
  const stop = every(options.intervalMs ?? 10_000, () => emit(line(), false));
  return {
    advance(n = 1) {
      done += n;
    },
    finish() {
      if (finished) return;
      finished = true;
      stop();
      emit(line(), true);
    },
  };
}

/** One progress line: done/total, calls by operation (most first), throttles. */
export function progressLine(
  label: string,
  done: number,
  total: number,
  counters: Record<string, OperationCounters>,
  unit = "people",
): string {
  const entries = Object.entries(counters).filter(([, c]) => c.calls > 0);
  entries.sort(([a, x], [b, y]) => y.calls - x.calls || a.localeCompare(b));
  const calls = entries.length ? entries.map(([name, c]) => `${name} ${c.calls}`).join(", ") : "none";
  const throttled = Object.values(counters).reduce((sum, c) => sum + c.throttles, 0);
  return `${label}: ${done}/${total} ${unit}, calls: ${calls}, throttled: ${throttled}`;
}

function since(
  start: Record<string, OperationCounters>,
  now: Record<string, OperationCounters>,
): Record<string, OperationCounters> {
  return Object.fromEntries(
    Object.entries(now).map(([name, c]) => [
      name,
      { calls: c.calls - (start[name]?.calls ?? 0), throttles: c.throttles - (start[name]?.throttles ?? 0) },
    ]),
  );
}

function everyInterval(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** One line where progress lines go, kept among the diagnostics: what a run found, beside its progress. */
export function reportLine(line: string): void {
  defaultSink()(line, true);
}

// Found once per process: where this process's progress lines go.
let sink: ((line: string, final: boolean) => void) | undefined;

function defaultSink(): (line: string, final: boolean) => void {
  return (sink ??= engineLogSink(dynamicProviderEngine()) ?? stderrSink);
}

const stderrSink = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/**
 * The engine's address when this process is Pulumi's dynamic provider host
 * (`node …/cmd/dynamic-provider <engine address>`). The host never hands it
 * to @pulumi/pulumi's runtime, so `pulumi.log` there has no engine and prints
 * to the console instead.
 */
function dynamicProviderEngine(): string | undefined {
  const [, script, address] = process.argv;
  return script?.includes("dynamic-provider") && address && isEngineAddress(address) ? address : undefined;
}

const isEngineAddress = (arg: string): boolean => /^[\w.[\]:-]+:\d+$/.test(arg);

/**
 * Sends this process's lines to the engine a provider plugin was started for:
 * its first argument that is an address (the engine's flags may come first).
 */
export function logToEngineOf(pluginArgs: readonly string[]): void {
  const address = pluginArgs.find(isEngineAddress);
  sink = engineLogSink(address) ?? stderrSink;
}

interface LogRequest {
  setSeverity(value: number): void;
  setMessage(value: string): void;
  setUrn(value: string): void;
  setEphemeral(value: boolean): void;
}

/**
 * Lines as the engine's own diagnostics, through its Log RPC: the periodic
 * lines ephemeral (the live display shows them as the stack's status; they
 * are not kept among the diagnostics), the last one kept. If the RPC cannot be
 * used, lines go to standard error, which the engine also shows (as an info
 * diagnostic of the stack, each line kept).
 */
export function engineLogSink(
  address: string | undefined,
): ((line: string, final: boolean) => void) | undefined {
  if (!address) return undefined;
  let client: { log(req: LogRequest, done: (err: unknown) => void): void };
  let newRequest: () => LogRequest;
  let info: number;
  try {
    const load = createRequire(require.resolve("@pulumi/pulumi"));
    const grpc = load("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
    const service = load("./proto/engine_grpc_pb.js") as {
      EngineClient: new (address: string, credentials: unknown) => typeof client;
    };
    const messages = load("./proto/engine_pb.js") as {
      LogRequest: new () => LogRequest;
      LogSeverity: { INFO: number };
    };
    client = new service.EngineClient(address, grpc.credentials.createInsecure());
    newRequest = () => new messages.LogRequest();
    info = messages.LogSeverity.INFO;
  } catch {
    return undefined;
  }
  let broken = false;
  return (line, final) => {
    if (broken) return stderrSink(line);
    const req = newRequest();
    req.setSeverity(info);
    req.setMessage(line);
    req.setUrn("");
    req.setEphemeral(!final);
    client.log(req, (err) => {
      if (!err) return;
      broken = true;
      stderrSink(line);
    });
  };
}
