import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, relative, resolve, sep } from "node:path";
import { DEFAULT_MAX_BODY_BYTES, readBody } from "./protocol/body.js";
import { queryValues } from "./protocol/canonical.js";
import { internalError, ServiceError } from "./protocol/errors.js";
import type { RequestObserver } from "./protocol/server.js";
import { SecurityTokenError, verifySignature, type Credentials } from "./protocol/signature.js";
import { escapeXml } from "./sts/xml.js";

// S3 ListObjectsV2 over the bucket folders (`--s3-bucket NAME=DIR`), path-style
// only: GET /<bucket>?list-type=2[&prefix=…][&start-after=…][&continuation-token=…]
// [&max-keys=…][&encoding-type=url]. Every other S3 request is answered
// NotImplemented; IndexFaces reads objects straight from the folders.

export interface S3ListOptions {
  /** `{ bucket: directory }`, as EmulatorOptions.s3Buckets. */
  buckets: Readonly<Record<string, string>>;
  /** The key pairs Rekognition accepts (the same array: STS appends the credentials it issues). */
  credentials: readonly Credentials[];
  verifySignatures: boolean;
  observer?: RequestObserver;
}

const NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
const MAX_KEYS = 1000;

/** Whether a request is for S3: a GET or HEAD naming a bucket (`/` alone stays Rekognition's). */
export function isS3Request(req: IncomingMessage): boolean {
  const method = req.method ?? "";
  const path = (req.url ?? "/").split("?")[0]!;
  return (method === "GET" || method === "HEAD") && path !== "/" && path !== "";
}

/** S3's names for the signature failures the shared verifier reports in Rekognition's words. */
const SIGNATURE_CODES: Record<string, string> = {
  MissingAuthenticationTokenException: "AccessDenied",
  IncompleteSignatureException: "AuthorizationHeaderMalformed",
  UnrecognizedClientException: "InvalidAccessKeyId",
  InvalidSignatureException: "SignatureDoesNotMatch",
};

function s3SignatureError(err: ServiceError): ServiceError {
  // S3 tells a refused session token from an unknown key.
  if (err instanceof SecurityTokenError && err.tokenRefused) {
    return err.code === "ExpiredTokenException"
      ? new ServiceError("ExpiredToken", "The provided token has expired.", 400)
      : new ServiceError("InvalidToken", "The provided token is malformed or otherwise invalid.", 400);
  }
  const code = SIGNATURE_CODES[err.code];
  if (!code) return err;
  const message =
    code === "InvalidAccessKeyId"
      ? "The AWS Access Key Id you provided does not exist in our records."
      : code === "AccessDenied"
        ? "Access Denied"
        : err.message;
  return new ServiceError(code, message, code === "AuthorizationHeaderMalformed" ? 400 : 403);
}

const invalidArgument = (message: string) => new ServiceError("InvalidArgument", message, 400);
const notImplemented = (message: string) => new ServiceError("NotImplemented", message, 501);

interface ListedFile {
  readonly key: string;
  readonly path: string;
}

/** Every regular file under `root`, as object keys (`/`-separated), in S3's order: UTF-8 bytes. */
function bucketKeys(root: string): ListedFile[] {
  const files: ListedFile[] = [];
  const walk = (dir: string): void => {
    // Symbolic links are neither listed nor followed: a key never reaches outside the bucket's folder.
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push({ key: relative(root, path).split(sep).join("/"), path });
    }
  };
  walk(root);
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

const utf8After = (key: string, after: string) => Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0;

function single(query: ReadonlyMap<string, readonly string[]>, name: string): string | undefined {
  const values = query.get(name);
  if (values && values.length > 1) throw invalidArgument(`${name} may be given once`);
  return values?.[0];
}

function maxKeys(text: string | undefined): number {
  if (text === undefined) return MAX_KEYS;
  if (!/^\d{1,9}$/.test(text))
    throw invalidArgument(`Provided max-keys not an integer or within integer range`);
  return Math.min(Number(text), MAX_KEYS);
}

/** The key a continuation token resumes after: tokens are opaque, here the last key listed. */
function tokenKey(token: string): string {
  const key = Buffer.from(token, "base64url").toString("utf8");
  if (token === "" || Buffer.from(key).toString("base64url") !== token)
    throw invalidArgument("The continuation token provided is incorrect");
  return key;
}

