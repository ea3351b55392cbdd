import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { planRoster, RosterError } from "../../provider/roster/plan.js";
import { S3Client } from "@aws-sdk/client-s3";
import {
  parseS3Prefix,
  peopleFromObjects,
  peopleFromS3Prefix,
  s3ListClientFromStack,
  stackConfigSource,
  type ListedObject,
  type S3People,
} from "../../provider/roster/s3-prefix.js";

const at = { bucket: "team-photos", prefix: "rosters/staff/" };
const url = "s3://team-photos/rosters/staff/";
const object = (key: string, etag = `"${createHash("md5").update(key).digest("hex")}"`, size = 100) => ({
  key: `rosters/staff/${key}`,
  etag,
  size,
});
const people = (objects: readonly ListedObject[]): S3People => peopleFromObjects("staff", url, at, objects);

/** The message a listing fails with (the test fails if it gives people). */
function failure(objects: readonly ListedObject[]): string {
  try {
    people(objects);
  } catch (err) {
    expect(err).toBeInstanceOf(RosterError);
    return (err as Error).message;
  }
  throw new Error("the listing gave people");
}

describe("parseS3Prefix", () => {
  it("reads the bucket and the prefix, a prefix always ending with /", () => {
    expect(parseS3Prefix("r", "s3://b-1/a/b/")).toEqual({ bucket: "b-1", prefix: "a/b/" });
    expect(parseS3Prefix("r", "s3://b-1/a/b")).toEqual({ bucket: "b-1", prefix: "a/b/" });
    expect(parseS3Prefix("r", "s3://b-1/")).toEqual({ bucket: "b-1", prefix: "" });
    expect(parseS3Prefix("r", "s3://b-1")).toEqual({ bucket: "b-1", prefix: "" });
  });

  it.each([
    [undefined, "s3Prefix must be an s3:// URL such as s3://my-bucket/rosters/staff/, got nothing"],
    ["", "got ''"],
    ["https://bkt/a/", "'https://bkt/a/' is not an s3:// URL"],
    ["s3:///a/", "'' is not a bucket name"],
    ["s3://b a/x/", "'b a' is not a bucket name"],
    ["s3://b/x/", "'b' is not a bucket name"],
    ["s3://bkt/a/?versionId=1", "has a query or fragment"],
    ["s3://bkt/a//c/", "has an empty folder name ('//')"],
    ["s3://bkt//", "has an empty folder name ('//')"],
  ])("refuses %j, saying why", (value, message) => {
    expect(() => parseS3Prefix("r", value)).toThrow(RosterError);
    expect(() => parseS3Prefix("r", value)).toThrow(message);
  });
});

