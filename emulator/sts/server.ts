import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_MAX_BODY_BYTES, readBody } from "../protocol/body.js";
import { internalError, ServiceError } from "../protocol/errors.js";
import type { RequestObserver } from "../protocol/server.js";
import { verifySignature, type Credentials } from "../protocol/signature.js";
import { stsSignatureError } from "./errors.js";
import { STS_OPERATIONS, type RolePolicy } from "./operations.js";
import { Sessions } from "./sessions.js";
import { encodeResult, encodeStsError } from "./xml.js";

export interface StsOptions {
  /** Key pairs Rekognition accepts; STS accepts them too, and appends the credentials it issues. */
  credentials: Credentials[];
  /** Key pairs only STS accepts (a caller allowed nothing but assuming roles). */
  callerCredentials?: readonly Credentials[];
  /** Roles that may be assumed (all, when omitted), and the ExternalId each demands. */
  roles?: Readonly<Record<string, RolePolicy>>;
  accountId: string;
  verifySignatures: boolean;
  observer?: RequestObserver;
}

const VERSION = "2011-06-15";

/**
 * Whether a request is for STS: the AWS query protocol sends a form-encoded POST
 * without X-Amz-Target. A request that names a target is a JSON-protocol request,
 * whatever its body, and gets Rekognition's answer (JSON errors included).
 */
export function isStsRequest(req: IncomingMessage): boolean {
  return (
    req.headers["x-amz-target"] === undefined &&
    (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")
  );
}

/** The STS endpoint: query protocol in, XML out, SigV4 with service `sts`. */
export function createStsHandler(opts: StsOptions) {
  const sessions = new Sessions(opts.credentials, opts.accountId);
  const callers = opts.callerCredentials ?? [];
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    let operation = "(unknown)";
    let status = 200;
    let errorType: string | undefined;
    const send = (code: number, body: string) => {
      status = code;
      res.writeHead(code, {
        "content-type": "text/xml",
        "content-length": String(Buffer.byteLength(body)),
        "x-amzn-RequestId": requestId,
        date: new Date().toUTCString(),
      });
      res.end(body);
    };
    try {
      const read = await readBody(req, DEFAULT_MAX_BODY_BYTES);
      if (read.tooLarge) throw new ServiceError("RequestEntityTooLarge", "Request body is too large", 413);
      const params = new URLSearchParams(read.body.toString("utf8"));
      const action = params.get("Action") ?? "";
      if (Object.hasOwn(STS_OPERATIONS, action)) operation = action;
      let accessKeyId = callers[0]?.accessKeyId ?? opts.credentials[0]?.accessKeyId ?? "";
      if (opts.verifySignatures) {
        try {
          const verified = await verifySignature(
            {
              method: req.method ?? "POST",
              path: req.url ?? "/",
              headers: req.headers,
              rawHeaders: req.rawHeaders,
              body: read.body,
            },
            [...callers, ...opts.credentials],
            "sts",
          );
          accessKeyId = verified.accessKeyId;
        } catch (err) {
          throw err instanceof ServiceError ? stsSignatureError(err) : err;
        }
      }
      if (operation === "(unknown)") {
        throw new ServiceError(
          "InvalidAction",
          `Could not find operation ${action || "(none)"} for version ${VERSION}`,
        );
      }
      const result = STS_OPERATIONS[operation]!(
        { sessions, roles: opts.roles, caller: sessions.identity(accessKeyId) },
        params,
      );
      send(200, encodeResult(operation, result, requestId));
    } catch (err) {
      const serviceError = err instanceof ServiceError ? err : internalError();
      if (!(err instanceof ServiceError)) console.error(`rekognition-local: sts ${requestId}:`, err);
      errorType = serviceError.code;
      if (res.headersSent) res.destroy();
      else send(serviceError.status, encodeStsError(serviceError, requestId));
    }
    opts.observer?.finished({
      requestId,
      operation,
      status,
      ...(errorType ? { errorType } : {}),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  };
  return Object.assign(handler, { sessions });
}
