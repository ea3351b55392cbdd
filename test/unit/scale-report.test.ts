import { describe, expect, it } from "vitest";
import { parseScaleSizes } from "../../bench/scale-sizes.mts";
import { renderScale } from "../../bench/scale-report.mts";
import { scaleTargets, type TargetRow } from "../../bench/scale-targets.mts";
import type {
  ScaleQuotaRun,
  ScaleResults,
  ScaleSample,
  ScaleSize,
  ScaleStepName,
} from "../../bench/scale-types.mts";

const mib = (n: number) => n * 1024;
function sample(
  step: ScaleStepName,
  wallMs: number,
  made: Record<string, number>,
  memory = { engine: 200, host: 200 },
): ScaleSample {
  return {
    step,
    ok: true,
    wallMs,
    memory: { engineKb: mib(memory.engine), providerHostKb: mib(memory.host), programKb: 0 },
    calls: { made, throttled: {} },
  };
}

/** N=10,000 × 3: create, change and refresh at the minimum, destroy with 11 DeleteFaces where 8 do. */
function tenThousand(memory: { engine: number; host: number }): ScaleSize {
  return {
    n: 10000,
    photosPerPerson: 3,
    photos: 30000,
    checkpointBytes: 2_500_000,
    shards: "default",
    change: { gained: 25, lost: 25, added: 25, removed: 25 },
    before: {
      create: { users: 0, faces: 0 },
      "no-op up": { users: 10000, faces: 30000 },
      "1 % change": { users: 10000, faces: 30000 },
      refresh: { users: 10000, faces: 30000 },
      destroy: { users: 10000, faces: 30000 },
    },
    samples: [
      sample(
        "create",
        100_000,
        { CreateUser: 10000, IndexFaces: 30000, AssociateFaces: 10000, ListUsers: 20, ListFaces: 1 },
        memory,
      ),
      sample("no-op up", 5000, {}),
      sample("no-op up", 5200, {}),
      sample("1 % change", 20_000, {
        CreateUser: 25,
        IndexFaces: 100,
        AssociateFaces: 50,
        DisassociateFaces: 25,
        DeleteFaces: 1,
        DeleteUser: 25,
        ListUsers: 20,
        ListFaces: 8,
      }),
      sample("refresh", 9000, { ListUsers: 20, ListFaces: 8 }),
      sample("destroy", 30_000, { DeleteUser: 10000, DeleteFaces: 11, ListUsers: 20, ListFaces: 8 }),
    ],
    emptyNoop: [sample("no-op up", 3000, {}), sample("no-op up", 3100, {})],
    photosDrawnMs: 0,
  };
}

function fiftyThousand(createMs: number): ScaleSize {
  return {
    n: 50000,
    photosPerPerson: 1,
    photos: 50000,
    checkpointBytes: 6_000_000,
    shards: "default",
    change: { gained: 167, lost: 0, added: 166, removed: 167 },
    before: {},
    samples: [
      sample(
        "create",
        createMs,
        { CreateUser: 50000, IndexFaces: 50000, AssociateFaces: 50000 },
        {
          engine: 300,
          host: 300,
        },
      ),
      sample("no-op up", 10_000, {}),
    ],
    emptyNoop: [sample("no-op up", 3000, {})],
    photosDrawnMs: 0,
  };
}

function quotaRun(name: string, wallMs: number, listUsers: number, n = 1000, factor = 1): ScaleQuotaRun {
  return {
    n,
    photosPerPerson: 3,
    profile: { name, tps: { default: 5 * factor }, enforcedBy: "rekognition-local" },
    factor,
    sample: sample("create", wallMs, {
      CreateUser: 1000,
      IndexFaces: 3000,
      AssociateFaces: 1000,
      ListUsers: listUsers,
    }),
    tMinMs: 600_000,
    bindingOperation: "IndexFaces",
  };
}

function results(sizes: ScaleSize[], quota: ScaleQuotaRun[] = []): ScaleResults {
  return {
    date: "2026-12-03T00:00:00Z",
    command: "node bench/run.ts --scale-sizes 10000,50000x1",
    totalMs: 1,
    sizes,
    quota,
    compare: [],
    notMeasured: [],
    updatingWindowMs: 2000,
  };
}

const row = (rows: TargetRow[], start: string): TargetRow => {
  const found = rows.find((x) => x.target.startsWith(start));
  if (!found)
    throw new Error(`no target row starting '${start}' in ${rows.map((x) => x.target).join(" | ")}`);
  return found;
};

describe("scale sizes", () => {
  it("reads N and NxK, the default photos for plain N", () => {
    expect(parseScaleSizes("1000,10000,50000x1", 3)).toEqual([
      { n: 1000, photos: 3 },
      { n: 10000, photos: 3 },
      { n: 50000, photos: 1 },
    ]);
    expect(parseScaleSizes("200", 2)).toEqual([{ n: 200, photos: 2 }]);
    expect(parseScaleSizes("none", 3)).toEqual([]);
  });

  it("names the item and the form it expects", () => {
    expect(() => parseScaleSizes("1000,50k", 3)).toThrow(
      /--scale-sizes: '50k' is not a size; write N people or NxK/,
    );
    expect(() => parseScaleSizes("100x0", 3)).toThrow(/'100x0'/);
  });
});

