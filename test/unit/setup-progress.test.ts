// The setup's slow steps (the Pulumi CLI's Go build, the botocore venv) must
// say what they do while they do it. Real child processes stand in for the
// tools: `node -e` children that print and sleep, and a `go` on PATH that
// behaves like the real one's slow and failing runs, without its minutes.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");
const progressModule = join(root, "scripts", "build-progress.mjs");
const scratch = mkdtempSync(join(tmpdir(), "setup-progress-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, cwd: root });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stderr }));
  });
}

/** A child that prints `lines` (one every `ms`) and exits with `exit`. */
function slowChild(lines: string[], ms: number, exit = 0) {
  const script =
    `const lines = ${JSON.stringify(lines)};` +
    `let i = 0; const t = setInterval(() => {` +
    ` if (i < lines.length) { console.error(lines[i++]); return; }` +
    ` clearInterval(t); process.exit(${exit}); }, ${ms});`;
  return { command: process.execPath, args: ["-e", script] };
}

/** Runs the setup's reporting in its own process, as the scripts do. */
function runBuild(logPath: string, steps: object[], env: NodeJS.ProcessEnv = {}) {
  const driver =
    `import { runSteps } from ${JSON.stringify(progressModule)};\n` +
    `try {\n` +
    `  await runSteps(${JSON.stringify({
      tag: "tool",
      announce: "building the widget into /opt/widget: about 1 s",
      logPath,
      retry: "npm run widget",
      steps,
    })});\n` +
    `} catch (err) { process.stderr.write("tool: " + err.message + "\\n"); process.exit(1); }\n`;
  return run(["--input-type=module", "-e", driver], { SETUP_HEARTBEAT_SECONDS: "0.2", ...env });
}

const modules = Array.from({ length: 8 }, (_, i) => `go: downloading example.com/m${i} v1.0.${i}`);

