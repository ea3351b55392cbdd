/** The analysis worker: decodes images and runs the face model off the server's thread. */
import { parentPort } from "node:worker_threads";
import { facesIn } from "./analyze.js";
import { ImageError } from "./image-error.js";
import type { AnalysisReply, AnalysisRequest } from "./pool.js";

const port = parentPort;
if (!port) throw new Error("emulator/model/worker runs as a worker thread only");

port.on("message", (job: AnalysisRequest) => {
  facesIn(job.model, job.bytes).then(
    (found) => port.postMessage({ id: job.id, found } satisfies AnalysisReply),
    (err: unknown) => {
      const reply: AnalysisReply =
        err instanceof ImageError
          ? { id: job.id, imageError: { kind: err.kind, message: err.message } }
          : { id: job.id, failure: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    },
  );
});
