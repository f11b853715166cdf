/**
 * The ESLint/Ruff-shaped options (issue 17): --select/--ignore, --output-file, --statistics,
 * --exit-zero, --failure-threshold, globs, recursive directories, --exclude, `-`, rules --format
 * json, --print-config, did-you-mean, colours. Through the real binary.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli, useTempDirs, type JsonFile } from "./cli-helpers.js";
import { colorEnabled } from "../src/cli/run-lint.js";

beforeAll(ensureBuilt);
const tmp = useTempDirs();

const CLEAN = 'server.document-root = "/tmp"\nserver.port = 8080\nserver.username = "www-data"\nserver.groupname = "www-data"\n';
const MISSING_COMMA = CLEAN + 'server.modules = ( "mod_access" "mod_alias" )\n';
/** One info (debug-enabled) and one warning (socket-in-tmp). */
const INFO_AND_WARNING =
  CLEAN +
  'debug.log-request-handling = "enable"\nserver.modules = ( "mod_fastcgi" )\nfastcgi.server = ( ".php" => (( "socket" => "/tmp/php.sock", "bin-path" => "/usr/bin/php-cgi" )))\n';
const ids = (stdout: string) => (JSON.parse(stdout) as JsonFile[]).flatMap((f) => f.diagnostics.map((d) => d.ruleId)).sort();
const names = (stdout: string) => (JSON.parse(stdout) as JsonFile[]).map((f) => f.filePath);

