import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PartialFailure, type ResourceEngine } from "../../provider/engine.js";
import { dynamicProvider } from "../../provider/dynamic/adapter.js";
import { ResourceInitError } from "../../provider/init-error.js";

const root = resolve(__dirname, "../..");

/** Every module specifier a TypeScript file names: imports, type imports, re-exports, dynamic imports. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;
  for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The chain of modules from `entry` to the first that names a package matching `banned`, if any. */
function pathToBanned(entry: string, banned: RegExp): string[] | undefined {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | undefined => {
    if (seen.has(file)) return undefined;
    seen.add(file);
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      if (banned.test(spec)) return [...chain, file, spec];
      if (!spec.startsWith(".")) continue;
      const next = join(dirname(file), spec).replace(/\.js$/, ".ts");
      const found = walk(next, [...chain, file]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(join(root, entry), []);
}

const pulumiSdk = /^@pulumi\//;
const engines = [
  "provider/collection/engine.ts",
  "provider/user/engine.ts",
  "provider/face/engine.ts",
  "provider/association/engine.ts",
  "provider/bulk/engine.ts",
];

describe("resource engines know no host", () => {
  it.each(engines)("%s imports nothing of the Pulumi SDK, however indirectly", (engine) => {
    expect(pathToBanned(engine, pulumiSdk)?.map((p) => p.replace(`${root}/`, ""))).toBeUndefined();
  });

  it("the walk finds the SDK where it is: the dynamic adapter, through the shim's types", () => {
    expect(pathToBanned("provider/dynamic/adapter.ts", pulumiSdk)).toBeDefined();
  });
});

describe("the dynamic adapter", () => {
  const failing = (err: Error): ResourceEngine => ({
    configure: async () => {},
    check: async (_olds, news) => ({ inputs: news, failures: [] }),
    diff: async () => ({ changes: false }),
    create: async () => {
      throw err;
    },
    read: async (id, props) => ({ id, props }),
    update: async () => {
      throw err;
    },
    delete: async () => {},
  });
  const shim = { __provider: "serialized shim" };

  it("records a partial create as the host's initialization error, with the serialized provider", async () => {
    const provider = dynamicProvider(failing(new PartialFailure("half done", "c1", { collectionId: "c1" })));
    const thrown = await provider.create({ collectionId: "c1", ...shim }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ResourceInitError);
    expect(thrown).toMatchObject({
      message: "half done",
      id: "c1",
      reasons: ["half done"],
      properties: { collectionId: "c1", __provider: "serialized shim" },
    });
  });

  it("takes the serialized provider of a partial update from the new inputs", async () => {
    const provider = dynamicProvider(failing(new PartialFailure("tags", "c1", { tags: {} })));
    const thrown = await provider
      .update("c1", { __provider: "old" }, { __provider: "new" })
      .catch((e: unknown) => e);
    expect(thrown).toMatchObject({ properties: { tags: {}, __provider: "new" } });
  });

  it("keeps a diff's detail off the result the host reads, which still says what changes", async () => {
    const engine: ResourceEngine = {
      ...failing(new Error("unused")),
      diff: async (id) =>
        id === "detailed"
          ? { changes: true, replaces: [], detailedDiff: { 'people["a"]': "add" } }
          : { changes: true, replaces: ["collectionId"], deleteBeforeReplace: true },
    };
    const provider = dynamicProvider(engine);
    const detailed = await provider.diff("detailed", {}, {});
    expect(detailed).not.toHaveProperty("detailedDiff");
    expect(detailed).toMatchObject({ changes: true, replaces: [] });
    expect(await provider.diff("plain", {}, {})).toEqual({
      changes: true,
      replaces: ["collectionId"],
      deleteBeforeReplace: true,
    });
  });

  it("passes any other error through as it is", async () => {
    const plain = new Error("collection 'c1' already exists");
    const provider = dynamicProvider(failing(plain));
    await expect(provider.create({})).rejects.toBe(plain);
  });
});
