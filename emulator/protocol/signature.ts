import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { canonicalRequest, headerValues, queryValues, type HeaderValues } from "./canonical.js";
import { ServiceError } from "./errors.js";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary credentials (STS AssumeRole): a request must carry this token. */
  sessionToken?: string;
  /** Temporary credentials: refused from this instant on. */
  expiration?: Date;
}

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Node's `rawHeaders`: every header line as received. Preferred over `headers`, which merges and drops repeats. */
  rawHeaders?: readonly string[];
  body: Buffer;
}

export interface VerifiedRequest {
  region: string;
  accessKeyId: string;
  sessionToken?: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_SKEW_MS = 15 * 60 * 1000;
// The longest validity a presigned request may claim (7 days, as AWS allows).
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

const forbidden = (code: string, message: string) => new ServiceError(code, message, 403);

const incomplete = (message: string) => forbidden("IncompleteSignatureException", message);
const invalid = (message: string) => forbidden("InvalidSignatureException", message);

/**
 * A refusal of the access key or the session token. AWS JSON 1.1 services
 * (Rekognition, DynamoDB, Cognito, ECS) answer these with HTTP 400, unlike the
 * other signature refusals; STS and S3 word them in their own codes.
 */
export class SecurityTokenError extends ServiceError {
  constructor(
    code: "UnrecognizedClientException" | "ExpiredTokenException",
    /** Whether the session token (not the access key) is what was refused. */
    readonly tokenRefused: boolean,
  ) {
    super(
      code,
      code === "ExpiredTokenException"
        ? "The security token included in the request is expired"
        : "The security token included in the request is invalid.",
      400,
    );
  }
}

/** What the client claims: algorithm parameters from the Authorization header or the query string. */
interface Claim {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date (or Date) as sent. */
  dateText: string | undefined;
  /** Presigned requests: seconds of validity; the X-Amz-Signature parameter is left out of the canonical query. */
  expires?: number;
  presigned: boolean;
}

function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s] = m;
    return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
  }
  // SigV4 also accepts the HTTP Date header (RFC 7231) when X-Amz-Date is absent.
  const parsed = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)
    ? new Date(text)
    : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}

function single(values: HeaderValues | ReadonlyMap<string, readonly string[]>, name: string, what: string) {
  const list = values.get(name);
  if (list === undefined) return undefined;
  if (list.length > 1)
    throw incomplete(`Only one ${what} '${name}' may be sent; this request has ${list.length}.`);
  return list[0];
}

function parseCredential(credential: string) {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts.some((p) => p === "")) {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { accessKeyId, scopeDate, region, service, terminator };
}

function parseSignedHeaders(list: string): string[] {
  const names = list.split(";");
  for (const name of names) {
    // Header names are RFC 7230 tokens, sent lower-case in SignedHeaders.
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name)) {
      throw incomplete(
        `SignedHeaders must be lower-case header names separated by ';', got '${list}' (the name '${name}' is not one).`,
      );
    }
  }
  if (new Set(names).size !== names.length)
    throw incomplete(`SignedHeaders lists a header twice: '${list}'.`);
  return names;
}

/** Reads `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (parameters in any order). */
function claimFromHeader(authorization: string, headers: HeaderValues): Claim {
  const text = authorization.trim();
  const space = text.search(/\s/);
  const algorithm = space < 0 ? text : text.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'; sign requests with ${ALGORITHM}.`);
  }
  const params = new Map<string, string>();
  for (const part of (space < 0 ? "" : text.slice(space)).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const dateText = single(headers, "x-amz-date", "header") ?? single(headers, "date", "header");
  const missing = [
    params.has("Credential") ? "" : "Authorization header requires 'Credential' parameter.",
    params.has("Signature") ? "" : "Authorization header requires 'Signature' parameter.",
    params.has("SignedHeaders") ? "" : "Authorization header requires 'SignedHeaders' parameter.",
    dateText !== undefined
      ? ""
      : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
  ].filter(Boolean);
  if (missing.length > 0) throw incomplete(`${missing.join(" ")} Authorization=${authorization}`);
  return {
    ...parseCredential(params.get("Credential")!),
    signedHeaders: parseSignedHeaders(params.get("SignedHeaders")!),
    signature: params.get("Signature")!,
    dateText,
    presigned: false,
  };
}

