import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/pulumi.js";
import { TestStack } from "../harness/stack.js";

// A dynamic resource whose create reports progress the way a bulk operation
// does, run by the real engine: the line must reach the engine's diagnostics.
const progressModule = join(repoRoot, "dist", "provider", "progress.js");
const program = `
import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
  async create() {
    const { startProgress } = require(${JSON.stringify(progressModule)});
    const progress = startProgress("roster probe", 3);
    progress.advance(3);
    progress.finish();
    return { id: "probe", outs: {} };
  },
};
class Probe extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(provider, name, {}, undefined, "probe", "Probe");
  }
}
new Probe("probe");
`;

describe("progress from inside the dynamic provider host", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create({ name: "progress", program });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it("reaches the engine as an info diagnostic that pulumi up shows", async () => {
    const up = await stack.up();
    const line = "roster probe: 3/3 people, calls: none, throttled: 0";
    const diagnostics = up.events.flatMap((e) =>
      e.diagnosticEvent?.message.includes(line) ? [e.diagnosticEvent] : [],
    );
    // Through the engine's Log RPC (severity info), not the host's standard error (info#err).
    expect(diagnostics.map((d) => [d.severity, d.ephemeral ?? false])).toEqual([["info", false]]);
    expect(up.stdout).toContain(line);
  });
});
