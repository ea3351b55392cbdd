import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import {
  CreateCollectionCommand,
  DescribeCollectionCommand,
  ListCollectionsCommand,
} from "@aws-sdk/client-rekognition";
import { describe, expect, test } from "vitest";
import { parseQuotaConfig, parseQuotaFlag, Quota, quotaTps } from "../../emulator/control/quota.js";
import { startEmulator } from "../../emulator/index.js";
import { clientFor } from "./helpers.js";

/** How many of `n` requests at the same instant the quota admits. */
const admitted = (quota: Quota, operation: string, n: number, now = 0) =>
  Array.from({ length: n }, () => quota.take(operation, now)).filter(Boolean).length;

describe("a per-operation quota profile", () => {
  test("--quota TPS applies one rate to every operation, as before", () => {
    expect(parseQuotaFlag("5")).toEqual({ perOperationTps: 5 });
    expect(parseQuotaFlag("0.5")).toEqual({ perOperationTps: 0.5 });
  });

  test("--quota default=…,OP=… gives named operations their own rate", () => {
    const config = parseQuotaFlag("default=5,IndexFaces=50,SearchFacesByImage=50,SearchUsers=50,ListFaces=0");
    expect(config).toEqual({
      perOperationTps: 5,
      byOperation: { IndexFaces: 50, SearchFacesByImage: 50, SearchUsers: 50, ListFaces: 0 },
    });
    expect(quotaTps(config, "IndexFaces")).toBe(50);
    expect(quotaTps(config, "CreateUser")).toBe(5);
    expect(quotaTps(config, "ListFaces")).toBeUndefined();
    // Without default, only the named operations are limited.
    const only = parseQuotaFlag("AssociateFaces=2");
    expect(quotaTps(only, "AssociateFaces")).toBe(2);
    expect(quotaTps(only, "CreateUser")).toBeUndefined();
  });

  test("a flag it cannot use names the part and the fix", () => {
    expect(() => parseQuotaFlag("0")).toThrow(/--quota must be a positive number, got "0": --quota takes/);
    expect(() => parseQuotaFlag("fast")).toThrow(/--quota must be a positive number, got "fast"/);
    expect(() => parseQuotaFlag("default=5,IndexFace=50")).toThrow(
      /--quota: unknown operation "IndexFace"; valid: .*IndexFaces/,
    );
    expect(() => parseQuotaFlag("default=5,IndexFaces")).toThrow(/"IndexFaces" where NAME=TPS is expected/);
    expect(() => parseQuotaFlag("default=0")).toThrow(/--quota default must be a positive number/);
    expect(() => parseQuotaFlag("IndexFaces=-1")).toThrow(/--quota IndexFaces must be a non-negative number/);
  });

  test("each operation's bucket holds its own rate as burst and refills at it", () => {
    const quota = new Quota();
    quota.set({ perOperationTps: 2, byOperation: { IndexFaces: 10 } });
    expect(admitted(quota, "IndexFaces", 15)).toBe(10);
    expect(admitted(quota, "CreateUser", 15)).toBe(2);
    expect(admitted(quota, "IndexFaces", 15, 500)).toBe(5);
    expect(admitted(quota, "CreateUser", 15, 500)).toBe(1);
    // The old shape still works: one rate, for the listed operations only.
    quota.set({ perOperationTps: 3, operations: ["ListUsers"] });
    expect(admitted(quota, "ListUsers", 10)).toBe(3);
    expect(admitted(quota, "CreateUser", 10)).toBe(10);
  });

  test("the operator API and startEmulator check a profile", async () => {
    expect(parseQuotaConfig({ byOperation: { IndexFaces: 50 } })).toEqual({
      byOperation: { IndexFaces: 50 },
    });
    expect(() => parseQuotaConfig({ byOperation: { Nope: 1 } })).toThrow(/unknown operation "Nope"/);
    expect(() => parseQuotaConfig({ perOperationTps: 5, byOperation: { IndexFaces: "50" } })).toThrow(
      /byOperation.IndexFaces must be a number/,
    );
    await expect(startEmulator({ quota: { perOperationTps: -1 } })).rejects.toThrow(/positive/);
  });

  test("over HTTP, a profile set at start-up refuses only what is over each operation's rate", async () => {
    const emu = await startEmulator({ quota: { perOperationTps: 2, byOperation: { ListCollections: 50 } } });
    const client = clientFor(emu, { maxAttempts: 1 });
    try {
      await client.send(new CreateCollectionCommand({ CollectionId: "c" }));
      const settle = (p: Promise<unknown>[]) => Promise.allSettled(p);
      const lists = await settle(
        Array.from({ length: 20 }, () => client.send(new ListCollectionsCommand({}))),
      );
      const describes = await settle(
        Array.from({ length: 10 }, () => client.send(new DescribeCollectionCommand({ CollectionId: "c" }))),
      );
      expect(lists.every((r) => r.status === "fulfilled")).toBe(true);
      const refused = describes.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(refused.length).toBeGreaterThanOrEqual(6);
      for (const r of refused)
        expect((r.reason as Error).name).toBe("ProvisionedThroughputExceededException");
      expect((await emu.control.counters()).throttled).toBe(refused.length);
      const shown = await (await fetch(`${emu.endpoint}/_emulator/quota`)).json();
      expect(shown).toEqual({ perOperationTps: 2, byOperation: { ListCollections: 50 } });
    } finally {
      client.destroy();
      await emu.stop();
    }
  });

  test("the command's help shows the profile form", () => {
    const cli = resolve(__dirname, "../../dist/emulator/cli.js");
    const help = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
    expect(help.stdout).toContain("--quota default=TPS,OP=TPS");
  });
});
