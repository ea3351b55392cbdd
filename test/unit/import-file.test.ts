import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../provider/import-file/args.js";
import { collectionMissingLine, failureLine } from "../../provider/import-file/messages.js";
import { safeName, uniqueNames } from "../../provider/import-file/names.js";
import {
  buildImportFile,
  chooseFaceReads,
  faceReadCalls,
  parseProviderReference,
} from "../../provider/import-file/plan.js";

const providerUrn = "urn:pulumi:dev::roster::pulumi:providers:rekognition-faces::eu";

describe("names", () => {
  it("keeps letters, digits, _ and -, and turns . and : into -", () => {
    expect(safeName("alice")).toBe("alice");
    expect(safeName("emp_42-x")).toBe("emp_42-x");
    expect(safeName("alice.smith")).toBe("alice-smith");
    expect(safeName("org:42.a")).toBe("org-42-a");
  });

  it("gives IDs that share a safe name distinct names; an ID that is its own name keeps it", () => {
    const names = uniqueNames(["a.b", "a-b", "a:b", "c.d"]);
    expect(names.get("a-b")).toBe("a-b");
    expect(names.get("a.b")).toMatch(/^a-b-[0-9a-f]{8}$/);
    expect(names.get("a:b")).toMatch(/^a-b-[0-9a-f]{8}$/);
    expect(names.get("a.b")).not.toBe(names.get("a:b"));
    // Alone with its safe name: no hash.
    expect(names.get("c.d")).toBe("c-d");
    expect(new Set(names.values()).size).toBe(4);
  });

  it("decides by the set of IDs, not their order", () => {
    const ids = ["x.1", "x:1", "x-1", "y", "z.z"];
    const forward = uniqueNames(ids);
    const backward = uniqueNames([...ids].reverse());
    expect(Object.fromEntries(backward)).toEqual(Object.fromEntries(forward));
  });

  it("lengthens a hash that meets another ID's own name", () => {
    const short = uniqueNames(["a.b", "a:b"]).get("a.b")!;
    // A user whose ID is exactly the name a.b would get.
    const names = uniqueNames(["a.b", "a:b", short]);
    expect(names.get(short)).toBe(short);
    expect(names.get("a.b")).toMatch(/^a-b-[0-9a-f]{64}$/);
    expect(new Set(names.values()).size).toBe(3);
  });
});

