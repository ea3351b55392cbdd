import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule } from "../../emulator/index.js";
import { waitForProcessesToEnd } from "../harness/processes.js";
import {
  associateOutOfBand,
  seedRoster,
  startLocalRekognition,
  type LocalRekognition,
} from "../harness/rekognition.js";
import { TestStack } from "../harness/stack.js";
import { expectStateMatchesService, expectUsersHold } from "../harness/truth.js";

const collectionId = "invariant";
const people = ["u1", "u2", "u3", "u4", "u5"];

interface Declaration {
  readonly name: string;
  readonly user: string;
  readonly faces: readonly number[];
  readonly exclusive?: boolean;
  /** Declared inside a component of the program's own. */
  readonly inTeam?: boolean;
}

/**
 * One stack of five users driven through what teams do between two runs:
 * renames, a move into a component, mode switches, fault bursts on each
 * operation, a killed `pulumi up` and refreshes. After every step the state
 * must say what the service holds; once the faults stop, nothing declared is
 * missing and a preview has nothing left to do.
 */
describe("The state tells the truth after every step, whatever happens", () => {
  let local: LocalRekognition;
  let stack: TestStack;
  let faces: Record<string, string[]>;
  let current: Declaration[] = people.map((user) => ({ name: user, user, faces: [0, 1] }));

  const program = (declarations: readonly Declaration[]): string => {
    const line = (d: Declaration, parent: string): string =>
      `new rk.UserFaceAssociation(${JSON.stringify(d.name)}, ${JSON.stringify({
        collectionId,
        userId: d.user,
        faceIds: d.faces.map((n) => faces[d.user]![n]),
        exclusive: d.exclusive ?? false,
        // Faces move between people here: no match threshold stands in the way.
        userMatchThreshold: 0,
      })}${parent});`;
    return [
      'import * as pulumi from "@pulumi/pulumi";',
      'import * as rk from "pulumi-rekognition-faces";',
      "class Team extends pulumi.ComponentResource {",
      '  constructor(name: string) { super("acme:index:Team", name, {}); }',
      "}",
      'const team = new Team("team");',
      ...declarations.map((d) => line(d, d.inTeam ? ", { parent: team }" : "")),
      "",
    ].join("\n");
  };

  const declare = (declarations: Declaration[]): void => {
    current = declarations;
    stack.writeProgram(program(declarations));
  };
  const update = (user: string, change: Partial<Declaration>): Declaration[] =>
    current.map((d) => (d.user === user ? { ...d, ...change } : d));
  const declaredFaces = (): Record<string, string[]> =>
    Object.fromEntries(current.map((d) => [d.user, d.faces.map((n) => faces[d.user]![n]!)]));
  const faulty = (rules: FaultRule[], seed: number) => local.emulator.control.setFaults({ rules, seed });

  beforeAll(async () => {
    local = await startLocalRekognition({ updatingWindowMs: 300 });
    faces = await seedRoster(local, collectionId, people, 5);
    stack = await TestStack.create({
      name: "invariant",
      program: "",
      config: { ...local.config, "aws:maxRetries": "1" },
      env: local.env,
    });
    declare(current);
  });
  afterAll(async () => {
    await local?.emulator.control.setFaults({ rules: [] });
    await stack?.dispose();
    await local?.stop();
  });

  it("creates the roster", async () => {
    await stack.up();
    await expectStateMatchesService(stack, local);
    await expectUsersHold(local, collectionId, declaredFaces());
  });

  it("renames two associations and moves one into a component, with no aliases: nothing is lost", async () => {
    declare(
      update("u1", { name: "u1-renamed" }).map((d) => (d.user === "u2" ? { ...d, name: "u2-renamed" } : d)),
    );
    await stack.up();
    await expectStateMatchesService(stack, local);
    await expectUsersHold(local, collectionId, declaredFaces());

    declare(update("u3", { inTeam: true }));
    await stack.up();
    await expectStateMatchesService(stack, local);
    await expectUsersHold(local, collectionId, declaredFaces());
  });

  it("switches a user to exclusive and back: a face associated another way is removed only in exclusive mode", async () => {
    await associateOutOfBand(local, collectionId, "u4", [faces["u4"]![4]!]);
    declare(update("u4", { exclusive: true }));
    await stack.refresh();
    await expectStateMatchesService(stack, local);
    await stack.up();
    await expectStateMatchesService(stack, local);

    await associateOutOfBand(local, collectionId, "u4", [faces["u4"]![4]!]);
    await stack.refresh();
    await expectStateMatchesService(stack, local);
    declare(update("u4", { exclusive: false }));
    await stack.up();
    await expectStateMatchesService(stack, local);
    // Additive again: the face found another way is left where it is.
    await expectUsersHold(local, collectionId, { u4: [...declaredFaces()["u4"]!, faces["u4"]![4]!] });
  });

  const bursts: { operation: string; kinds: FaultRule["kind"][] }[] = [
    { operation: "DisassociateFaces", kinds: ["server-error", "drop-after", "access-denied"] },
    { operation: "AssociateFaces", kinds: ["server-error", "drop-after", "throttle"] },
    { operation: "ListFaces", kinds: ["access-denied", "drop"] },
    { operation: "ListUsers", kinds: ["access-denied", "server-error"] },
  ];
  bursts.forEach(({ operation, kinds }, step) => {
    it(`keeps the truth through a burst of faults on ${operation}`, async () => {
      // Every user's faces shift by one, and u4 turns exclusive again: each
      // user needs a disassociation, an association and (u4) a listing.
      const next = current.map((d) => ({
        ...d,
        faces: d.faces.map((n) => (n + 1) % 4),
        ...(d.user === "u4" && { exclusive: step % 2 === 0 }),
      }));
      declare(next);
      await faulty(
        kinds.map((kind) => ({ operations: [operation], kind, rate: 0.3 })),
        step + 1,
      );
      await stack.up({ mayFail: true });
      await faulty([], 0);
      await expectStateMatchesService(stack, local, { allowUnsettled: true });
      await stack.refresh();
      await expectStateMatchesService(stack, local);
    });
  });

  it("survives a `pulumi up` killed mid-apply: cancel, refresh, and the state is true again", async () => {
    declare(current.map((d) => ({ ...d, faces: [...new Set([...d.faces, 3])] })));
    await faulty([{ operations: ["AssociateFaces"], kind: "latency", rate: 1, latencyMs: 800 }], 9);
    await local.emulator.control.resetCounters();
    const running = stack.startUp();
    while (((await local.emulator.control.counters()).byOperation["AssociateFaces"] ?? 0) < 2)
      await sleep(50);
    process.kill(-running.child.pid!, "SIGKILL");
    await running.done;
    expect(await waitForProcessesToEnd(stack.dir, 10_000)).toEqual([]);
    await faulty([], 0);
    expect((await stack.pulumi(["cancel", "--yes", "--non-interactive"])).code).toBe(0);
    await stack.refresh();
    await expectStateMatchesService(stack, local);
  });

  it("once the faults stop, one `pulumi up` converges and a preview expects no change", async () => {
    const result = await stack.up();
    expect(result.ok).toBe(true);
    await expectStateMatchesService(stack, local);
    await expectUsersHold(local, collectionId, declaredFaces());
    const preview = await stack.pulumi(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(preview.code, preview.stdout).toBe(0);
  });
});