describe("--select / --ignore", () => {
  it("select by rule id runs only that rule; ignore by id drops it", () => {
    const d = tmp({ "x.conf": INFO_AND_WARNING });
    expect(ids(runCli(["-f", "json", "x.conf"], { cwd: d }).stdout)).toEqual(["debug-enabled", "socket-in-tmp"]);
    expect(ids(runCli(["-f", "json", "--select", "debug-enabled", "x.conf"], { cwd: d }).stdout)).toEqual(["debug-enabled"]);
    expect(ids(runCli(["-f", "json", "--ignore", "debug-enabled", "x.conf"], { cwd: d }).stdout)).toEqual(["socket-in-tmp"]);
  });

  it("selects by tag (fixable) and comma lists; ignore wins over select", () => {
    const d = tmp({ "x.conf": INFO_AND_WARNING });
    expect(ids(runCli(["-f", "json", "--select", "fixable", "x.conf"], { cwd: d }).stdout)).toEqual(["socket-in-tmp"]);
    expect(ids(runCli(["-f", "json", "--select", "socket-in-tmp,debug-enabled", "--ignore", "socket-in-tmp", "x.conf"], { cwd: d }).stdout)).toEqual(["debug-enabled"]);
  });

  it("selects by effect: only rules that declare it", () => {
    const d = tmp({ "x.conf": MISSING_COMMA });
    const rules = JSON.parse(runCli(["rules", "--format", "json"]).stdout) as { id: string; effect: string | null }[];
    const effect = rules.find((r) => r.id === "missing-comma")?.effect;
    const r = runCli(["-f", "json", "--select", "risk", "x.conf"], { cwd: d });
    expect(r.status).toBe(effect === "risk" ? 1 : 0);
    expect(ids(r.stdout).includes("missing-comma")).toBe(effect === "risk");
  });

  it("an unknown selector is a usage error with a suggestion", () => {
    const r = runCli(["--select", "rsk", "x.conf"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did you mean "risk"');
    const r2 = runCli(["--ignore", "socket-in-tm", "x.conf"]);
    expect(r2.stderr).toContain('did you mean "socket-in-tmp"');
  });

  it("a suppression of a rule that does not run is not reported as unused", () => {
    const d = tmp({ "x.conf": CLEAN + '# lighttpd-lint-disable-next-line debug-enabled -- testing\ndebug.log-request-handling = "enable"\n' });
    expect(ids(runCli(["-f", "json", "--ignore", "debug-enabled", "x.conf"], { cwd: d }).stdout)).toEqual([]);
  });
});

describe("exit codes", () => {
  it("--failure-threshold: error (default) passes warnings, warning fails on them, info fails on infos", () => {
    const d = tmp({ "w.conf": INFO_AND_WARNING, "i.conf": CLEAN + 'debug.log-request-handling = "enable"\n' });
    expect(runCli(["w.conf"], { cwd: d }).status).toBe(0);
    expect(runCli(["--failure-threshold", "warning", "w.conf"], { cwd: d }).status).toBe(1);
    expect(runCli(["--failure-threshold", "warning", "i.conf"], { cwd: d }).status).toBe(0);
    expect(runCli(["--failure-threshold", "info", "i.conf"], { cwd: d }).status).toBe(1);
    expect(runCli(["--failure-threshold", "fatal", "i.conf"], { cwd: d }).status).toBe(2);
  });

  it("--exit-zero exits 0 with errors, still 2 for a missing file", () => {
    const d = tmp({ "x.conf": MISSING_COMMA });
    expect(runCli(["x.conf"], { cwd: d }).status).toBe(1);
    const r = runCli(["--exit-zero", "x.conf"], { cwd: d });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("missing-comma");
    expect(runCli(["--exit-zero", "nope.conf"], { cwd: d }).status).toBe(2);
  });
});

describe("--output-file and --statistics", () => {
  it("--output-file writes the report there, without colour, and nothing to stdout", () => {
    const d = tmp({ "x.conf": MISSING_COMMA });
    const r = runCli(["-o", "out.json", "-f", "json", "x.conf"], { cwd: d, env: { FORCE_COLOR: "1", NO_COLOR: undefined } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(ids(fs.readFileSync(path.join(d, "out.json"), "utf8"))).toEqual(["missing-comma"]);
    runCli(["--output-file", "out.txt", "x.conf"], { cwd: d, env: { FORCE_COLOR: "1", NO_COLOR: undefined } });
    const text = fs.readFileSync(path.join(d, "out.txt"), "utf8");
    expect(text).toContain("missing-comma");
    expect(text).not.toContain("\x1b[");
  });

  it("--statistics counts findings per rule, as text or JSON", () => {
    const d = tmp({ "x.conf": INFO_AND_WARNING + 'server.modules += ( "mod_access" "mod_alias" )\n' });
    const r = runCli(["--statistics", "x.conf"], { cwd: d });
    expect(r.status).toBe(1);
    expect(
      r.stdout
        .trimEnd()
        .split("\n")
        .map((l) => l.trim().split(/\s+/).slice(0, 3)),
    ).toEqual(
      expect.arrayContaining([
        ["1", "error", "missing-comma"],
        ["1", "warning", "socket-in-tmp"],
        ["1", "info", "debug-enabled"],
      ]),
    );
    const j = JSON.parse(runCli(["--statistics", "-f", "json", "x.conf"], { cwd: d }).stdout) as { rule: string; count: number }[];
    expect(j.find((x) => x.rule === "missing-comma")?.count).toBe(1);
    expect(runCli(["--statistics", "-f", "sarif", "x.conf"], { cwd: d }).status).toBe(2);
  });
});

describe("paths: globs, directories, --exclude, -", () => {
  it("a quoted glob expands to the files it matches", () => {
    const d = tmp({ "sites/a.conf": CLEAN, "sites/b.conf": MISSING_COMMA, "sites/c.txt": "x" });
    const r = runCli(["-f", "json", "sites/*.conf"], { cwd: d });
    expect(names(r.stdout).map((f) => path.relative(d, f))).toEqual([path.join("sites", "a.conf"), path.join("sites", "b.conf")]);
    expect(runCli(["nothing/*.conf"], { cwd: d }).stderr).toMatch(/no file matches/);
  });

  it("a directory is searched recursively for lighttpd.conf and *.conf under lighttpd directories, not other programs' .conf files", () => {
    const d = tmp({
      "top.conf": CLEAN,
      "hosts/a/lighttpd.conf": CLEAN + 'include "conf.d/*.conf"\n',
      "hosts/a/conf.d/x.conf": 'server.tag = "a"\n',
      "etc/lighttpd/extra.conf": CLEAN,
      "etc/nginx/nginx.conf": "events {}\n",
      "node_modules/lighttpd/lighttpd.conf": CLEAN,
    });
    const r = runCli(["-f", "json", "."], { cwd: d });
    const mains = names(r.stdout).map((f) => path.relative(d, f));
    expect(mains).toEqual(expect.arrayContaining(["top.conf", path.join("hosts", "a", "lighttpd.conf"), path.join("etc", "lighttpd", "extra.conf")]));
    expect(mains).not.toContain(path.join("etc", "nginx", "nginx.conf"));
    expect(mains.some((m) => m.startsWith("node_modules"))).toBe(false);
    // conf.d/x.conf is there only as the include of hosts/a/lighttpd.conf
    const r2 = runCli(["-f", "json", "--exclude", "hosts", "."], { cwd: d });
    expect(
      names(r2.stdout)
        .map((f) => path.relative(d, f))
        .some((m) => m.startsWith("hosts")),
    ).toBe(false);
  });

  it("--exclude drops a given file; excluding everything is an error", () => {
    const d = tmp({ "a.conf": CLEAN, "b.conf": MISSING_COMMA });
    const r = runCli(["-f", "json", "--exclude", "b.conf", "a.conf", "b.conf"], { cwd: d });
    expect(names(r.stdout).map((f) => path.basename(f))).toEqual(["a.conf"]);
    expect(r.status).toBe(0);
    expect(runCli(["--exclude", "*.conf", "."], { cwd: d }).status).toBe(2);
  });

  it("- reads standard input, alone only", () => {
    const r = runCli(["-f", "json", "-"], { input: MISSING_COMMA });
    expect(ids(r.stdout)).toEqual(["missing-comma"]);
    expect(names(r.stdout)).toEqual(["<stdin>"]);
    expect(runCli(["-", "x.conf"], { input: CLEAN }).status).toBe(2);
  });
});

describe("rules --format json, --print-config, did-you-mean", () => {
  it("rules --format json lists every rule with its metadata", () => {
    const r = runCli(["rules", "--format", "json"]);
    expect(r.status).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; severity: string; fixable: unknown; docs: string; tags: string[] }[];
    const text = runCli(["rules"])
      .stdout.trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(/\s+/)[0]);
    expect(rules.map((x) => x.id)).toEqual(text);
    expect(rules.find((x) => x.id === "missing-comma")).toMatchObject({ severity: "error", fixable: "fix" });
  });

  it("--print-config shows the file's effective settings: config file, CLI options on top", () => {
    const d = tmp({ ".lighttpd-lint.json": JSON.stringify({ lighttpdVersion: "1.4.59", rules: { "debug-enabled": "off" } }), "x.conf": CLEAN });
    const r = runCli(["--print-config", "x.conf", "--rule", "socket-in-tmp:error", "--ignore", "missing-comma"], { cwd: d });
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.configFile).toBe(path.join(fs.realpathSync(d), ".lighttpd-lint.json").replace(fs.realpathSync(d), d));
    expect(c.lighttpdVersion).toBe("1.4.59");
    expect(c.rules["debug-enabled"]).toBe("off");
    expect(c.rules["socket-in-tmp"]).toBe("error");
    expect(c.rules["missing-comma"]).toBe("off");
  });

  it("a mistyped sub-command is not read as a file; a real file of that name is", () => {
    const r = runCli(["complet"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "complet"; did you mean "completion"?');
    const d = tmp({ complet: CLEAN });
    expect(runCli(["complet"], { cwd: d }).status).toBe(0);
    expect(runCli(["explain", "socket-in-tm"]).stderr).toContain('did you mean "socket-in-tmp"');
    expect(runCli(["--disable", "socket-in-tm", "x.conf"]).stderr).toContain('did you mean "socket-in-tmp"');
    const o = runCli(["--selcet", "x", "x.conf"]);
    expect(o.status).toBe(2);
    expect(o.stderr).toContain("did you mean --select?");
  });
});

describe("help and completion", () => {
  it("--help lists the new options and formats; completion prints a shell script", () => {
    const r = runCli(["--help"]);
    for (const t of [
      "--select",
      "--ignore",
      "--exclude",
      "--output-file",
      "--statistics",
      "--exit-zero",
      "--failure-threshold",
      "--baseline",
      "--write-baseline",
      "--print-config",
      "gitlab",
      "junit",
      "checkstyle",
      "completion",
    ])
      expect(r.stdout).toContain(t);
    const c = runCli(["completion"]);
    expect(c.status).toBe(0);
    expect(c.stdout).toMatch(/lighttpd-lint/);
    expect(c.stdout).toMatch(/complete|compdef/);
  });
});

describe("colour", () => {
  it("--color/--no-color win, then FORCE_COLOR, NO_COLOR, TERM=dumb, then the terminal", () => {
    expect(colorEnabled(true, false, { NO_COLOR: "1" })).toBe(true);
    expect(colorEnabled(false, true, { FORCE_COLOR: "1" })).toBe(false);
    expect(colorEnabled(undefined, false, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled(undefined, true, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled(undefined, true, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(undefined, true, { TERM: "dumb" })).toBe(false);
    expect(colorEnabled(undefined, true, {})).toBe(true);
    expect(colorEnabled(undefined, false, {})).toBe(false);
    expect(colorEnabled(undefined, true, { FORCE_COLOR: "1" }, true)).toBe(false);
  });

  it("FORCE_COLOR colours a piped report; TERM=dumb alone does not", () => {
    const d = tmp({ "x.conf": MISSING_COMMA });
    expect(runCli(["x.conf"], { cwd: d, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } }).stdout).toContain("\x1b[");
    expect(runCli(["x.conf"], { cwd: d, env: { NO_COLOR: undefined, TERM: "dumb" } }).stdout).not.toContain("\x1b[");
  });
});
