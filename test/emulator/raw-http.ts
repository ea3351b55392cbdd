import { connect } from "node:net";

export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  json: Record<string, unknown>;
}

/**
 * Sends bytes exactly as given over a fresh connection and reads one response.
 * Lets a test control every byte of a request: repeated headers, spacing, framing.
 */
export function sendRaw(endpoint: string, request: string | Buffer): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => {
      chunks.push(c);
      const parsed = parseResponse(Buffer.concat(chunks));
      if (parsed) {
        socket.destroy();
        resolve(parsed);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const parsed = parseResponse(Buffer.concat(chunks));
      if (parsed) resolve(parsed);
      else
        reject(
          new Error(
            `connection closed without a complete response: ${JSON.stringify(Buffer.concat(chunks).toString())}`,
          ),
        );
    });
    socket.end(request);
  });
}

function parseResponse(data: Buffer): RawResponse | undefined {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers["content-length"] ?? 0);
  const body = data.subarray(end + 4);
  if (body.length < length) return undefined;
  const text = body.subarray(0, length).toString("utf8");
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: the test asserts on `text`
  }
  return { status: Number(statusLine!.split(" ")[1]), headers, text, json };
}

/** Builds an HTTP/1.1 request from header lines given in order (a name may repeat). */
export function rawRequest(opts: {
  method?: string;
  target?: string;
  headers: [string, string][];
  body?: string | Buffer;
}): Buffer {
  const body = typeof opts.body === "string" ? Buffer.from(opts.body) : (opts.body ?? Buffer.alloc(0));
  const framed = opts.headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k));
  const headers = framed ? opts.headers : [...opts.headers, ["content-length", String(body.length)]];
  const head = [
    `${opts.method ?? "POST"} ${opts.target ?? "/"} HTTP/1.1`,
    ...headers.map(([k, v]) => `${k}: ${v}`),
    "\r\n",
  ].join("\r\n");
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}
