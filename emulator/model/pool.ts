import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { ImageError, type ImageErrorKind } from "./image-error.js";
import type { FacesFound } from "./analyze.js";
import type { FaceModelKind } from "./types.js";

export interface AnalysisRequest {
  id: number;
  model: FaceModelKind;
  bytes: Uint8Array;
}

export type AnalysisReply =
  | { id: number; found: FacesFound }
  | { id: number; imageError: { kind: ImageErrorKind; message: string } }
  | { id: number; failure: string };

interface Job {
  request: AnalysisRequest;
  resolve(found: FacesFound): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

// From the TypeScript sources (the test suites), the worker needs its imports
// mapped from .js to .ts and compiled: TypeScript's own transpiler does it, as tsc would.
const TS_BOOTSTRAP = `
const { registerHooks } = require("node:module");
const { readFileSync } = require("node:fs");
const { fileURLToPath } = require("node:url");
const { workerData } = require("node:worker_threads");
const ts = require("typescript");
registerHooks({
  resolve(specifier, context, next) {
    try { return next(specifier, context); } catch (err) {
      if (/^\\.\\.?\\//.test(specifier) && specifier.endsWith(".js")) return next(specifier.slice(0, -3) + ".ts", context);
      throw err;
    }
  },
  load(url, context, next) {
    if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
    const source = ts.transpileModule(readFileSync(fileURLToPath(url), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, esModuleInterop: true },
    }).outputText;
    return { format: "commonjs", source, shortCircuit: true };
  },
});
require(workerData.entry);
`;

function spawn(): Worker {
  const fromSources = extname(__filename) === ".ts";
  const entry = join(__dirname, `worker${fromSources ? ".ts" : ".js"}`);
  return fromSources ? new Worker(TS_BOOTSTRAP, { eval: true, workerData: { entry } }) : new Worker(entry);
}

/**
 * Worker threads that decode images and run the face model, so that a large image
 * or a slow model never stalls the server's event loop (or its SIGTERM handler).
 * Workers start on first use and are kept; a job that overruns its time is ended
 * by terminating its worker.
 */
export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly model: FaceModelKind,
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {}

  run(bytes: Uint8Array): Promise<FacesFound> {
    if (this.closed) return Promise.reject(new Error("the face model has been stopped"));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, model: this.model, bytes }, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("the face model has been stopped"));
    await Promise.all(
      this.slots.splice(0).map((s) => this.retire(s, new Error("the face model has been stopped"))),
    );
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.start();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        void this.retire(
          slot,
          new ImageError(
            "format",
            `Request has invalid image format (analysis took longer than ${this.timeoutMs} ms)`,
          ),
        );
        this.pump();
      }, this.timeoutMs);
      slot.worker.ref();
      slot.worker.postMessage(job.request);
    }
  }

  private start(): Slot {
    const slot: Slot = { worker: spawn() };
    slot.worker.unref();
    slot.worker.on("message", (reply: AnalysisReply) => {
      const job = slot.job;
      if (!job || job.request.id !== reply.id) return;
      clearTimeout(slot.timer);
      slot.job = undefined;
      slot.worker.unref();
      if ("found" in reply) job.resolve(reply.found);
      else if ("imageError" in reply)
        job.reject(new ImageError(reply.imageError.kind, reply.imageError.message));
      else job.reject(new Error(reply.failure));
      this.pump();
    });
    const died = (err: Error) => {
      void this.retire(slot, err);
      this.pump();
    };
    slot.worker.on("error", died);
    slot.worker.on("exit", (code) => died(new Error(`the face model's worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private async retire(slot: Slot, err: Error): Promise<void> {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(err);
    slot.worker.removeAllListeners();
    slot.worker.on("error", () => {});
    await slot.worker.terminate();
  }
}