describe("a setup step with a log file and heartbeats", () => {
  it("says up front what it builds and where it logs, beats with phase and time, and logs the tools' output", async () => {
    const logPath = join(scratch, "ok", "build.log");
    const result = await runBuild(logPath, [
      {
        phase: "downloading modules",
        ...slowChild(modules, 150),
        count: { pattern: /^go: downloading /.source, noun: "modules downloaded" },
      },
      { phase: "compiling widget", ...slowChild(["example.com/m0", "widget"], 400) },
    ]);
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe(
      `tool: building the widget into /opt/widget: about 1 s; its output goes to ${logPath}`,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^tool: still downloading modules, modules downloaded so far: [1-8] \(\d+ s elapsed\)$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^tool: still compiling widget \(\d+ s elapsed\)$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^tool: downloading modules: done in \d+ s \(modules downloaded: 8\)$/),
    );
    expect(lines.at(-1)).toMatch(/^tool: compiling widget: done in \d+ s$/);
    // The tools' output is in the log, in order, and not on the terminal.
    expect(result.stderr).not.toContain("go: downloading");
    const log = readFileSync(logPath, "utf8");
    for (const line of [...modules, "example.com/m0", "widget"]) expect(log).toContain(`${line}\n`);
    expect(log.indexOf(modules[7]!)).toBeLessThan(log.indexOf("==> compiling widget"));
  });

  it("on failure names the step, the exit code, the log and the retry, and shows the log's last 30 lines", async () => {
    const logPath = join(scratch, "fail", "build.log");
    const output = Array.from({ length: 40 }, (_, i) => `error line ${i + 1}`);
    const result = await runBuild(logPath, [
      { phase: "compiling widget", ...slowChild(output, 10, 3) },
      { phase: "never reached", ...slowChild(["unreachable"], 10) },
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^tool: compiling widget failed \\(\`.+\` exited with 3\\) after \\d+ s\\. ` +
          `The full output is in ${logPath.replace(/[.]/g, "\\.")}: fix the cause it shows and run ` +
          "`npm run widget` again\\. Its last 30 lines:$",
        "m",
      ),
    );
    expect(result.stderr).toContain("    error line 40\n");
    expect(result.stderr).toContain("    error line 11\n");
    expect(result.stderr).not.toContain("error line 10\n");
    expect(result.stderr).not.toContain("never reached");
    expect(readFileSync(logPath, "utf8")).toContain("error line 1\n");
  });

  it("reports a tool that cannot be started, with the log", async () => {
    const logPath = join(scratch, "missing", "build.log");
    const result = await runBuild(logPath, [
      { phase: "compiling widget", command: "no-such-tool-on-path", args: [] },
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "tool: compiling widget failed (could not start `no-such-tool-on-path`: spawn no-such-tool-on-path ENOENT)",
    );
    expect(result.stderr).toContain(`The full output is in ${logPath}`);
  });

  it("refuses a heartbeat interval that is not a positive number, naming the variable and the fix", async () => {
    const result = await runBuild(join(scratch, "bad", "build.log"), [], { SETUP_HEARTBEAT_SECONDS: "soon" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "SETUP_HEARTBEAT_SECONDS is 'soon': set it to a positive number of seconds (e.g. 15), or unset it",
    );
  });
});

/**
 * A `go` that downloads slowly, then builds (`exit 0`) or fails (`exit 1`).
 * It appends each command line, with CGO_ENABLED, to `go.calls` beside it.
 */
function fakeGo(dir: string, build: "ok" | "fail") {
  const go = join(dir, "go");
  writeFileSync(
    go,
    `#!/bin/sh
echo "CGO_ENABLED=$CGO_ENABLED go $*" >> "${join(dir, "go.calls")}"
case "$1" in
  version) echo "go version go1.26.8 linux/amd64"; exit 0 ;;
  list) for m in a b c; do echo "go: downloading example.com/$m v1.0.0" >&2; sleep 0.2; done
        echo example.com/a; exit 0 ;;
  build) while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
         echo "example.com/a"; sleep 0.5
         ${
           build === "fail"
             ? `echo "cmd/pulumi/main.go:12:2: undefined: frobnicate" >&2; exit 1`
             : `printf '#!/bin/sh\\necho v3.259.0\\n' > "$out"; chmod +x "$out"; exit 0`
         } ;;
esac
exit 2
`,
  );
  chmodSync(go, 0o755);
}

describe("scripts/ensure-pulumi-cli.mjs building with Go", () => {
  const version = "3.259.0";

  it("announces the build with its expected time, beats, and fills the folder the launcher reads", async () => {
    const home = mkdtempSync(join(scratch, "home-ok-"));
    fakeGo(home, "ok");
    const result = await run(["scripts/ensure-pulumi-cli.mjs"], {
      PULUMI_HOME: home,
      PATH: `${home}:${process.env.PATH}`,
      SETUP_HEARTBEAT_SECONDS: "0.2",
    });
    const binDir = join(home, "versions", version, "bin");
    const logPath = join(home, "versions", version, "build.log");
    expect(result.stderr).toMatch(
      new RegExp(
        `^pulumi-cli: building the Pulumi CLI v${version} from its Go modules, the Node\\.js language host, ` +
          `and the dynamic provider launcher into ${binDir}: about 3-7 minutes on 2 cores the first time ` +
          `\\(later runs take about a second\\); its output goes to ${logPath}\n`,
      ),
    );
    expect(result.stderr).toMatch(
      /^pulumi-cli: still downloading Go modules, modules downloaded so far: [0-3] \(\d+ s elapsed\)$/m,
    );
    expect(result.stderr).toMatch(
      /^pulumi-cli: still compiling pulumi \(the CLI\), packages compiled so far: [01] \(\d+ s elapsed\)$/m,
    );
    expect(result.stderr).toMatch(/^pulumi-cli: ready: .+$/m);
    expect(result.code).toBe(0);
    for (const file of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      expect(existsSync(join(binDir, file))).toBe(true);
    }
    expect(readFileSync(logPath, "utf8")).toContain("go: downloading example.com/c v1.0.0\n");

    // A second run finds everything in place and says nothing.
    const again = await run(["scripts/ensure-pulumi-cli.mjs"], {
      PULUMI_HOME: home,
      PATH: `${home}:${process.env.PATH}`,
      SETUP_HEARTBEAT_SECONDS: "0.2",
    });
    expect(again).toEqual({ code: 0, stderr: "" });
  });

  it("fails with a non-zero exit, the log's path and its end when go build fails", async () => {
    const home = mkdtempSync(join(scratch, "home-fail-"));
    fakeGo(home, "fail");
    const result = await run(["scripts/ensure-pulumi-cli.mjs"], {
      PULUMI_HOME: home,
      PATH: `${home}:${process.env.PATH}`,
      SETUP_HEARTBEAT_SECONDS: "0.2",
    });
    const logPath = join(home, "versions", version, "build.log");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`pulumi-cli: compiling pulumi (the CLI) failed (\`go build -v -trimpath`);
    expect(result.stderr).toContain(
      `The full output is in ${logPath}: fix the cause it shows and run \`npm run pulumi:cli\` again.`,
    );
    expect(result.stderr).toContain("    cmd/pulumi/main.go:12:2: undefined: frobnicate\n");
    // Nothing half-built is left where the launcher looks.
    expect(existsSync(join(home, "versions", version, "bin", "pulumi"))).toBe(false);
  });
});

describe("scripts/ensure-yaml-host.mjs building the YAML language host with Go", () => {
  const version = "3.259.0";
  const yamlVersion = /^\s*github\.com\/pulumi\/pulumi-yaml (v\S+)/m.exec(
    readFileSync(join(root, "scripts", "pulumi-yaml", "go.mod"), "utf8"),
  )?.[1];

  function ensureHost(home: string) {
    return run(["scripts/ensure-yaml-host.mjs"], {
      PULUMI_HOME: home,
      PATH: `${home}:${process.env.PATH}`,
      SETUP_HEARTBEAT_SECONDS: "0.2",
    });
  }

  it("pins pulumi-yaml v1.25.0 in its own Go module", () => {
    expect(yamlVersion).toBe("v1.25.0");
  });

  it("announces the build, beats, builds beside the CLI with the pinned version stamped in, and does it once", async () => {
    const home = mkdtempSync(join(scratch, "yaml-ok-"));
    fakeGo(home, "ok");
    const result = await ensureHost(home);
    const binDir = join(home, "versions", version, "bin");
    const host = join(binDir, "pulumi-language-yaml");
    const logPath = join(home, "versions", version, "build-yaml.log");
    expect(result.stderr).toMatch(
      new RegExp(
        `^pulumi-yaml: building the YAML language host \\(pulumi-language-yaml ${yamlVersion}\\) from its Go modules ` +
          `into ${binDir}: about \\d+-\\d+ minutes on 2 cores the first time \\(later runs do nothing\\); ` +
          `its output goes to ${logPath}\n`,
      ),
    );
    expect(result.stderr).toMatch(
      /^pulumi-yaml: still downloading Go modules, modules downloaded so far: [0-3] \(\d+ s elapsed\)$/m,
    );
    expect(result.stderr).toMatch(
      /^pulumi-yaml: still compiling pulumi-language-yaml, packages compiled so far: [01] \(\d+ s elapsed\)$/m,
    );
    expect(result.stderr).toMatch(/^pulumi-yaml: built in \d+ s$/m);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(`pulumi-yaml: ready: ${host}`);
    expect(result.code).toBe(0);
    expect(existsSync(host)).toBe(true);
    expect(readFileSync(logPath, "utf8")).toContain("go: downloading example.com/c v1.0.0\n");
    // Built as pulumi-yaml's releases are (static, stripped, its version stamped in), into a
    // scratch folder beside the CLI's and then renamed into place.
    const calls = readFileSync(join(home, "go.calls"), "utf8");
    const escape = (text: string) => text.replace(/[.\\/]/g, (c) => `\\${c}`);
    expect(calls).toMatch(
      new RegExp(
        "^CGO_ENABLED=0 go build -v -trimpath -ldflags -s -w " +
          escape(`-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${yamlVersion}`) +
          ` -o ${escape(join(home, "versions", version))}/\\.build-\\w+/\\S+ ` +
          `${escape("github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml")}$`,
        "m",
      ),
    );

    // A second run finds the host built from the same pins and does nothing, not even call Go.
    const again = await ensureHost(home);
    expect(again).toEqual({ code: 0, stderr: "" });
    expect(readFileSync(join(home, "go.calls"), "utf8")).toBe(calls);
  });

  it("rebuilds a host built from other pins, and leaves a downloaded release's own host alone", async () => {
    const home = mkdtempSync(join(scratch, "yaml-stale-"));
    fakeGo(home, "ok");
    const host = join(home, "versions", version, "bin", "pulumi-language-yaml");
    expect((await ensureHost(home)).code).toBe(0);
    writeFileSync(`${host}.source-sha256`, "a hash of other pins");
    const rebuilt = await ensureHost(home);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/^pulumi-yaml: building the YAML language host /);

    // A host without the stamp came with a downloaded release.
    rmSync(`${host}.source-sha256`);
    writeFileSync(host, "the official host");
    expect(await ensureHost(home)).toEqual({ code: 0, stderr: "" });
    expect(readFileSync(host, "utf8")).toBe("the official host");
  });

  it("fails with a non-zero exit, the log's path and its end when go build fails, leaving no host", async () => {
    const home = mkdtempSync(join(scratch, "yaml-fail-"));
    fakeGo(home, "fail");
    const result = await ensureHost(home);
    const logPath = join(home, "versions", version, "build-yaml.log");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `pulumi-yaml: compiling pulumi-language-yaml failed (\`go build -v -trimpath`,
    );
    expect(result.stderr).toContain(
      `The full output is in ${logPath}: fix the cause it shows and run \`npm run pulumi:yaml\` again.`,
    );
    expect(result.stderr).toContain("    cmd/pulumi/main.go:12:2: undefined: frobnicate\n");
    expect(existsSync(join(home, "versions", version, "bin", "pulumi-language-yaml"))).toBe(false);
  });
});