/** Reads the X-Amz-* parameters of a presigned (query-string signed) request. */
function claimFromQuery(query: ReadonlyMap<string, readonly string[]>): Claim {
  const get = (name: string) => single(query, name, "query parameter");
  const algorithm = get("X-Amz-Algorithm");
  if (algorithm !== ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'; sign requests with ${ALGORITHM}.`);
  }
  const required = ["X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Date"];
  const missing = required.filter((name) => get(name) === undefined);
  if (missing.length > 0) {
    throw incomplete(`AWS query-string parameters must include ${missing.map((n) => `'${n}'`).join(", ")}.`);
  }
  const expiresText = get("X-Amz-Expires");
  let expires: number | undefined;
  if (expiresText !== undefined) {
    expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : NaN;
    if (!(expires >= 1 && expires <= MAX_EXPIRES_SECONDS)) {
      throw incomplete(
        `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}, got '${expiresText}'.`,
      );
    }
  }
  return {
    ...parseCredential(get("X-Amz-Credential")!),
    signedHeaders: parseSignedHeaders(get("X-Amz-SignedHeaders")!),
    signature: get("X-Amz-Signature")!,
    dateText: get("X-Amz-Date"),
    presigned: true,
    ...(expires !== undefined ? { expires } : {}),
  };
}

function checkDate(claim: Claim, now: Date): Date {
  const signingDate = claim.dateText === undefined ? undefined : parseAmzDate(claim.dateText);
  if (!signingDate) {
    throw incomplete(
      `Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z'), got '${claim.dateText ?? ""}'.`,
    );
  }
  const day = amzDate(signingDate).slice(0, 8);
  if (day !== claim.scopeDate) {
    throw invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${day}', from '${claim.dateText}'.`,
    );
  }
  const nowText = amzDate(now);
  if (claim.expires !== undefined && now.getTime() > signingDate.getTime() + claim.expires * 1000) {
    const expiredAt = amzDate(new Date(signingDate.getTime() + claim.expires * 1000));
    throw invalid(
      `Signature expired: ${expiredAt} is now earlier than ${nowText} (presigned for ${claim.expires} s).`,
    );
  }
  // A presigned request with X-Amz-Expires may be used until it expires; any other must be fresh.
  const tooOld = claim.expires === undefined && now.getTime() - signingDate.getTime() > MAX_SKEW_MS;
  if (tooOld) {
    const bound = amzDate(new Date(now.getTime() - MAX_SKEW_MS));
    throw invalid(`Signature expired: ${claim.dateText} is now earlier than ${bound} (${nowText} - 15 min.)`);
  }
  if (signingDate.getTime() - now.getTime() > MAX_SKEW_MS) {
    const bound = amzDate(new Date(now.getTime() + MAX_SKEW_MS));
    throw invalid(
      `Signature not yet current: ${claim.dateText} is still later than ${bound} (${nowText} + 15 min.)`,
    );
  }
  return signingDate;
}

function checkScope(claim: Claim, service: string): void {
  if (claim.terminator !== "aws4_request") {
    throw invalid(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${claim.terminator}'.`,
    );
  }
  if (claim.service !== service) {
    throw invalid(`Credential should be scoped to correct service: '${service}'.`);
  }
  if (!/^[a-z0-9-]{1,64}$/.test(claim.region)) {
    throw invalid(`Credential should be scoped to a valid region, not '${claim.region}'.`);
  }
}

