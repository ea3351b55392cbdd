// A per-operation quota in front of rekognition-local, for quota profiles
// that give operations different rates (e.g. IndexFaces 50/s, the rest 5/s)
// when the emulator's own quota takes one rate for every operation. Each
// operation has a token bucket of its TPS (burst the same), as rekognition-local's
// quota does; a request over it is answered as the service answers it
// (400 ProvisionedThroughputExceededException) and never reaches the emulator.
// Everything else is passed through untouched (the SigV4 signature covers the
// Host header, which is forwarded as sent).
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface QuotaProxy {
  readonly endpoint: string;
  /** Calls per second by operation, "default" for the rest; undefined lets everything through. */
  setQuota(tps: Record<string, number> | undefined): void;
  close(): Promise<void>;
}

export async function startQuotaProxy(
  upstream: string,
  onThrottle: (operation: string) => void = () => {},
): Promise<QuotaProxy> {
  const target = new URL(upstream);
  let quota: Record<string, number> | undefined;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const take = (operation: string): boolean => {
    const tps = quota?.[operation] ?? quota?.["default"];
    if (tps === undefined) return true;
    const now = performance.now();
    const capacity = Math.max(1, tps);
    const bucket = buckets.get(operation) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * tps);
    bucket.at = now;
    buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    if (operation && !take(operation)) {
      onThrottle(operation);
      req.resume();
      const body = JSON.stringify({
        __type: "ProvisionedThroughputExceededException",
        message: "Provisioned rate exceeded",
      });
      res.writeHead(400, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-ErrorType": "ProvisionedThroughputExceededException",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const forward = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setQuota(tps) {
      quota = tps;
      buckets.clear();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
