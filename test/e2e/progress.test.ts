import { join } from "node:path";
import { CreateCollectionCommand, ListFacesCommand } from "@aws-sdk/client-rekognition";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { repoRoot } from "../harness/pulumi.js";
import { startLocalRekognition, usersOf, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack, type OperationResult } from "../harness/stack.js";
import { expectRosterMatchesService } from "../harness/truth.js";
import { ensureYamlHost } from "../harness/yaml-host.js";
import { pluginYamlProject } from "../harness/programs.js";

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

/** The run's roster lines, as the engine's diagnostics carry them: [line, kept]. */
const rosterLines = (up: OperationResult): [string, boolean][] =>
  up.events.flatMap((e) => {
    const d = e.diagnosticEvent;
    return d && /^roster: /.test(d.message.trim())
      ? [[d.message.trim(), !d.ephemeral] as [string, boolean]]
      : [];
  });

describe("a bulk roster's progress through the real engine", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  const people = new Map<string, string[]>();
  const program = [
    'import { FaceRoster } from "pulumi-rekognition-faces";',
    'new FaceRoster("staff", { collectionId: "progress", manifest: "people.csv", mode: "bulk", shards: 4 });',
    "",
  ].join("\n");
  const writeManifest = (): void => {
    const rows = ["userId,photo"];
    for (const [userId, photos] of people) for (const photo of photos) rows.push(`${userId},${photo}`);
    stack.writeFile("people.csv", rows.join("\n") + "\n");
  };
  const photo = (userId: string, n: number): string => {
    const path = `photos/${userId}-${n}.png`;
    stack.writeFile(path, generatePortrait(userId, n));
    return path;
  };
  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: "progress" }));
    stack = await TestStack.on(local, "bulk-progress", program);
    for (let n = 0; n < 60; n++) {
      const userId = `p${String(n).padStart(2, "0")}`;
      people.set(userId, [photo(userId, 1)]);
    }
    writeManifest();
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("knows the run's total from its first line, and prints exactly one last line", async () => {
    // 60 people at 2 CreateUser a second: 30 s, so lines every 10 s.
    await stack.setConfig({ "rekognition-faces:rateLimits.CreateUser": "2" });
    const created = await stack.up();
    const lines = rosterLines(created);
    const last = lines.filter(([, kept]) => kept);
    expect(last, JSON.stringify(lines)).toHaveLength(1);
    expect(last[0]![0]).toMatch(/^roster: 60\/60 people, calls: .*CreateUser 60.*, throttled: \d+$/);
    expect(last[0]![0]).toMatch(/IndexFaces 60/);
    expect(last[0]![0]).toMatch(/AssociateFaces 60/);
    const periodic = lines.filter(([, kept]) => !kept).map(([line]) => line);
    expect(periodic.length).toBeGreaterThan(0);
    for (const line of periodic) expect(line).toMatch(/^roster: \d+\/60 people, calls: /);
    expect(created.stdout).toContain(last[0]![0]);
  });

  it("a change across several shards ends with one line counting every changed person", async () => {
    const changed = ["p03", "p17", "p28", "p44", "p59"];
    for (const userId of changed) people.get(userId)!.push(photo(userId, 2));
    people.set("newcomer", [photo("newcomer", 1)]);
    writeManifest();
    // One step at a time: each shard starts once the one before has finished, and
    // nothing runs in between.
    const up = await stack.up({ parallel: 1 });
    const last = rosterLines(up).filter(([, kept]) => kept);
    expect(
      last.map(([line]) => line.replace(/, calls: .*/, "")),
      JSON.stringify(rosterLines(up)),
    ).toEqual(["roster: 6/6 people"]);
    expect(last[0]![0]).toMatch(/IndexFaces 6/);
    // No change, no line.
    expect(rosterLines(await stack.up())).toEqual([]);
  });
});

