import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { ServiceError } from "./errors.js";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const forbidden = (code: string, message: string) => new ServiceError(code, message, 403);

function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * Verifies a SigV4-signed request by signing it again with the configured secret,
 * the same signing date and the same signed headers, and comparing signatures.
 * Returns the region named in the credential scope.
 */
export async function verifySignature(
  req: SignedRequest,
  credentials: readonly Credentials[],
  service: string,
  now = new Date(),
): Promise<{ region: string; accessKeyId: string }> {
  const authorization = header(req.headers, "authorization");
  if (!authorization) throw forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
  const m = AUTH_PATTERN.exec(authorization.trim());
  if (!m) {
    throw forbidden(
      "IncompleteSignatureException",
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    );
  }
  const [, accessKeyId, scopeDate, region, scopeService, signedHeaderList, signature] =
    m as unknown as string[];
  const known = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!known)
    throw forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
  if (scopeService !== service) {
    throw forbidden(
      "InvalidSignatureException",
      `Credential should be scoped to correct service: '${service}'.`,
    );
  }
  const dateText = header(req.headers, "x-amz-date");
  const signingDate = dateText ? parseAmzDate(dateText) : undefined;
  if (!signingDate || amzDate(signingDate).slice(0, 8) !== scopeDate) {
    throw forbidden(
      "IncompleteSignatureException",
      "Date must be in ISO-8601 'basic format' and match the credential scope.",
    );
  }
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    const bound =
      signingDate < now ? new Date(now.getTime() - MAX_SKEW_MS) : new Date(now.getTime() + MAX_SKEW_MS);
    const relation =
      signingDate < now
        ? `is now earlier than ${amzDate(bound)} (${amzDate(now)} - 15 min.)`
        : `is now later than ${amzDate(bound)} (${amzDate(now)} + 15 min.)`;
    throw forbidden("InvalidSignatureException", `Signature expired: ${dateText} ${relation}`);
  }

  // A signed payload hash header stands in for the body when re-signing, so it must match the body.
  const declaredHash = header(req.headers, "x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash !== "UNSIGNED-PAYLOAD") {
    if (declaredHash !== createHash("sha256").update(req.body).digest("hex")) {
      throw forbidden(
        "InvalidSignatureException",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
  }

  const signedHeaders: Record<string, string> = {};
  for (const name of signedHeaderList!.split(";")) {
    const value = header(req.headers, name);
    if (value !== undefined) signedHeaders[name] = value;
  }
  const sessionToken = header(req.headers, "x-amz-security-token");
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: accessKeyId!,
      secretAccessKey: known.secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
    },
    region: region!,
    service,
    sha256: Sha256,
    uriEscapePath: true,
  });
  const [path, query] = req.path.split("?", 2);
  const resigned = await signer.sign(
    new HttpRequest({
      method: req.method,
      protocol: "http:",
      hostname: (signedHeaders.host ?? "localhost").split(":")[0]!,
      path: path ?? "/",
      query: Object.fromEntries(new URLSearchParams(query ?? "")),
      headers: signedHeaders,
      body: req.body,
    }),
    { signingDate, signingRegion: region!, signingService: service },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization ?? ""))?.[1];
  if (expected !== signature) {
    throw forbidden(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return { region: region!, accessKeyId: accessKeyId! };
}
