import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningEmulator } from "../../emulator/index.js";
import { s3ListClient } from "../../provider/aws/s3-client.js";
import { readAwsSettings } from "../../provider/aws/settings.js";
import { peopleFromS3Prefix } from "../../provider/roster/s3-prefix.js";
import { RosterError } from "../../provider/roster/plan.js";
import { startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";

// More people × photos than one page (1,000 keys) holds, so every listing paginates.
const PEOPLE = Array.from({ length: 41 }, (_, i) => `person-${String(i).padStart(2, "0")}`);
const PHOTOS = 30;

const folder = mkdtempSync(join(tmpdir(), "s3-list-"));
const outside = mkdtempSync(join(tmpdir(), "s3-outside-"));
const files = new Map<string, Buffer>();

function put(key: string, content: Buffer | string): void {
  const path = join(folder, ...key.split("/"));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  files.set(key, Buffer.from(content));
}

const md5 = (content: Buffer) => createHash("md5").update(content).digest("hex");

let local: LocalRekognition;
let emu: RunningEmulator;

function s3For(extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint: emu.endpoint,
    forcePathStyle: true,
    region: emu.region,
    credentials: emu.credentials,
    maxAttempts: 1,
    ...extra,
  });
}

beforeAll(async () => {
  for (const person of PEOPLE)
    for (let n = 1; n <= PHOTOS; n++) put(`roster/${person}/photo-${n}.jpg`, `${person} ${n}`);
  put("encoded/with space/ü+1.png", "encoded");
  put("other/readme.txt", "not a photo");
  put("mixed/alice/a.png", "alice a");
  put("mixed/alice/notes.txt", "notes");
  put("mixed/alice/old/b.png", "alice b");
  put("mixed/top.jpg", "top");
  put("mixed/bad id!/c.png", "c");
  mkdirSync(join(folder, "empty-prefix"));
  writeFileSync(join(outside, "secret.png"), "outside the bucket");
  symlinkSync(outside, join(folder, "roster", "linked"));
  local = await startLocalRekognition({ s3Buckets: { photos: folder } });
  emu = local.emulator;
});

