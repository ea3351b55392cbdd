import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestStack, type StateResource } from "../harness/stack.js";

// A minimal dynamic resource built the way the product's resources are: the
// program declares it with `providerShim`, and the implementation is a module
// that the dynamic provider host requires by name at call time.
const program = `
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "pulumi-rekognition-faces/shim";

class Probe extends pulumi.dynamic.Resource {
  declare readonly generation: pulumi.Output<string>;
  constructor(name: string, args: { label: pulumi.Input<string> }) {
    super(providerShim("probe-impl"), name, { ...args, generation: undefined }, {});
  }
}

const probe = new Probe("probe", { label: "hello" });
export const label = probe.id;
export const generation = probe.generation;
`;

function implementation(generation: string): string {
  return `
const fs = require("node:fs");
const log = (line) => fs.appendFileSync(require("node:path").join(process.cwd(), "calls.log"), line + "\\n");
const GENERATION = ${JSON.stringify(generation)};
exports.provider = {
  async configure() { log("configure"); },
  async check(_olds, news) { return { inputs: news }; },
  async diff(_id, olds, news) { return { changes: olds.label !== news.label }; },
  async create(inputs) { log("create " + GENERATION); return { id: inputs.label, outs: { ...inputs, generation: GENERATION } }; },
  async read(id, props) { log("read " + GENERATION); return { id, props: { ...props, generation: GENERATION } }; },
  async update(_id, _olds, news) { log("update"); return { outs: { ...news, generation: GENERATION } }; },
  async delete(id) { log("delete " + id); },
};
`;
}

const providerOf = (resource: StateResource): string => {
  const serialized = resource.inputs?.["__provider"];
  return typeof serialized === "string" ? serialized : "";
};

describe("the ground: a dynamic resource through the real engine", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create({ name: "foundation", program });
    stack.writeFile("node_modules/probe-impl/index.js", implementation("one"));
  });
  afterAll(async () => stack?.dispose());

  it("creates, reports no changes on a second up, refreshes and destroys", async () => {
    const created = await stack.up();
    expect(created.changes).toMatchObject({ create: 2 });
    // The stack's Pulumi.yaml hides no warning: serializing the provider must cause none.
    expect(created.stdout + created.stderr).not.toMatch(/Warning|\(node:\d+\)/);
    expect(await stack.outputs()).toEqual({ label: "hello", generation: "one" });

    const again = await stack.up();
    expect(again.changes).toEqual({ same: 2 });

    const probe = await stack.resource("probe");
    const serialized = providerOf(probe);
    console.log(`serialized provider: ${serialized.length} bytes`);
    expect(serialized).toContain("require(moduleName)");
    expect(serialized).toContain('"probe-impl"');
    expect(serialized).not.toContain("GENERATION");
    expect(serialized.length).toBeLessThan(3072);

    // A new implementation is picked up at the next call, and the serialized
    // provider in state does not change with it: no spurious diff.
    stack.writeFile("node_modules/probe-impl/index.js", implementation("two"));
    const afterUpgrade = await stack.up();
    expect(afterUpgrade.changes).toEqual({ same: 2 });
    const refreshed = await stack.refresh();
    expect(refreshed.ok).toBe(true);
    expect((await stack.resource("probe")).outputs?.["generation"]).toBe("two");
    expect(providerOf(await stack.resource("probe"))).toBe(serialized);

    const destroyed = await stack.destroy();
    expect(destroyed.changes).toMatchObject({ delete: 2 });
    expect(await stack.resources("pulumi-nodejs:dynamic:Resource")).toEqual([]);

    const calls = readFileSync(join(stack.dir, "calls.log"), "utf8").trim().split("\n");
    expect(calls).toContain("create one");
    expect(calls).toContain("read two");
    expect(calls).toContain("delete hello");
  });
});