/** Two bulk rosters whose shards have the same places (0/2, 1/2) in one collection, under each host. */
const rosterPair = { staff: "staff.csv", guests: "guests.csv" };
const pairHosts = [
  {
    name: "the dynamic provider host",
    start: (local: LocalRekognition) =>
      TestStack.on(
        local,
        "bulk-progress-pair",
        [
          'import { FaceRoster } from "pulumi-rekognition-faces";',
          ...Object.entries(rosterPair).map(
            ([name, manifest]) =>
              `new FaceRoster("${name}", { collectionId: "pair", manifest: "${manifest}", mode: "bulk", shards: 2 });`,
          ),
          "",
        ].join("\n"),
      ),
    shardType: undefined,
  },
  {
    name: "the provider plugin, in YAML",
    start: (local: LocalRekognition) => {
      ensureYamlHost();
      const rosters = Object.fromEntries(
        Object.entries(rosterPair).map(([name, manifest]) => [
          name,
          {
            type: "rekognition-faces:index:FaceRoster",
            properties: { collectionId: "pair", manifest, mode: "bulk", shards: 2 },
          },
        ]),
      );
      return TestStack.create({
        name: "yaml-progress-pair",
        yaml: pluginYamlProject("yaml-progress-pair", rosters),
        config: local.pluginConfig,
        env: local.env,
      });
    },
    shardType: "rekognition-faces:index:FaceRosterShard",
  },
];

describe.each(pairHosts)("two bulk rosters in one collection, under $name", (host) => {
  let local: LocalRekognition;
  let stack: TestStack;
  const everyone = ["ada", "bob", "cyd", "dan", "eve", "fay", "gus", "hal"];
  const facesInCollection = async (): Promise<string[]> =>
    (
      (await local.client.send(new ListFacesCommand({ CollectionId: "pair", MaxResults: 4096 }))).Faces ?? []
    ).map((f) => f.FaceId!);
  const manifest = (name: string, people: readonly string[]): void => {
    const rows = ["userId,photo"];
    for (const userId of people) {
      stack.writeFile(`photos/${userId}.png`, generatePortrait(userId, 1));
      rows.push(`${userId},photos/${userId}.png`);
    }
    stack.writeFile(name, rows.join("\n") + "\n");
  };

  beforeAll(async () => {
    local = await startLocalRekognition();
    await local.client.send(new CreateCollectionCommand({ CollectionId: "pair" }));
    stack = await host.start(local);
    manifest("staff.csv", everyone.slice(0, 5));
    manifest("guests.csv", everyone.slice(5));
  });
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  it("count as one run: every line knows both rosters' people, and one last line counts them all", async () => {
    const created = await stack.up();
    const lines = rosterLines(created);
    const last = lines.filter(([, kept]) => kept).map(([line]) => line);
    expect(last, JSON.stringify(lines)).toHaveLength(1);
    expect(last[0]).toMatch(/^roster: 8\/8 people, calls: /);
    for (const call of ["CreateUser 8", "IndexFaces 8", "AssociateFaces 8"]) expect(last[0]).toContain(call);
    for (const [line] of lines) expect(line).toMatch(/^roster: \d+\/8 people/);
    // Both rosters' shards record what the collection holds.
    expect(await usersOf(local, "pair")).toEqual(everyone);
    expect(
      [...(await expectRosterMatchesService(stack, local, "pair", { type: host.shardType })).keys()].sort(),
    ).toEqual(everyone);
  });

  it("wait for the faces one roster retires, though the other retires none", async () => {
    stack.writeFile("photos/ada.png", generatePortrait("ada", 2));
    const changed = await stack.up();
    const last = rosterLines(changed)
      .filter(([, kept]) => kept)
      .map(([line]) => line);
    expect(last, JSON.stringify(rosterLines(changed))).toHaveLength(1);
    expect(last[0]).toMatch(/^roster: 1\/1 people, calls: /);
    for (const call of ["IndexFaces 1", "DeleteFaces 1"]) expect(last[0]).toContain(call);
    expect(
      [...(await expectRosterMatchesService(stack, local, "pair", { type: host.shardType })).keys()].sort(),
    ).toEqual(everyone);
    // Ada's old face is gone: one face a person.
    expect(await facesInCollection()).toHaveLength(everyone.length);
  });
});
