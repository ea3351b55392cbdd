import { RekognitionClient, type RekognitionClientConfig } from "@aws-sdk/client-rekognition";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import {
  generatePortrait,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../emulator/index.js";

export function clientFor(
  emu: RunningEmulator,
  extra: Partial<RekognitionClientConfig> = {},
): RekognitionClient {
  return new RekognitionClient({
    endpoint: emu.endpoint,
    region: "us-east-1",
    credentials: emu.credentials,
    ...extra,
  });
}

export async function startWithClient(opts: EmulatorOptions = {}) {
  const emu = await startEmulator({ port: 0, ...opts });
  return { emu, client: clientFor(emu) };
}

export const photo = (person: string, n: number, faces: 0 | 1 | 2 = 1) =>
  generatePortrait(person, n, { faces });

/** The headers of a JSON 1.1 request to the emulator, signed with SigV4 unless `sign` is false. */
export async function requestHeaders(
  emu: RunningEmulator,
  target: string | undefined,
  body: string | Uint8Array,
  opts: { sign?: boolean; signingDate?: Date; secret?: string; region?: string } = {},
): Promise<Record<string, string>> {
  const url = new URL(emu.endpoint);
  const headers: Record<string, string> = {
    host: url.host,
    "content-type": "application/x-amz-json-1.1",
    ...(target !== undefined ? { "x-amz-target": target } : {}),
  };
  if (opts.sign === false) return headers;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: emu.credentials.accessKeyId,
      secretAccessKey: opts.secret ?? emu.credentials.secretAccessKey,
    },
    region: opts.region ?? "us-east-1",
    service: "rekognition",
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers,
      body,
    }),
    opts.signingDate ? { signingDate: opts.signingDate } : {},
  );
  return { ...headers, ...signed.headers };
}

/** Sends a JSON 1.1 request with raw control over target, body and signing. */
export async function rawCall(
  emu: RunningEmulator,
  target: string | undefined,
  body: string | Uint8Array,
  opts: { sign?: boolean; signingDate?: Date; secret?: string } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers = await requestHeaders(emu, target, body, opts);
  const res = await fetch(emu.endpoint + "/", { method: "POST", headers, body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Runs `fn`, expecting an SDK error; returns it. */
export async function sdkError(
  fn: () => Promise<unknown>,
): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (err) {
    return err as Error & { name: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
