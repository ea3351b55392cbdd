// Decompression bombs and malformed images against the command-line server, in a
// child process so that its peak memory (VmHWM) is its own.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CreateCollectionCommand,
  IndexFacesCommand,
  ListCollectionsCommand,
  RekognitionClient,
  SearchFacesByImageCommand,
  SearchUsersByImageCommand,
} from "@aws-sdk/client-rekognition";
import { DEFAULT_CREDENTIALS, generatePortrait } from "../../emulator/index.js";

const CLI = resolve(__dirname, "../../dist/emulator/cli.js");
/** The bounds docs/emulator.md states for the server's peak resident memory. */
const MB = 1024 * 1024;
const BOMB_PEAK_BYTES = 256 * MB;
const LARGEST_IMAGE_PEAK_BYTES = 768 * MB;

// ------------------------------------------------------------------ crafted images

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A PNG whose IHDR claims width × height RGB, with an IDAT holding the deflate of a few zero bytes. */
function pngBomb(width: number, height: number, idat = deflateSync(Buffer.alloc(4))): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
/** A valid, all-black width × height PNG: a legitimately large image that takes real decoding. */
function blackPng(width: number, height: number): Buffer {
  return pngBomb(width, height, deflateSync(Buffer.alloc((width * 3 + 1) * height), { level: 9 }));
}
const segment = (marker: number, body: number[]) => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];
/** A progressive JPEG frame (SOF2) of width × height with `scans` scans of one byte of data each. */
function progressiveJpeg(width: number, height: number, scans: number): Buffer {
  const sof = segment(0xc2, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  const sos = [...segment(0xda, [1, 1, 0x00, 0, 0, 0]), 0x00];
  return Buffer.from([0xff, 0xd8, ...sof, ...Array.from({ length: scans }, () => sos).flat(), 0xff, 0xd9]);
}
/** A real JPEG portrait with its frame header rewritten to claim width × height. */
function jpegClaiming(width: number, height: number): Buffer {
  const bytes = Buffer.from(generatePortrait("bomb", 1, { format: "jpeg" }));
  const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
  bytes.writeUInt16BE(height, sof + 5);
  bytes.writeUInt16BE(width, sof + 7);
  return bytes;
}

// ------------------------------------------------------------------ the server

let server: ChildProcess;
let endpoint: string;
let client: RekognitionClient;
let output = "";

const peakBytes = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]) * 1024;

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return {
      name: e.name,
      message: e.message,
      ...(e.$metadata?.httpStatusCode ? { status: e.$metadata.httpStatusCode } : {}),
    };
  }
  throw new Error("the request succeeded");
}

const indexFaces = (bytes: Uint8Array) =>
  client.send(new IndexFacesCommand({ CollectionId: "bombs", Image: { Bytes: bytes } }));

beforeAll(async () => {
  server = spawn(process.execPath, [CLI, "--port", "0", "--face-model", "synthetic"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  endpoint = await new Promise<string>((done, fail) => {
    server.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) done(m[1]!);
    });
    server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.on("exit", (code) => fail(new Error(`rekognition-local exited with ${code}: ${output}`)));
  });
  client = new RekognitionClient({
    endpoint,
    region: "us-east-1",
    credentials: DEFAULT_CREDENTIALS,
    maxAttempts: 1,
  });
  await client.send(new CreateCollectionCommand({ CollectionId: "bombs" }));
});

afterAll(() => {
  client?.destroy();
  if (server.exitCode === null) server.kill("SIGKILL");
});

describe("image bombs", () => {
  test("PNGs claiming 20000² and 65535² are ImageTooLargeException from their header, memory untouched", async () => {
    const small = pngBomb(20000, 20000);
    expect(small.length).toBe(69);
    const refusals = await Promise.all([
      errorOf(indexFaces(small)),
      errorOf(
        client.send(
          new SearchUsersByImageCommand({ CollectionId: "bombs", Image: { Bytes: pngBomb(65535, 65535) } }),
        ),
      ),
      errorOf(
        client.send(
          new SearchFacesByImageCommand({ CollectionId: "bombs", Image: { Bytes: pngBomb(20000, 20000) } }),
        ),
      ),
    ]);
    for (const r of refusals) expect(r).toMatchObject({ name: "ImageTooLargeException", status: 400 });
    expect(refusals[0].message).toContain("20000 x 20000 exceed maximum dimension size of 10000 pixels");
    expect(refusals[1].message).toContain("65535 x 65535");
    expect(peakBytes()).toBeLessThan(BOMB_PEAK_BYTES);
  });

  test("JPEGs: a huge baseline or progressive frame, too many scans, a truncated file", async () => {
    const portrait = Buffer.from(generatePortrait("bomb", 1, { format: "jpeg" }));
    const [huge, hugeProgressive, scans, truncated, headerOnly] = await Promise.all([
      errorOf(indexFaces(jpegClaiming(65535, 65535))),
      errorOf(indexFaces(progressiveJpeg(60000, 60000, 3))),
      errorOf(indexFaces(progressiveJpeg(400, 400, 5000))),
      errorOf(indexFaces(portrait.subarray(0, portrait.length >> 1))),
      errorOf(indexFaces(portrait.subarray(0, 40))),
    ]);
    expect(huge).toMatchObject({ name: "ImageTooLargeException", status: 400 });
    expect(hugeProgressive).toMatchObject({ name: "ImageTooLargeException", status: 400 });
    expect(hugeProgressive.message).toContain("60000 x 60000");
    expect(scans).toMatchObject({ name: "InvalidImageFormatException", status: 400 });
    expect(scans.message).toContain("more than 200 scans");
    expect(truncated).toMatchObject({ name: "InvalidImageFormatException", status: 400 });
    expect(headerOnly).toMatchObject({ name: "InvalidImageFormatException", status: 400 });
    expect(peakBytes()).toBeLessThan(BOMB_PEAK_BYTES);
  });

  test("an image under 80 pixels a side is InvalidParameterException, as the service answers", async () => {
    const r = await errorOf(indexFaces(blackPng(79, 200)));
    expect(r).toMatchObject({ name: "InvalidParameterException", status: 400 });
    expect(r.message).toContain("79 x 200");
  });

  test("while bombs and a 36-megapixel image are analysed, other requests are served first", async () => {
    const order: string[] = [];
    const note = <T>(name: string, p: Promise<T>) =>
      p.then(() => order.push(name)).catch(() => order.push(name));
    const big = note("large image", indexFaces(blackPng(6000, 6000)));
    const bombs = Array.from({ length: 8 }, (_, i) => note(`bomb ${i}`, indexFaces(pngBomb(65535, 65535))));
    const list = note("ListCollections", client.send(new ListCollectionsCommand({})));
    const portrait = indexFaces(generatePortrait("valid", 1));
    await Promise.all([big, list, ...bombs]);
    expect((await portrait).FaceRecords).toHaveLength(1);
    // The decode runs in a worker: the event loop answered everything else before it finished.
    expect(order.at(-1)).toBe("large image");
    expect(order.indexOf("ListCollections")).toBeLessThan(order.indexOf("large image"));
    expect(peakBytes()).toBeLessThan(LARGEST_IMAGE_PEAK_BYTES);
  });

  test("SIGTERM in the middle of a decode stops the server at once", async () => {
    const pending = indexFaces(blackPng(6000, 6000)).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((done) => server.once("exit", done));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("rekognition-local stopped (SIGTERM)");
    expect(await pending).toBeInstanceOf(Error);
  });
});