describe("targets at a glance", () => {
  it("judges each target from the data", () => {
    const rows = scaleTargets(
      results(
        [tenThousand({ engine: 600, host: 400 }), fiftyThousand(500_000)],
        [quotaRun("uniform", 610_000, 30), quotaRun("mixed", 700_000, 5000)],
      ),
    );
    expect(row(rows, "N=10,000: no-op up").verdict).toBe("met");
    expect(row(rows, "N=10,000: no-op up").measured).toContain("0 calls");
    // The engine peaked at 600 MiB.
    expect(row(rows, "N=10,000: provider host and engine").verdict).toBe("**no**");
    expect(row(rows, "N=10,000: calls = the minimum, create").verdict).toBe("met");
    expect(row(rows, "N=10,000: calls = the minimum, 1 % change").verdict).toBe("met");
    expect(row(rows, "N=10,000: calls = the minimum, refresh").verdict).toBe("met");
    const destroy = row(rows, "N=10,000: calls = the minimum, destroy");
    expect(destroy.verdict).toBe("**no**");
    expect(destroy.measured).toContain("DeleteFaces 11 against DeleteUser 10000, DeleteFaces 8");
    expect(row(rows, "N=10,000 under quota ×10").verdict).toBe("not measured");
    // 2 × (610 s ÷ 1 s) × 2 pages = 2440; mixed: 5000 against 2 × 700 × 2 = 2800.
    const listUsers = row(rows, "N=1,000 under the default quotas: ListUsers");
    expect(listUsers.verdict).toBe("**no**");
    expect(listUsers.measured).toContain("uniform: 30 against ≤ 2440");
    expect(listUsers.measured).toContain("mixed: 5000 against ≤ 2800");
    expect(row(rows, "N=50,000: no-op up").verdict).toBe("**no**");
    expect(row(rows, "N=50,000: provider host and engine").verdict).toBe("met");
    // 500 s against 1.2 × 5 × 100 s.
    expect(row(rows, "N=50,000: first deployment").verdict).toBe("met");
    expect(
      scaleTargets(results([tenThousand({ engine: 300, host: 300 }), fiftyThousand(601_000)])).find((x) =>
        x.target.startsWith("N=50,000: first deployment"),
      )?.verdict,
    ).toBe("**no**");
  });

  it("judges N=10,000 at ten times the quotas, both profiles", () => {
    const at = (quota: ScaleQuotaRun[]) =>
      row(
        scaleTargets(results([tenThousand({ engine: 300, host: 300 })], quota)),
        "N=10,000 under quota ×10",
      );
    const uniform = quotaRun("uniform", 610_000, 30, 10000, 10);
    expect(at([uniform, quotaRun("mixed", 700_000, 30, 10000, 10)])).toMatchObject({
      verdict: "met",
      measured: "uniform: 1.02 (610 s / 600 s); mixed: 1.17 (700 s / 600 s)",
    });
    expect(at([uniform])).toMatchObject({
      verdict: "not measured",
      measured: expect.stringContaining("mixed: not measured"),
    });
    expect(at([uniform, quotaRun("mixed", 730_000, 30, 10000, 10)]).verdict).toBe("**no**");
    // A run at the real quotas is another target.
    expect(at([quotaRun("uniform", 610_000, 30, 10000, 1)]).verdict).toBe("not measured");
  });

  it("says not measured where a size is absent or from another run", () => {
    const rows = scaleTargets(results([tenThousand({ engine: 300, host: 300 })]));
    expect(row(rows, "N=10,000: provider host and engine").verdict).toBe("met");
    for (const start of ["N=50,000: no-op up", "N=50,000: provider host", "N=50,000: first deployment"])
      expect(row(rows, start)).toMatchObject({
        verdict: "not measured",
        measured: expect.stringContaining("N=50,000"),
      });
    expect(row(rows, "N=1,000 under the default quotas").verdict).toBe("not measured");
    const split = scaleTargets(
      results([
        { ...tenThousand({ engine: 300, host: 300 }), run: "run 1" },
        { ...fiftyThousand(1000), run: "run 2" },
      ]),
    );
    expect(row(split, "N=50,000: first deployment")).toMatchObject({
      verdict: "not measured",
      measured: expect.stringContaining("different runs"),
    });
  });
});

describe("the scale section", () => {
  it("reads a results file from before sizes carried photos a person and the checkpoint", () => {
    const old = tenThousand({ engine: 300, host: 300 });
    const { photosPerPerson: _, checkpointBytes: __, ...rest } = old;
    const { markdown } = renderScale(
      { ...results([rest]), updatingWindowMs: undefined, command: "node bench/run.ts --scale-sizes 10000" },
      "x.svg",
    );
    expect(markdown).toContain("| 10000 | 3 | create |");
    // No checkpoint recorded: shown as –, the photos per person as 3.
    expect(markdown).toMatch(/\| 10000 \| 3 \| – \| – \| 5\.\d+ \(/);
    expect(markdown).toContain("UPDATING window 0 ms");
    expect(markdown).toContain("create = N CreateUser + 3N IndexFaces + N");
  });

  it("shows the photos of each size, the checkpoint, and ListUsers against what is allowed", () => {
    const { markdown } = renderScale(
      results([tenThousand({ engine: 300, host: 300 }), fiftyThousand(400_000)]),
      "x.svg",
    );
    expect(markdown).toContain("| 50000 | 1 | create |");
    expect(markdown).toContain("| 10000 | 3 | 2.5 MB | 250 |");
    expect(markdown).toContain("K photos (3 at N=10000, 1 at N=50000)");
    expect(markdown).toContain("UPDATING window 2000 ms, the endpoint's default");
    // Create's 20 ListUsers: one scan of 20 pages, plus 2 × (100 s ÷ 10 s) × 20 pages the waits may poll.
    expect(markdown).toContain("| 10000 | 3 | create | 20 | 20 | 400 | 420 | yes |");
    expect(markdown).toContain("| 10000 | 3 | no-op up | 0 | 0 | 0 | 0 | yes |");
  });
});
