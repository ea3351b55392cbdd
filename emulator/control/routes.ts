import type { IncomingMessage, ServerResponse } from "node:http";
import { parseFaultConfig } from "./faults.js";
import type { ControlPlane } from "./plane.js";
import { parseQuotaConfig } from "./quota.js";
import type { RequestLogPage } from "./types.js";

export const CONTROL_PREFIX = "/_emulator/";

const MAX_CONTROL_BODY = 1024 * 1024;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONTROL_BODY) throw new Error("body too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text.trim() === "" ? {} : (JSON.parse(text) as unknown);
}

/** `limit` of GET requests: a whole number from 1 to the log's capacity (default 100); anything else is refused. */
export function requestLimit(values: readonly string[], capacity: number): number {
  if (values.length === 0) return Math.min(100, capacity);
  const text = values.length === 1 ? values[0]! : values.join(",");
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > capacity) {
    throw new Error(
      `limit must be a whole number from 1 to ${capacity}, got '${text}': the log keeps only the last ` +
        `${capacity} requests ("evicted" in the answer counts the older ones), so ask for ${capacity} or fewer`,
    );
  }
  return Number(text);
}

/**
 * The operator API (no signature needed):
 * GET health · GET counters · POST counters/reset · GET|PUT|DELETE faults ·
 * GET|PUT|DELETE quota · GET|PUT|DELETE face-reasons · GET requests?limit=N
 */
export async function handleControlRequest(
  plane: ControlPlane,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = `${req.method} ${url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, "")}`;
  try {
    switch (route) {
      case "GET health":
        return reply(res, 200, { ok: true });
      case "GET counters":
        return reply(res, 200, plane.getCounters());
      case "POST counters/reset":
        plane.resetCounters();
        return reply(res, 200, plane.getCounters());
      case "GET faults":
        return reply(res, 200, plane.faults.get());
      case "PUT faults":
        plane.faults.set(parseFaultConfig(await readJson(req)));
        return reply(res, 200, plane.faults.get());
      case "DELETE faults":
        plane.faults.set({ rules: [] });
        return reply(res, 200, plane.faults.get());
      case "GET quota":
        return reply(res, 200, plane.quota.get() ?? {});
      case "PUT quota":
        plane.quota.set(parseQuotaConfig(await readJson(req)));
        return reply(res, 200, plane.quota.get() ?? {});
      case "DELETE quota":
        plane.quota.set(undefined);
        return reply(res, 200, {});
      case "GET face-reasons":
        return reply(res, 200, plane.faceReasons);
      case "PUT face-reasons": {
        const body = await readJson(req);
        if (
          !body ||
          typeof body !== "object" ||
          Array.isArray(body) ||
          !Object.values(body).every((v) => typeof v === "string")
        ) {
          throw new Error('body must map face ids to reason strings, e.g. {"<faceId>": "SOME_REASON"}');
        }
        plane.faceReasons = { ...(body as Record<string, string>) };
        return reply(res, 200, plane.faceReasons);
      }
      case "DELETE face-reasons":
        plane.faceReasons = {};
        return reply(res, 200, {});
      case "GET requests": {
        const limit = requestLimit(url.searchParams.getAll("limit"), plane.log.capacity);
        const page: RequestLogPage = {
          requests: plane.log.recent(limit),
          ...plane.log.totals(),
          capacity: plane.log.capacity,
        };
        return reply(res, 200, page);
      }
      default:
        return reply(res, 404, { error: `no control route ${route}` });
    }
  } catch (err) {
    reply(res, 400, { error: err instanceof Error ? err.message : String(err) });
  }
}
