/**
 * The canonical request of Signature Version 4, rebuilt from what was received
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 * Pure functions: no clock, no secrets.
 */

/** Header values by lower-case name, every occurrence kept in order. A Map, so no name reaches Object.prototype. */
export type HeaderValues = ReadonlyMap<string, readonly string[]>;

/** Groups Node's `rawHeaders` ([name, value, name, value, …]) by lower-case name. */
export function headerValues(rawHeaders: readonly string[]): HeaderValues {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const list = values.get(name);
    if (list) list.push(rawHeaders[i + 1]!);
    else values.set(name, [rawHeaders[i + 1]!]);
  }
  return values;
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper-case hex). */
export function uriEncode(text: string, keepSlash = false): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Percent-decoding that leaves a malformed escape as it is, instead of throwing. */
function uriDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URI: the path with dot segments and empty segments removed, each
 * segment encoded once more (services other than S3 encode the already-encoded path
 * again, which is what every SDK signs).
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = path.length > 1 && path.endsWith("/") && segments.length > 0 ? "/" : "";
  return uriEncode("/" + segments.join("/") + trailing, true);
}

/**
 * The canonical query string: each name and value decoded, then encoded the SigV4
 * way, sorted by name then value. `omit` leaves out a parameter (X-Amz-Signature).
 */
export function canonicalQuery(query: string, omit?: string): string {
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = uriDecode(eq < 0 ? part : part.slice(0, eq));
    if (name === omit) continue;
    pairs.push([uriEncode(name), uriEncode(eq < 0 ? "" : uriDecode(part.slice(eq + 1)))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** Query parameters by decoded name, every occurrence kept (a Map, as for headers). */
export function queryValues(query: string): ReadonlyMap<string, readonly string[]> {
  const values = new Map<string, string[]>();
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = uriDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : uriDecode(part.slice(eq + 1));
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return values;
}

/** Trimall: surrounding white space removed, runs of white space made one space. */
export function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, " ");
}

export interface CanonicalRequestParts {
  method: string;
  path: string;
  query: string;
  /** Lower-case names, in the order the client listed them. */
  signedHeaders: readonly string[];
  headers: HeaderValues;
  payloadHash: string;
  /** A query parameter the canonical query leaves out (X-Amz-Signature of a presigned request). */
  omitFromQuery?: string;
  /** S3 signs the path as sent: encoded once, not normalised (every other service encodes it again). */
  pathAsSent?: boolean;
}

/**
 * The canonical request. Every name in `signedHeaders` must be present in `headers`
 * (the verifier checks that first); several values of one header are joined with commas.
 */
export function canonicalRequest(p: CanonicalRequestParts): string {
  const headerLines = p.signedHeaders.map(
    (name) => `${name}:${(p.headers.get(name) ?? []).map(canonicalHeaderValue).join(",")}\n`,
  );
  return [
    p.method,
    p.pathAsSent ? p.path || "/" : canonicalUri(p.path),
    canonicalQuery(p.query, p.omitFromQuery),
    headerLines.join(""),
    p.signedHeaders.join(";"),
    p.payloadHash,
  ].join("\n");
}
