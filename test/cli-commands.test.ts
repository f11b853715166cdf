/**
 * Sub-commands and global options through the real binary (rules, explain, dump, parse, --help,
 * --version), and many files on worker threads.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpusDir, describeWithLighttpd, runLighttpd } from "./helpers/lighttpd.js";
import { assertJsonShape, ensureBuilt, repoRoot, runCli, useTempDirs } from "./cli-helpers.js";
import { fastParse } from "../src/cli/options.js";
import { defaultWorkerCount, workerCount } from "../src/cli/pool.js";

beforeAll(ensureBuilt);

const tmp = useTempDirs();

const CLEAN = 'server.document-root = "/tmp"\nserver.username = "www-data"\nserver.groupname = "www-data"\n';
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };

describe("global options", () => {
  it("--version prints the package version", () => {
    const r = runCli(["--version"]);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.status).toBe(0);
  });

  it("--help lists the commands, every lint option, examples and the exit codes", () => {
    const r = runCli(["--help"]);
    expect(r.status).toBe(0);
    for (const text of [
      "rules",
      "explain <id>",
      "dump <file>",
      "--format",
      "--fix",
      "--diff",
      "--fix-suggestions",
      "--socket-dir",
      "--stdin-filename",
      "--rule",
      "--disable",
      "--config",
      "--no-config",
      "--lighttpd-version",
      "--check-fs",
      "--allow-include-shell",
      "--quiet",
      "--max-warnings",
      "--snippet",
      "--jobs",
      "Examples:",
      "Exit codes: 0",
    ]) {
      expect(r.stdout).toContain(text);
    }
  });
});

describe("rules", () => {
  it("lists every rule with severity, fixability and a description", () => {
    const r = runCli(["rules"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n").slice(1);
    const byId = new Map(lines.map((l) => [l.split(/\s+/)[0], l]));
    expect(byId.get("missing-comma")).toMatch(/^missing-comma\s+error\s+fix\s+\S/);
    expect(byId.get("nul-byte")).toMatch(/^nul-byte\s+error\s+suggestion\s+\S/);
    expect(byId.get("orphan-else")).toMatch(/^orphan-else\s+error\s+-\s+\S/);
    for (const l of lines) expect(l).toMatch(/^[a-z0-9-]+\s+(error|warning|info)\s+(fix|suggestion|-)\s+\S/);
  });
});

describe("explain", () => {
  it("prints a rule's doc page", () => {
    const r = runCli(["explain", "missing-comma"]);
    expect(r.status).toBe(0);
    const doc = path.join(repoRoot, "docs/rules/missing-comma.md");
    if (fs.existsSync(doc)) expect(r.stdout).toBe(fs.readFileSync(doc, "utf8"));
    else expect(r.stdout).toContain("missing-comma");
  });

  it("exits 2 for an unknown rule", () => {
    const r = runCli(["explain", "no-such-rule"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no rule named "no-such-rule"/);
  });
});

describe("dump", () => {
  it("exits 1 with the diagnostics when lighttpd would refuse the file", () => {
    const d = tmp({ "x.conf": CLEAN + "server.modules = (\n" });
    const r = runCli(["dump", "x.conf"], { cwd: d });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/x\.conf:\d+:\d+: error: .*\[syntax-error\]/);
  });

  it("exits 2 for a missing file", () => {
    expect(runCli(["dump", "/nonexistent.conf"]).status).toBe(2);
  });

  it("is read without yargs in its plain form, and by yargs otherwise", () => {
    expect(fastParse(["dump", "x.conf"])).toEqual({ kind: "dump", file: "x.conf", lighttpdVersion: undefined, allowIncludeShell: false });
    expect(fastParse(["dump", "--lighttpd-version=1.4.59", "x.conf", "--allow-include-shell"])).toEqual({
      kind: "dump",
      file: "x.conf",
      lighttpdVersion: "1.4.59",
      allowIncludeShell: true,
    });
    for (const argv of [
      ["dump"],
      ["dump", "a.conf", "b.conf"],
      ["dump", "-"],
      ["dump", "--", "x.conf"],
      ["dump", "x.conf", "--help"],
      ["dump", "x.conf", "--lighttpd-version"],
      ["dump", "x.conf", "--lighttpd-version="],
      ["dump", "x.conf", "--lighttpd-version", "1.4.59", "--lighttpd-version", "1.4.69"],
      ["dump", "x.conf", "--allow-include-shell=true"],
      ["dump", "x.conf", "--lighttpdVersion", "1.4.59"],
    ])
      expect(fastParse(argv), argv.join(" ")).toBeUndefined();
  });

  describeWithLighttpd("dump against lighttpd -p", () => {
    it("prints what lighttpd -p prints for the good example", () => {
      const file = path.join(repoRoot, "examples/good.conf");
      const ours = runCli(["dump", "--lighttpd-version", "1.4.69", file], { cwd: path.dirname(file) });
      const theirs = runLighttpd("-p", file);
      expect(ours.status).toBe(0);
      const noPid = (s: string) => s.replace(/var\.PID(\s+)= \d+/, "var.PID$1= N");
      expect(noPid(ours.stdout)).toBe(noPid(theirs.stdout));
    });
  });
});

describe("parse", () => {
  it("prints the syntax tree as JSON", () => {
    const d = tmp({ "x.conf": CLEAN });
    const r = runCli(["parse", "x.conf"], { cwd: d });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: "x.conf", problems: [] });
  });
});

describe("examples/", () => {
  it("broken-fastcgi.conf shows several classic pitfalls; good.conf is clean", () => {
    const broken = runCli(["-f", "json", "--lighttpd-version", "1.4.69", "examples/broken-fastcgi.conf"]);
    expect(broken.status).toBe(1);
    const parsed: unknown = JSON.parse(broken.stdout);
    assertJsonShape(parsed);
    const ids = new Set(parsed.flatMap((f) => f.diagnostics.map((x) => x.ruleId)));
    expect([...ids]).toEqual(expect.arrayContaining(["missing-comma", "else-if", "dangling-plus"]));
    const good = runCli(["--lighttpd-version", "1.4.69", "examples/good.conf"]);
    expect(good.stdout).toBe("");
    expect(good.status).toBe(0);
  });

  describeWithLighttpd("examples with lighttpd -tt", () => {
    it("lighttpd accepts both (the broken one fails silently, which is the point)", () => {
      for (const f of ["examples/good.conf", "examples/broken-fastcgi.conf"]) {
        const r = runLighttpd("-tt", path.join(repoRoot, f));
        expect(r.status, `${f}: ${r.stderr}`).toBe(0);
      }
      expect(runLighttpd("-tt", path.join(repoRoot, "examples/good.conf")).stderr).toBe("");
    });
  });
});

describe("many files: worker threads", () => {
  function manyConfigs(n: number): string {
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i++)
      files[`site${String(i).padStart(3, "0")}.conf`] =
        i % 3 === 0 ? CLEAN + `server.modules = ( "mod_access" "mod_alias" "mod_setenv" )\nvar.site = ${i}\n` : CLEAN + `server.port = ${8000 + i}\n`;
    return tmp(files);
  }

  it("60 configs are linted on worker threads with the same report as in one thread", () => {
    const d = manyConfigs(60);
    // Asked for: by default a machine of two cores or fewer stays in one thread (pool.ts MIN_CORES_FOR_WORKERS).
    const parallel = runCli(["-f", "json", "--jobs", "2", d], { env: { LIGHTTPD_LINT_DEBUG: "1" } });
    const serial = runCli(["-f", "json", "--jobs", "1", d], { env: { LIGHTTPD_LINT_DEBUG: "1" } });
    expect(parallel.stderr).toMatch(/60 main configs, 2 worker threads\n/);
    expect(parallel.stderr).not.toMatch(/, 0 worker/);
    expect(serial.stderr).toMatch(/60 main configs, 0 worker threads\n/);
    expect(parallel.stdout).toBe(serial.stdout);
    expect(parallel.status).toBe(1);
    const files: unknown = JSON.parse(parallel.stdout);
    assertJsonShape(files);
    expect(files).toHaveLength(60);
    expect(files.filter((f) => f.diagnostics.some((x) => x.ruleId === "missing-comma"))).toHaveLength(20);
  });

  it("by default, workers only from 50 configs on and on more than two cores", () => {
    expect([defaultWorkerCount(49, 16), defaultWorkerCount(50, 2), defaultWorkerCount(50, 3), defaultWorkerCount(400, 16)]).toEqual([0, 0, 2, 8]);
    expect([workerCount(60, 1), workerCount(60, 2), workerCount(3, 8)]).toEqual([0, 2, 3]);
  });

  it("a few configs stay in this thread (start-up matters more)", () => {
    const d = manyConfigs(5);
    expect(runCli([d], { env: { LIGHTTPD_LINT_DEBUG: "1" } }).stderr).toMatch(/5 main configs, 0 worker threads/);
  });

  it("--fix works on worker threads", () => {
    const d = manyConfigs(60);
    const r = runCli(["--fix", "--jobs", "2", d], { env: { LIGHTTPD_LINT_DEBUG: "1" } });
    expect(r.stderr).not.toMatch(/, 0 worker/);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(d, "site003.conf"), "utf8")).toContain('( "mod_access", "mod_alias", "mod_setenv" )');
  });

  it.skipIf(!fs.existsSync(path.join(corpusDir, "wild")))("the wild corpus directory (~140 configs) gives the same JSON on workers and in one thread", () => {
    const dir = path.join(corpusDir, "wild");
    const parallel = runCli(["-f", "json", "--lighttpd-version", "1.4.69", "--jobs", "2", dir], { env: { LIGHTTPD_LINT_DEBUG: "1" } });
    const serial = runCli(["-f", "json", "--lighttpd-version", "1.4.69", "--jobs", "1", dir]);
    expect(parallel.stderr).not.toMatch(/, 0 worker/);
    expect([0, 1]).toContain(parallel.status);
    const files: unknown = JSON.parse(parallel.stdout);
    assertJsonShape(files);
    expect(parallel.stdout).toBe(serial.stdout);
  });
});