afterAll(async () => {
  await local?.stop();
  rmSync(folder, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("ListObjectsV2 over an S3 folder, through @aws-sdk/client-s3", () => {
  test("the paginator walks every key in order, with S3's ETag, size and page bounds", async () => {
    const s3 = s3For();
    const listed: { Key?: string; ETag?: string; Size?: number }[] = [];
    const pages: { KeyCount?: number; IsTruncated?: boolean }[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 400 },
      { Bucket: "photos", Prefix: "roster/" },
    )) {
      pages.push({ KeyCount: page.KeyCount!, IsTruncated: page.IsTruncated! });
      listed.push(...(page.Contents ?? []));
    }
    s3.destroy();
    const expected = [...files.keys()]
      .filter((key) => key.startsWith("roster/"))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(expected.length).toBe(PEOPLE.length * PHOTOS);
    // The symbolic link to a folder outside the bucket is not followed.
    expect(listed.map((o) => o.Key)).toEqual(expected);
    for (const object of listed) {
      expect(object.ETag).toBe(`"${md5(files.get(object.Key!)!)}"`);
      expect(object.Size).toBe(files.get(object.Key!)!.length);
    }
    expect(pages.map((p) => p.KeyCount)).toEqual([400, 400, 400, 30]);
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, true, true, false]);
  });

  test("a page of the default size holds 1,000 keys, and start-after, max-keys and prefix are honoured", async () => {
    await emu.control.resetCounters();
    const s3 = s3For();
    const first = await s3.send(new ListObjectsV2Command({ Bucket: "photos" }));
    expect(first.KeyCount).toBe(1000);
    expect(first.MaxKeys).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextContinuationToken).toBeTruthy();
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: "photos", StartAfter: "roster/person-40/photo-4.jpg", MaxKeys: 3 }),
    );
    expect(after.Contents?.map((o) => o.Key)).toEqual([
      "roster/person-40/photo-5.jpg",
      "roster/person-40/photo-6.jpg",
      "roster/person-40/photo-7.jpg",
    ]);
    expect(after.IsTruncated).toBe(true);
    const rest = await s3.send(
      new ListObjectsV2Command({ Bucket: "photos", ContinuationToken: after.NextContinuationToken! }),
    );
    expect(rest.Contents?.map((o) => o.Key)).toEqual([
      "roster/person-40/photo-8.jpg",
      "roster/person-40/photo-9.jpg",
    ]);
    expect(rest.IsTruncated).toBe(false);
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: "photos", Prefix: "encoded/" }));
    expect(encoded.Contents?.map((o) => o.Key)).toEqual(["encoded/with space/ü+1.png"]);
    const none = await s3.send(new ListObjectsV2Command({ Bucket: "photos", Prefix: "empty-prefix/" }));
    expect(none.KeyCount).toBe(0);
    expect(none.Contents).toBeUndefined();
    s3.destroy();
    expect((await emu.control.counters()).byOperation["ListObjectsV2"]).toBe(5);
  });

  test("an unknown bucket is NoSuchBucket (404); a bad token is InvalidArgument", async () => {
    const s3 = s3For();
    const missing = await s3.send(new ListObjectsV2Command({ Bucket: "nope" })).catch((e: unknown) => e);
    expect((missing as Error).name).toBe("NoSuchBucket");
    expect((missing as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(404);
    const badToken = await s3
      .send(new ListObjectsV2Command({ Bucket: "photos", ContinuationToken: "not a token!" }))
      .catch((e: unknown) => e);
    expect((badToken as Error).name).toBe("InvalidArgument");
    s3.destroy();
  });

  test("signatures are checked with service s3: a wrong secret and an unknown key are refused", async () => {
    const wrong = s3For({ credentials: { accessKeyId: emu.credentials.accessKeyId, secretAccessKey: "x" } });
    const err = await wrong.send(new ListObjectsV2Command({ Bucket: "photos" })).catch((e: unknown) => e);
    expect((err as Error).name).toBe("SignatureDoesNotMatch");
    wrong.destroy();
    const unknown = s3For({ credentials: { accessKeyId: "AKIDNOBODY", secretAccessKey: "x" } });
    const err2 = await unknown.send(new ListObjectsV2Command({ Bucket: "photos" })).catch((e: unknown) => e);
    expect((err2 as Error).name).toBe("InvalidAccessKeyId");
    unknown.destroy();
    const unsigned = await fetch(`${emu.endpoint}/photos?list-type=2`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>AccessDenied</Code>");
  });

  test("a session token the emulator's STS did not issue for the key is InvalidToken (400)", async () => {
    const forged = s3For({ credentials: { ...emu.credentials, sessionToken: "tok" } });
    const err = await forged.send(new ListObjectsV2Command({ Bucket: "photos" })).catch((e: unknown) => e);
    expect({
      name: (err as Error).name,
      status: (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
    }).toEqual({ name: "InvalidToken", status: 400 });
    forged.destroy();
  });

  test("what it does not serve is NotImplemented, and Rekognition's own GET answer is unchanged", async () => {
    const s3 = s3For();
    // Signed over the path as sent (%20, %C3%BC, %2B encoded once): the signature passes, the operation is refused.
    const get = await s3
      .send(new GetObjectCommand({ Bucket: "photos", Key: "encoded/with space/ü+1.png" }))
      .catch((e: unknown) => e);
    expect((get as Error).name).toBe("NotImplemented");
    const delimited = await s3
      .send(new ListObjectsV2Command({ Bucket: "photos", Delimiter: "/" }))
      .catch((e: unknown) => e);
    expect((delimited as Error).name).toBe("NotImplemented");
    s3.destroy();
    const root = await fetch(emu.endpoint + "/");
    expect(((await root.json()) as { __type: string }).__type).toBe("UnknownOperationException");
  });
});

/** The Python that has botocore: the repository's signer venv (`npm run signers` makes it), else python3. */
async function botocorePython(): Promise<string> {
  for (const python of [join(__dirname, "../../.venv-signers/bin/python"), "python3"]) {
    if (python !== "python3" && !existsSync(python)) continue;
    const ok = await promisify(execFile)(python, ["-c", "import botocore"]).then(
      () => true,
      () => false,
    );
    if (ok) return python;
  }
  throw new Error(
    "botocore is needed to list with the AWS CLI's S3 client, and no Python here has it: run npm run signers",
  );
}

describe("ListObjectsV2 through botocore (boto3, the AWS CLI)", () => {
  test("its paginator reads the same keys, ETags and sizes, with encoding-type=url", async () => {
    // Asynchronous: the emulator answers from this process while Python waits.
    const python = await botocorePython();
    const child = execFile(python, [join(__dirname, "signers", "botocore_list.py")], {
      encoding: "utf8",
    });
    child.stdin!.end(
      JSON.stringify({
        endpoint: emu.endpoint,
        region: emu.region,
        access_key: emu.credentials.accessKeyId,
        secret_key: emu.credentials.secretAccessKey,
        bucket: "photos",
        prefix: "",
        page_size: 500,
      }),
    );
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { pages: number[]; objects: [string, string, number][] };
    const expected = [...files.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(out.objects).toEqual(
      expected.map((key) => [key, `"${md5(files.get(key)!)}"`, files.get(key)!.length]),
    );
    expect(out.pages).toEqual([500, 500, expected.length - 1000]);
  });
});

describe("peopleFromS3Prefix against rekognition-local", () => {
  /** The client a program gets from stack configuration pointing S3 at the emulator. */
  const stackClient = () =>
    s3ListClient(
      readAwsSettings({
        get: (key) =>
          ({
            "aws:region": emu.region,
            "aws:endpoints": JSON.stringify([{ rekognition: emu.endpoint, s3: emu.endpoint }]),
            "aws:accessKey": emu.credentials.accessKeyId,
            "aws:secretKey": emu.credentials.secretAccessKey,
          })[key],
      }),
    );

  test("every person's photos over several pages, sorted, with their ETags", async () => {
    const people = await peopleFromS3Prefix("staff", "s3://photos/roster/", stackClient());
    expect(Object.keys(people)).toEqual(PEOPLE);
    for (const person of PEOPLE) {
      const keys = Array.from({ length: PHOTOS }, (_, i) => `roster/${person}/photo-${i + 1}.jpg`).sort();
      expect(people[person]).toEqual(
        keys.map((key) => ({ entry: `s3://photos/${key}`, etag: md5(files.get(key)!) })),
      );
    }
  });

  test("objects outside the layout are named in one error, each with its fix", async () => {
    const err = await peopleFromS3Prefix("staff", "s3://photos/mixed", stackClient()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RosterError);
    const message = (err as Error).message;
    expect(message).toContain("FaceRoster 'staff': s3Prefix 's3://photos/mixed':");
    expect(message).toContain("'mixed/alice/notes.txt' is not a .jpg, .jpeg or .png photo");
    expect(message).toContain("'mixed/alice/old/b.png' is nested below the person's folder 'mixed/alice/'");
    expect(message).toContain("'mixed/top.jpg' is not in a person's folder");
    expect(message).toContain("'mixed/bad id!/c.png': the folder name is the user ID");
    expect(message.split("\n  - ")).toHaveLength(5);
  });

  test("an empty prefix and a missing bucket say so", async () => {
    const empty = await peopleFromS3Prefix("staff", "s3://photos/empty-prefix/", stackClient()).catch(
      (e: unknown) => e,
    );
    expect(empty).toBeInstanceOf(RosterError);
    expect((empty as Error).message).toContain("no object is under 'empty-prefix/' in bucket 'photos'");
    const missing = await peopleFromS3Prefix("staff", "s3://nope/roster/", stackClient()).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(RosterError);
    expect((missing as Error).message).toContain("cannot be listed (NoSuchBucket");
  });
});
