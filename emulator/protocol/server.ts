import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_MAX_BODY_BYTES, parseJsonObject, readBody } from "./body.js";
import { encodeError, internalError, ServiceError } from "./errors.js";
import { verifySignature, type Credentials } from "./signature.js";

/** What the protocol layer needs from a service: its target prefix and a way to run an operation. */
export interface ServiceDefinition {
  /** e.g. "RekognitionService": the part of X-Amz-Target before the dot. */
  targetPrefix: string;
  /** The SigV4 service name, e.g. "rekognition". */
  signingName: string;
  hasOperation(name: string): boolean;
  invoke(operation: string, input: Record<string, unknown>, call: CallContext): unknown;
}

export interface CallContext {
  requestId: string;
  region: string;
}

export interface FinishedRequest {
  requestId: string;
  operation: string;
  status: number;
  errorType?: string;
  durationMs: number;
}

/** Hooks for operators: admission (faults, quotas) before an operation runs, and a record of every request. */
export interface RequestObserver {
  /**
   * Resolves "drop" to close the connection without answering, "drop-after" to
   * run the operation and then close it unanswered; throws a ServiceError to refuse.
   */
  admit(operation: string): Promise<"proceed" | "drop" | "drop-after">;
  finished(request: FinishedRequest): void;
}

export interface ProtocolOptions {
  service: ServiceDefinition;
  credentials: readonly Credentials[];
  verifySignatures: boolean;
  /** Region used when signatures are not verified (otherwise the credential scope's). */
  defaultRegion: string;
  maxBodyBytes?: number;
  observer?: RequestObserver;
}

const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";
/** Stands for the operation in logs and counters when the target names none we know. */
export const UNKNOWN_OPERATION = "(unknown)";

/** The operation an X-Amz-Target names: exactly `<prefix>.<Operation>`, nothing before or after. */
export function operationName(target: unknown, prefix: string): string | undefined {
  if (typeof target !== "string" || !target.startsWith(prefix + ".")) return undefined;
  const name = target.slice(prefix.length + 1);
  return /^[A-Za-z][A-Za-z0-9]*$/.test(name) ? name : undefined;
}

/** The AWS JSON 1.1 request handler: body limits, target dispatch, signatures, error encoding. */
export function createProtocolHandler(opts: ProtocolOptions) {
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    let operation = UNKNOWN_OPERATION;
    let status = 200;
    let errorType: string | undefined;

    const send = (code: number, body: string, headers: Record<string, string> = {}) => {
      status = code;
      res.writeHead(code, {
        "content-type": JSON_CONTENT_TYPE,
        "content-length": String(Buffer.byteLength(body)),
        "x-amzn-RequestId": requestId,
        date: new Date().toUTCString(),
        ...headers,
      });
      res.end(body);
    };
    const fail = (err: unknown, extraHeaders: Record<string, string> = {}) => {
      const serviceError = err instanceof ServiceError ? err : internalError();
      if (!(err instanceof ServiceError)) console.error(`rekognition-local: ${requestId}:`, err);
      errorType = serviceError.code;
      const encoded = encodeError(serviceError, requestId);
      send(encoded.status, encoded.body, { ...encoded.headers, ...extraHeaders });
    };
    const finish = () =>
      opts.observer?.finished({
        requestId,
        operation,
        status,
        ...(errorType ? { errorType } : {}),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });

    try {
      const target = req.headers["x-amz-target"];
      const name = operationName(target, opts.service.targetPrefix);
      if (name !== undefined && opts.service.hasOperation(name)) operation = name;

      let read: { body: Buffer; tooLarge: boolean };
      try {
        read = await readBody(req, maxBody);
      } catch {
        // The client went away mid-body: there is nobody to answer.
        status = 0;
        errorType = "ClientDisconnected";
        finish();
        return;
      }
      if (read.tooLarge) {
        fail(
          new ServiceError(
            "RequestEntityTooLargeException",
            `Request body is larger than ${maxBody} bytes`,
            413,
          ),
          { connection: "close" },
        );
        return finish();
      }
      if (req.headers.host === undefined && req.httpVersion === "1.1") {
        throw new ServiceError("BadRequestException", "HTTP/1.1 requests must carry a Host header");
      }
      if (req.method !== "POST") {
        throw new ServiceError(
          "UnknownOperationException",
          `${req.method} is not supported; send POST with an X-Amz-Target header`,
        );
      }
      if (operation === UNKNOWN_OPERATION) {
        throw new ServiceError(
          "UnknownOperationException",
          typeof target === "string" ? `Unknown operation ${target}` : "Missing X-Amz-Target header",
        );
      }

      let region = opts.defaultRegion;
      if (opts.verifySignatures) {
        const verified = await verifySignature(
          {
            method: req.method,
            path: req.url ?? "/",
            headers: req.headers,
            rawHeaders: req.rawHeaders,
            body: read.body,
          },
          opts.credentials,
          opts.service.signingName,
        );
        region = verified.region;
      }
      const input = parseJsonObject(read.body);

      const admission = opts.observer ? await opts.observer.admit(operation) : "proceed";
      const dropped = (): void => {
        status = 0;
        errorType = "ConnectionDropped";
        req.socket.destroy();
        finish();
      };
      if (admission === "drop") return dropped();
      const output = await opts.service.invoke(operation, input, { requestId, region });
      if (admission === "drop-after") return dropped();
      send(200, JSON.stringify(output ?? {}));
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
      } else {
        fail(err);
      }
    }
    finish();
  };
}