describe("buildImportFile", () => {
  const contents = {
    collectionId: "staff.eu",
    users: [
      { userId: "bob:2", faceIds: [] },
      { userId: "alice.smith", faceIds: ["f1", "f2"] },
    ],
  };

  it("lists the collection, then each user by ID with its association when it has faces", () => {
    expect(buildImportFile(contents, { includeCollection: true })).toEqual({
      resources: [
        { type: "rekognition-faces:index:Collection", name: "staff-eu-collection", id: "staff.eu" },
        { type: "rekognition-faces:index:User", name: "alice-smith-user", id: "staff.eu/alice.smith" },
        {
          type: "rekognition-faces:index:UserFaceAssociation",
          name: "alice-smith-faces",
          id: "staff.eu/alice.smith",
        },
        { type: "rekognition-faces:index:User", name: "bob-2-user", id: "staff.eu/bob:2" },
      ],
    });
  });

  it("leaves the collection out on request", () => {
    const file = buildImportFile(contents, { includeCollection: false });
    expect(file.resources.map((r) => r.type)).not.toContain("rekognition-faces:index:Collection");
    expect(file.resources).toHaveLength(3);
  });

  it("refers every resource to the provider through the nameTable", () => {
    const file = buildImportFile(contents, {
      includeCollection: true,
      provider: parseProviderReference(providerUrn),
    });
    expect(file.nameTable).toEqual({ eu: providerUrn });
    expect(file.resources.every((r) => r.provider === "eu")).toBe(true);
  });

  it("names the provider apart when a resource already has its name", () => {
    const file = buildImportFile(contents, {
      includeCollection: true,
      provider: parseProviderReference(`alice-smith-user=${providerUrn}`),
    });
    expect(file.nameTable).toEqual({ "alice-smith-user-provider": providerUrn });
    expect(file.resources[0]!.provider).toBe("alice-smith-user-provider");
  });

  it("gives every resource a distinct name, also for user IDs that differ only in . : -", () => {
    const users = ["p.1", "p:1", "p-1", "p_1"].map((userId) => ({ userId, faceIds: ["f"] }));
    const file = buildImportFile({ collectionId: "c", users }, { includeCollection: true });
    const names = file.resources.map((r) => r.name);
    expect(names).toHaveLength(1 + 4 * 2);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe("parseProviderReference", () => {
  it("takes a URN, naming it after the URN's name, or NAME=URN", () => {
    expect(parseProviderReference(providerUrn)).toEqual({ name: "eu", urn: providerUrn });
    expect(parseProviderReference(`main=${providerUrn}`)).toEqual({ name: "main", urn: providerUrn });
  });

  it("refuses a bare name and another package's provider, saying where the URN is", () => {
    expect(() => parseProviderReference("eu")).toThrow(/URN.*got "eu".*pulumi stack --show-urns/);
    expect(() => parseProviderReference("urn:pulumi:dev::roster::pulumi:providers:aws::eu")).toThrow(
      /rekognition-faces provider.*pulumi:providers:aws::eu/,
    );
  });
});

describe("chooseFaceReads", () => {
  it("scans the collection once it costs no more calls than one ListFaces per user", () => {
    expect(faceReadCalls(2_000, 6_000)).toEqual({ "per-user": 2_000, "collection-scan": 2 });
    expect(chooseFaceReads(2_000, 6_000)).toBe("collection-scan");
    expect(chooseFaceReads(1, 0)).toBe("collection-scan");
    // Three users in a collection of 20,000 faces held by no one: 3 calls against 5.
    expect(chooseFaceReads(3, 20_000)).toBe("per-user");
  });
});

describe("parseCommandLine", () => {
  it("reads the options, the endpoint from the flag before the environment", () => {
    const parsed = parseCommandLine(
      ["--collection", "staff", "--out", "import.json", "--no-collection", "--region", "eu-west-1"],
      { AWS_ENDPOINT_URL: "http://127.0.0.1:4599" },
    );
    expect(parsed).toEqual({
      help: false,
      options: {
        collectionId: "staff",
        out: "import.json",
        includeCollection: false,
        region: "eu-west-1",
        endpoint: "http://127.0.0.1:4599",
      },
    });
    const flag = parseCommandLine(["--collection", "s", "--endpoint", "http://localhost:1"], {
      AWS_ENDPOINT_URL_REKOGNITION: "http://127.0.0.1:4599",
    });
    expect(flag.help === false && flag.options.endpoint).toBe("http://localhost:1");
  });

  it("prefers the Rekognition endpoint variable, and honours the SDK's switch to ignore both", () => {
    const env = { AWS_ENDPOINT_URL: "http://a:1", AWS_ENDPOINT_URL_REKOGNITION: "http://b:2" };
    const both = parseCommandLine(["--collection", "s"], env);
    expect(both.help === false && both.options.endpoint).toBe("http://b:2");
    const ignored = parseCommandLine(["--collection", "s"], {
      ...env,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
    });
    expect(ignored.help === false && ignored.options.endpoint).toBeUndefined();
  });

  it("refuses what it cannot use, naming the option", () => {
    expect(() => parseCommandLine([], {})).toThrow(/--collection is required/);
    expect(() => parseCommandLine(["--collection", "s", "--colour", "x"], {})).toThrow(
      /--colour.*rekognition-faces-import --help/,
    );
    expect(() => parseCommandLine(["--collection", "s", "--endpoint", "127.0.0.1:4599"], {})).toThrow(
      /--endpoint.*http/,
    );
    expect(() => parseCommandLine(["--collection", "s"], { AWS_ENDPOINT_URL: "nope" })).toThrow(
      /AWS_ENDPOINT_URL/,
    );
  });
});

describe("messages", () => {
  const target = { collectionId: "staff", region: "eu-west-1", endpoint: "http://127.0.0.1:4599" };

  it("says which collection is missing where, and what to check", () => {
    expect(collectionMissingLine(target)).toBe(
      "collection 'staff' does not exist in region eu-west-1 at http://127.0.0.1:4599: check --collection " +
        "(aws rekognition list-collections lists them), or --region / --endpoint if it lives elsewhere",
    );
  });

  it("turns setup and service errors into one line with the fix", () => {
    expect(failureLine(new Error("Region is missing"), target)).toMatch(/--region.*AWS_REGION/);
    // As the client's explanation words it: the command's own flag, not the stack's setting.
    const explained = new Error(
      "Region is missing: set the stack's region (pulumi config set aws:region us-east-1), or AWS_REGION",
    );
    expect(failureLine(explained, target)).toBe(
      "no AWS region: pass --region <region>, or set AWS_REGION (or a region in the profile)",
    );
    const denied = Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" });
    expect(failureLine(denied, target)).toMatch(/'staff'.*rekognition:ListUsers/);
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(failureLine(refused, target)).toMatch(/cannot reach.*127\.0\.0\.1:4599.*--endpoint/);
    const multi = new Error("first line\n    at somewhere (file.js:1:1)");
    expect(failureLine(multi, target)).not.toContain("\n");
  });
});