describe("peopleFromObjects: <prefix><userId>/<photo>", () => {
  it("maps each folder to its user and each image to an entry, sorted, ETag quotes stripped", () => {
    const result = people([
      object("bob/2.PNG", '"bbb2"'),
      object("alice/b.jpeg", '"aaa2"'),
      object("alice/a.jpg", '"aaa1"'),
      object("bob/1.Jpg", "bbb1"),
    ]);
    expect(result).toEqual({
      alice: [
        { entry: "s3://team-photos/rosters/staff/alice/a.jpg", etag: "aaa1" },
        { entry: "s3://team-photos/rosters/staff/alice/b.jpeg", etag: "aaa2" },
      ],
      bob: [
        { entry: "s3://team-photos/rosters/staff/bob/1.Jpg", etag: "bbb1" },
        { entry: "s3://team-photos/rosters/staff/bob/2.PNG", etag: "bbb2" },
      ],
    });
    expect(Object.keys(result)).toEqual(["alice", "bob"]);
  });

  it("gives the same people whatever order the objects come in", () => {
    const objects = ["z/1.png", "a:b/1.png", "A/1.png", "a.b/2.jpg", "a.b/1.jpg", "_/1.png"].map((k) =>
      object(k),
    );
    const forward = people(objects);
    expect(JSON.stringify(people([...objects].reverse()))).toBe(JSON.stringify(forward));
    expect(Object.keys(forward)).toEqual(["A", "_", "a.b", "a:b", "z"]);
  });

  it("skips the empty folder objects the S3 console creates", () => {
    expect(
      people([
        { key: "rosters/staff/", size: 0, etag: '"d41d8cd98f00b204e9800998ecf8427e"' },
        { key: "rosters/staff/alice/", size: 0 },
        { key: "rosters/staff/alice/old/", size: 0 },
        object("alice/1.png", '"a1"'),
      ]),
    ).toEqual({ alice: [{ entry: "s3://team-photos/rosters/staff/alice/1.png", etag: "a1" }] });
  });

  it("keeps a user named __proto__ as a person", () => {
    const result = people([object("__proto__/1.png", '"p"')]);
    expect(Object.keys(result)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  it("feeds planRoster: the entries are s3:// photos of each person", () => {
    const result = people([object("alice/1.png", '"a1"'), object("bob/1.png", '"b1"')]);
    const plans = planRoster(
      "staff",
      Object.fromEntries(Object.entries(result).map(([id, photos]) => [id, photos.map((p) => p.entry)])),
    );
    expect(plans.map((p) => [p.userId, p.photos.map((photo) => photo.image)])).toEqual([
      ["alice", [{ s3: { bucket: "team-photos", key: "rosters/staff/alice/1.png" } }]],
      ["bob", [{ s3: { bucket: "team-photos", key: "rosters/staff/bob/1.png" } }]],
    ]);
  });
});

describe("peopleFromObjects: problems, all in one error naming the key and the fix", () => {
  it("reports every object outside the layout", () => {
    const message = failure([
      object("alice/1.png"),
      object("readme.txt"),
      object("alice/notes.txt"),
      object("alice/2019/1.png"),
      object("alice/empty.png", '"e"', 0),
      { key: "rosters/staff/bob/1.png", size: 10 },
    ]);
    expect(message).toBe(
      [
        "FaceRoster 'staff': s3Prefix 's3://team-photos/rosters/staff/':",
        "'rosters/staff/alice/2019/1.png' is nested below the person's folder 'rosters/staff/alice/': " +
          "photos go directly in <prefix><userId>/<photo>.jpg (or .jpeg, .png); move it up, or out of the prefix",
        "'rosters/staff/alice/empty.png' is empty (0 bytes): upload the photo again, or remove it",
        "'rosters/staff/alice/notes.txt' is not a .jpg, .jpeg or .png photo (Rekognition reads JPEG and PNG): " +
          "convert it, or move it out of the prefix",
        "'rosters/staff/bob/1.png' was listed without an ETag: the listing is not from S3, or is incomplete",
        "'rosters/staff/readme.txt' is not in a person's folder: photos go in " +
          "<prefix><userId>/<photo>.jpg (or .jpeg, .png); move it into its person's folder, or out of the prefix",
      ].join("\n  - "),
    );
  });

  it("reports a folder whose name is not a valid user ID once, with its object count", () => {
    const message = failure([
      object("al ice/1.png"),
      object("al ice/2.png"),
      object("al ice/3.png"),
      object(`${"x".repeat(129)}/1.png`),
      object("bob/1.png"),
    ]);
    expect(message).toContain(
      "'rosters/staff/al ice/1.png' (and 2 more object(s) in that folder): the folder name is the user ID, " +
        "and the user ID 'al ice' may contain only letters, digits, '_', '.', ':' and '-': " +
        "rename the folder 'rosters/staff/al ice/' (copy its objects to a valid name, then delete them)",
    );
    expect(message).toContain("the user ID must be 1–128 characters long, got 129");
    expect(message.split("\n  - ")).toHaveLength(3);
  });

  it("refuses one content (ETag) under two people, but not twice under one", () => {
    const message = failure([
      object("alice/1.png", '"same"'),
      object("bob/1.png", '"same"'),
      object("alice/copy.png", '"same"'),
    ]);
    expect(message).toContain(
      "'rosters/staff/bob/1.png' has the same content as 'rosters/staff/alice/1.png' (ETag same): " +
        "a photo shows one person, keep it under one of alice and bob",
    );
    expect(message.split("\n  - ")).toHaveLength(2);
  });

  it("says the prefix is empty, or holds only folders", () => {
    expect(failure([])).toContain(
      "no object is under 'rosters/staff/' in bucket 'team-photos': upload photos as <prefix><userId>/<photo>.jpg",
    );
    expect(failure([{ key: "rosters/staff/alice/", size: 0 }])).toContain(
      "no photo is under 'rosters/staff/' in bucket 'team-photos', only folders",
    );
  });

  it("lists the first 50 problems and counts the rest", () => {
    const objects = Array.from({ length: 120 }, (_, i) => object(`f${String(i).padStart(3, "0")}.txt`));
    const message = failure(objects);
    expect(message.split("\n  - ")).toHaveLength(52);
    expect(message).toContain("'rosters/staff/f049.txt'");
    expect(message).not.toContain("'rosters/staff/f050.txt'");
    expect(message).toMatch(/… and 70 more problem\(s\) like these$/);
  });
});

describe("peopleFromS3Prefix: a listing S3 refuses", () => {
  /** A client whose every call fails with `name`, before anything is sent. */
  function failingClient(name: string): S3Client {
    const client = new S3Client({
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    client.middlewareStack.add(
      () => () => Promise.reject(Object.assign(new Error(`${name} said no`), { name })),
      { step: "initialize", name: "refuse" },
    );
    return client;
  }

  it.each([
    [
      "AccessDenied",
      "the credentials may not list it: allow s3:ListBucket on arn:aws:s3:::team-photos (for the prefix 'rosters/staff/')",
    ],
    [
      "NoSuchBucket",
      `no bucket 'team-photos' is reachable with these settings: check its name, and the aws:region and aws:endpoints "s3" of the stack`,
    ],
    ["SlowDown", 'check the bucket, the credentials and the aws:region and aws:endpoints "s3" of the stack'],
  ])("%s is a RosterError naming the URL and the fix", async (name, fix) => {
    const err = await peopleFromS3Prefix("staff", url, failingClient(name)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RosterError);
    expect((err as Error).message).toBe(
      `FaceRoster 'staff': s3Prefix '${url}' cannot be listed (${name}: ${name} said no): ${fix}`,
    );
    expect((err as Error).cause).toMatchObject({ name });
  });

  it("checks the URL before any call", async () => {
    const err = await peopleFromS3Prefix("staff", "s3://b/x/", failingClient("AccessDenied")).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toContain("'b' is not a bucket name");
  });
});

describe("the program's S3 client reads the stack's aws: keys as the provider does", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it("maps aws:<key> to the aws namespace of the stack's configuration", () => {
    const seen: string[] = [];
    const source = stackConfigSource({ get: (key: string) => (seen.push(key), `value of ${key}`) });
    expect(source.get("aws:region")).toBe("value of region");
    expect(source.get("other:region")).toBeUndefined();
    expect(seen).toEqual(["region"]);
  });

  it("takes region, the s3 endpoint (path-style) and the keys from pulumi.Config", async () => {
    pulumi.runtime.setAllConfig(
      {
        "aws:region": "eu-west-3",
        "aws:endpoints": JSON.stringify([{ s3: "http://127.0.0.1:4599" }]),
        "aws:accessKey": "AKIDSTACK",
        "aws:secretKey": "stack-secret",
      },
      ["aws:secretKey"],
    );
    const client = s3ListClientFromStack();
    expect(await client.config.region()).toBe("eu-west-3");
    expect(client.config.forcePathStyle).toBe(true);
    const credentials = await client.config.credentials();
    expect([credentials.accessKeyId, credentials.secretAccessKey]).toEqual(["AKIDSTACK", "stack-secret"]);
  });

  it("an S3 endpoint where nothing answers is named, with the setting and rekognition-local", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.close();
    pulumi.runtime.setAllConfig({
      "aws:region": "us-east-1",
      "aws:endpoints": JSON.stringify([{ s3: endpoint }]),
      "aws:accessKey": "AKIDSTACK",
      "aws:secretKey": "stack-secret",
      "aws:maxRetries": "0",
    });
    const err = await peopleFromS3Prefix("staff", url, s3ListClientFromStack()).catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      `ECONNREFUSED 127.0.0.1:${new URL(endpoint).port}: nothing answers at ${endpoint}, the stack's S3 ` +
        "endpoint (its endpoints configuration, or AWS_ENDPOINT_URL_S3): start rekognition-local there, or correct the endpoint",
    );
  });

  it("fails on a configuration the provider would refuse", () => {
    pulumi.runtime.setAllConfig({ "aws:endpoints": JSON.stringify([{ S3: "http://127.0.0.1:4599" }]) });
    expect(() => s3ListClientFromStack()).toThrow('did you mean "s3"?');
  });
});