function checkSignedHeaders(claim: Claim, headers: HeaderValues): void {
  if (!claim.signedHeaders.includes("host")) {
    throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  for (const name of claim.signedHeaders) {
    if (!headers.has(name)) {
      throw invalid(
        `SignedHeaders lists '${name}', but the request has no such header: sign only the headers you send.`,
      );
    }
  }
}

/** The payload hash the client signed: the x-amz-content-sha256 it sent (which must describe the body), else the body's. */
function payloadHash(headers: HeaderValues, body: Buffer): string {
  const bodyHash = createHash("sha256").update(body).digest("hex");
  const declared = single(headers, "x-amz-content-sha256", "header");
  if (declared === undefined || declared === bodyHash || declared === UNSIGNED_PAYLOAD)
    return declared ?? bodyHash;
  throw invalid(
    /^[0-9a-fA-F]{64}$/.test(declared)
      ? "The provided 'x-amz-content-sha256' header does not match what was computed."
      : `x-amz-content-sha256 must be the hex SHA-256 of the body or ${UNSIGNED_PAYLOAD}, got '${declared}'.`,
  );
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Every X-Amz-Security-Token sent, in a header or the query string, signed or
 * not, must be the live session's that was issued with this access key; a
 * long-term key takes none. Returns the token.
 */
function checkSessionToken(sent: readonly string[], known: Credentials, now: Date): string | undefined {
  if (known.sessionToken === undefined) {
    if (sent.length > 0) throw new SecurityTokenError("UnrecognizedClientException", true);
    return undefined;
  }
  const issued = digest(known.sessionToken);
  if (sent.length === 0 || !sent.every((token) => timingSafeEqual(digest(token), issued)))
    throw new SecurityTokenError("UnrecognizedClientException", true);
  if (known.expiration !== undefined && now.getTime() >= known.expiration.getTime())
    throw new SecurityTokenError("ExpiredTokenException", true);
  return known.sessionToken;
}

const signingKeys = new Map<string, Buffer>();

/** kSigning = HMAC chain over date, region, service and "aws4_request"; cached, as a key serves a whole day. */
function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\0${date}\0${region}\0${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const hmac = (k: string | Buffer, data: string) => createHmac("sha256", k).update(data, "utf8").digest();
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
    if (signingKeys.size >= 256) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * Verifies a Signature Version 4 request the way the service does: the canonical
 * request is rebuilt from exactly what was received (method, path, query, the
 * headers listed in SignedHeaders, the payload hash), never re-signed the way one
 * particular SDK would sign it. Header and query-string (presigned) signatures both
 * work. Returns the region named in the credential scope.
 */
export async function verifySignature(
  req: SignedRequest,
  credentials: readonly Credentials[],
  service: string,
  now = new Date(),
): Promise<VerifiedRequest> {
  const headers = headerValues(req.rawHeaders ?? rawFromHeaders(req.headers));
  const q = req.path.indexOf("?");
  const path = q < 0 ? req.path : req.path.slice(0, q);
  const query = q < 0 ? "" : req.path.slice(q + 1);
  const queryParams = queryValues(query);

  const authorization = headers.get("authorization");
  const presigned = queryParams.has("X-Amz-Algorithm") || queryParams.has("X-Amz-Signature");
  if (authorization === undefined && !presigned) {
    throw forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  if (authorization !== undefined && presigned) {
    throw incomplete(
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.",
    );
  }
  if (authorization !== undefined && authorization.length > 1) {
    throw incomplete("Only one Authorization header may be sent.");
  }
  const claim = authorization ? claimFromHeader(authorization[0]!, headers) : claimFromQuery(queryParams);

  const known = credentials.find((c) => c.accessKeyId === claim.accessKeyId);
  if (!known) throw new SecurityTokenError("UnrecognizedClientException", false);
  const sessionToken = checkSessionToken(
    [...(headers.get("x-amz-security-token") ?? []), ...(queryParams.get("X-Amz-Security-Token") ?? [])],
    known,
    now,
  );
  checkScope(claim, service);
  checkSignedHeaders(claim, headers);
  const signingDate = checkDate(claim, now);
  if (!/^[0-9a-f]{64}$/.test(claim.signature)) throw invalid(MISMATCH);

  const canonical = canonicalRequest({
    method: req.method,
    path,
    query,
    signedHeaders: claim.signedHeaders,
    headers,
    payloadHash: payloadHash(headers, req.body),
    ...(claim.presigned ? { omitFromQuery: "X-Amz-Signature" } : {}),
    ...(service === "s3" ? { pathAsSent: true } : {}),
  });
  const scope = `${claim.scopeDate}/${claim.region}/${claim.service}/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    amzDate(signingDate),
    scope,
    createHash("sha256").update(canonical, "utf8").digest("hex"),
  ].join("\n");
  const expected = createHmac(
    "sha256",
    signingKey(known.secretAccessKey, claim.scopeDate, claim.region, service),
  )
    .update(stringToSign, "utf8")
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(claim.signature, "hex"))) throw invalid(MISMATCH);
  return {
    region: claim.region,
    accessKeyId: claim.accessKeyId,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}

/** For callers without rawHeaders: Node's parsed headers, arrays kept as repeated lines. */
function rawFromHeaders(headers: IncomingHttpHeaders): string[] {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) raw.push(name, v);
  }
  return raw;
}