/** The ListObjectsV2 answer for one page. */
function listPage(bucket: string, root: string, query: ReadonlyMap<string, readonly string[]>): string {
  if (single(query, "delimiter") !== undefined)
    throw notImplemented("rekognition-local lists without delimiter only: leave delimiter out");
  const encodingType = single(query, "encoding-type");
  if (encodingType !== undefined && encodingType !== "url")
    throw invalidArgument(`Invalid Encoding Method specified in Request: ${encodingType}`);
  const prefix = single(query, "prefix") ?? "";
  const startAfter = single(query, "start-after");
  const continuationToken = single(query, "continuation-token");
  const limit = maxKeys(single(query, "max-keys"));
  const after = continuationToken !== undefined ? tokenKey(continuationToken) : startAfter;

  const matching = bucketKeys(root).filter(
    (file) => file.key.startsWith(prefix) && (after === undefined || utf8After(file.key, after)),
  );
  const page = matching.slice(0, limit);
  const truncated = matching.length > page.length && page.length > 0;
  const text = (value: string) => escapeXml(encodingType === "url" ? urlEncode(value) : value);
  const contents = page.map((file) => {
    const body = readFileSync(file.path);
    const modified = statSync(file.path).mtime.toISOString();
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    return (
      `<Contents><Key>${text(file.key)}</Key><LastModified>${modified}</LastModified>` +
      `<ETag>${escapeXml(etag)}</ETag><Size>${body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
    );
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NAMESPACE}">` +
    `<Name>${escapeXml(bucket)}</Name><Prefix>${text(prefix)}</Prefix>` +
    (startAfter !== undefined ? `<StartAfter>${text(startAfter)}</StartAfter>` : "") +
    `<KeyCount>${page.length}</KeyCount><MaxKeys>${limit}</MaxKeys>` +
    (encodingType ? `<EncodingType>${encodingType}</EncodingType>` : "") +
    `<IsTruncated>${truncated}</IsTruncated>` +
    (continuationToken !== undefined
      ? `<ContinuationToken>${escapeXml(continuationToken)}</ContinuationToken>`
      : "") +
    (truncated
      ? `<NextContinuationToken>${Buffer.from(page.at(-1)!.key).toString("base64url")}</NextContinuationToken>`
      : "") +
    contents.join("") +
    `</ListBucketResult>`
  );
}

/** `encoding-type=url`: each character but unreserved ones and `/` percent-encoded (UTF-8). */
function urlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, "/");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidArgument(`The bucket name in the path is not valid percent-encoding: ${segment}`);
  }
}

function encodeS3Error(err: ServiceError, requestId: string, bucket: string | undefined): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message>` +
    (bucket !== undefined && err.code === "NoSuchBucket"
      ? `<BucketName>${escapeXml(bucket)}</BucketName>`
      : "") +
    `<RequestId>${requestId}</RequestId></Error>`
  );
}

/** The S3 handler: signature (service `s3`), then ListObjectsV2 on a bucket folder. */
export function createS3ListHandler(opts: S3ListOptions) {
  const roots = new Map(Object.entries(opts.buckets).map(([bucket, dir]) => [bucket, resolve(dir)]));
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    let operation = "(unknown)";
    let status = 200;
    let errorType: string | undefined;
    let bucket: string | undefined;
    const send = (code: number, body: string) => {
      status = code;
      res.writeHead(code, {
        "content-type": "application/xml",
        "content-length": String(Buffer.byteLength(body)),
        "x-amz-request-id": requestId,
        "x-amz-id-2": requestId,
        date: new Date().toUTCString(),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      const read = await readBody(req, DEFAULT_MAX_BODY_BYTES);
      if (read.tooLarge) throw new ServiceError("EntityTooLarge", "Request body is too large", 400);
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      const query = queryValues(q < 0 ? "" : url.slice(q + 1));
      const segments = path.slice(1).split("/");
      bucket = decodeSegment(segments[0]!);
      const isList = req.method === "GET" && (segments.length === 1 || segments[1] === "");
      if (isList && single(query, "list-type") === "2") operation = "ListObjectsV2";
      if (opts.verifySignatures) {
        try {
          await verifySignature(
            {
              method: req.method ?? "GET",
              path: url,
              headers: req.headers,
              rawHeaders: req.rawHeaders,
              body: read.body,
            },
            opts.credentials,
            "s3",
          );
        } catch (err) {
          throw err instanceof ServiceError ? s3SignatureError(err) : err;
        }
      }
      if (operation !== "ListObjectsV2")
        throw notImplemented(
          `rekognition-local serves only ListObjectsV2 (GET /<bucket>?list-type=2, path-style) over its S3 folders; ` +
            `IndexFaces reads the objects from the folders directly`,
        );
      const root = roots.get(bucket);
      if (root === undefined || !statSync(root, { throwIfNoEntry: false })?.isDirectory())
        throw new ServiceError("NoSuchBucket", "The specified bucket does not exist", 404);
      send(200, listPage(bucket, root, query));
    } catch (err) {
      const serviceError = err instanceof ServiceError ? err : internalError();
      if (!(err instanceof ServiceError)) console.error(`rekognition-local: s3 ${requestId}:`, err);
      errorType = serviceError.code;
      if (res.headersSent) res.destroy();
      else send(serviceError.status, encodeS3Error(serviceError, requestId, bucket));
    }
    opts.observer?.finished({
      requestId,
      operation,
      status,
      ...(errorType ? { errorType } : {}),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  };
}
