import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { encodeError, ServiceError } from "./errors.js";

/** Largest header section accepted; beyond it the answer is 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Node's parser error codes, in the words a client can act on. */
const PARSE_ERRORS: Record<string, string> = {
  HPE_UNEXPECTED_CONTENT_LENGTH:
    "Content-Length and Transfer-Encoding: chunked were both sent; send only one of them",
  HPE_INVALID_CONTENT_LENGTH:
    "Content-Length is not a single non-negative integer (or was sent twice with different values)",
  HPE_INVALID_CHUNK_SIZE: "a chunk size of the chunked body is not a hexadecimal number",
  HPE_INVALID_HEADER_TOKEN:
    "a header name or value contains a character HTTP does not allow (such as NUL or a control character)",
  HPE_INVALID_TRANSFER_ENCODING: "Transfer-Encoding must end with chunked",
  HPE_INVALID_METHOD: "the request method is not a valid HTTP method",
  HPE_INVALID_URL: "the request target is not a valid URL",
  HPE_INVALID_VERSION: "the HTTP version is not valid",
  HPE_LF_EXPECTED: "a line does not end with CRLF",
  HPE_CR_EXPECTED: "a line does not end with CRLF",
};

/** The service-shaped error for a request Node's HTTP parser refused. */
export function parseErrorFor(code: string | undefined): ServiceError {
  if (code === "HPE_HEADER_OVERFLOW") {
    return new ServiceError(
      "RequestHeaderFieldsTooLargeException",
      `The request's headers are larger than ${MAX_HEADER_BYTES} bytes; send smaller headers`,
      431,
    );
  }
  const reason = (code !== undefined && PARSE_ERRORS[code]) || "the request is not valid HTTP/1.1";
  return new ServiceError(
    "BadRequestException",
    `Malformed HTTP request (${code ?? "unknown"}): ${reason}`,
    400,
  );
}

/**
 * Answers a request the HTTP parser refused, in the service's JSON error shape
 * (Node would otherwise send a bare 400 or 431), then closes the connection: after
 * a framing error nothing more on it can be trusted.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // Only answer if nothing has been written yet: otherwise a response is under way and the bytes would interleave.
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (err.code === "ECONNRESET" || !socket.writable || written > 0) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const error = parseErrorFor(err.code);
  const encoded = encodeError(error, requestId);
  const reason = error.status === 431 ? "Request Header Fields Too Large" : "Bad Request";
  const head = [
    `HTTP/1.1 ${encoded.status} ${reason}`,
    "content-type: application/x-amz-json-1.1",
    `content-length: ${Buffer.byteLength(encoded.body)}`,
    `x-amzn-RequestId: ${requestId}`,
    ...Object.entries(encoded.headers).map(([k, v]) => `${k}: ${v}`),
    `date: ${new Date().toUTCString()}`,
    "connection: close",
  ];
  socket.end(head.join("\r\n") + "\r\n\r\n" + encoded.body);
}

/** An HTTP server with strict parsing, bounded headers and service-shaped answers to malformed requests. */
export function createHttpServer(listener: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer(
    // Node's own Host check answers a bare 400; the protocol handler refuses a missing Host in the service's shape.
    { maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false, insecureHTTPParser: false },
    listener,
  );
  server.on("clientError", answerClientError);
  return server;
}
