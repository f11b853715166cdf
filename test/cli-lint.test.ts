/**
 * The lint command through the real binary: exit codes, paths and directories, includes,
 * --stdin, --snippet, rule settings, project config, versions, usage errors.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assertJsonShape, ensureBuilt, runCli, type JsonFile, useTempDirs } from "./cli-helpers.js";

beforeAll(ensureBuilt);

const tmp = useTempDirs();

const CLEAN = 'server.document-root = "/tmp"\nserver.port = 8080\nserver.username = "www-data"\nserver.groupname = "www-data"\n';
const MISSING_COMMA = CLEAN + 'server.modules = ( "mod_access" "mod_alias" )\n';
const UNUSED_SUPPRESSION = CLEAN + '# lighttpd-lint-disable-next-line missing-comma\nserver.tag = "x"\n';

function json(stdout: string): JsonFile[] {
  const parsed: unknown = JSON.parse(stdout);
  assertJsonShape(parsed);
  return parsed;
}
const ruleIds = (files: JsonFile[]) => files.flatMap((f) => f.diagnostics.map((d) => d.ruleId));

describe("exit codes", () => {
  it("0 and no output for a clean config", () => {
    const d = tmp({ "lighttpd.conf": CLEAN });
    const r = runCli([path.join(d, "lighttpd.conf")]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
  });

  it("1 for an error-severity finding", () => {
    const d = tmp({ "lighttpd.conf": MISSING_COMMA });
    const r = runCli([path.join(d, "lighttpd.conf")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("missing-comma");
  });

  it("1 for a file that cannot be parsed: never a silent pass", () => {
    const d = tmp({ "broken.conf": 'server.modules = ( "mod_access"\n$HTTP["host"] == {\n' });
    const r = runCli(["-f", "json", path.join(d, "broken.conf")]);
    expect(r.status).toBe(1);
    expect(ruleIds(json(r.stdout))).toContain("syntax-error");
  });

  it("1 for binary garbage given as a config (it is linted, not skipped)", () => {
    const d = tmp({});
    fs.writeFileSync(path.join(d, "x.conf"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0x28, 0x0a]));
    const r = runCli(["-f", "json", path.join(d, "x.conf")]);
    expect(r.status).toBe(1);
    expect(json(r.stdout)[0].diagnostics.some((x) => x.severity === "error")).toBe(true);
  });

  it("2 for a missing file, with a message", () => {
    const r = runCli(["/nonexistent/lighttpd.conf"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/lighttpd.conf: no such file/);
  });

  it("2 for an unreadable file", () => {
    const d = tmp({ "a.conf": CLEAN });
    // A directory named like a config cannot be read as one; works even as root.
    fs.mkdirSync(path.join(d, "dir.conf"));
    const r = runCli([path.join(d, "a.conf"), path.join(d, "dir.conf", ".")]);
    expect(r.status).toBe(2);
  });

  it("warnings alone exit 0; --max-warnings N exits 1 above N", () => {
    const d = tmp({ "w.conf": UNUSED_SUPPRESSION });
    const f = path.join(d, "w.conf");
    const plain = runCli(["-f", "json", f]);
    expect(plain.status).toBe(0);
    expect(json(plain.stdout)[0].diagnostics.map((x) => [x.ruleId, x.severity])).toEqual([["unused-suppression", "warning"]]);
    expect(runCli(["--max-warnings", "1", f]).status).toBe(0);
    const over = runCli(["--max-warnings", "0", f]);
    expect(over.status).toBe(1);
    expect(over.stderr).toMatch(/too many warnings \(1, at most 0/);
  });

  it("--quiet shows errors only (and hidden warnings do not count)", () => {
    const d = tmp({ "w.conf": UNUSED_SUPPRESSION + 'server.modules = ( "mod_access" "mod_alias" )\n' });
    const f = path.join(d, "w.conf");
    const loud = json(runCli(["-f", "json", f]).stdout);
    expect(new Set(loud[0].diagnostics.map((x) => x.severity))).toEqual(new Set(["warning", "error"]));
    const r = runCli(["-f", "json", "--quiet", f]);
    expect(json(r.stdout)[0].diagnostics.every((x) => x.severity === "error")).toBe(true);
    expect(r.status).toBe(1);
    const w = tmp({ "w.conf": UNUSED_SUPPRESSION });
    expect(runCli(["-q", "--max-warnings", "0", path.join(w, "w.conf")]).status).toBe(0);
  });
});

describe("usage errors exit 2 with a hint", () => {
  const cases: [string, string[], RegExp][] = [
    ["unknown option", ["--bogus", "x.conf"], /Unknown argument: bogus/],
    ["unknown format", ["--format", "xml", "x.conf"], /Invalid values/],
    ["no input", [], /no input/],
    ["--max-warnings not a number", ["--max-warnings", "many", "x.conf"], /max-warnings/],
    ["--max-warnings fraction", ["--max-warnings", "1.5", "x.conf"], /max-warnings expects a whole number/],
    ["bad version", ["--lighttpd-version", "1.4", "x.conf"], /version like 1.4.69/],
    ["bad --rule spec", ["--rule", "missing-comma", "x.conf"], /--rule expects id:severity/],
    ["bad --rule severity", ["--rule", "missing-comma:fatal", "x.conf"], /severity must be one of/],
    ["unknown rule", ["--disable", "no-such-rule", "x.conf"], /unknown rule "no-such-rule"/],
    ["--fix with --diff", ["--fix", "--diff", "x.conf"], /choose one/],
    ["--stdin with paths", ["--stdin", "x.conf"], /give no paths/],
    ["--stdin-filename without --stdin", ["--stdin-filename", "a.conf", "x.conf"], /needs --stdin/],
    ["--fix with --stdin", ["--fix", "--stdin"], /--fix cannot write to standard input/],
    ["--fix-suggestions alone", ["--fix-suggestions", "x.conf"], /goes with --fix/],
    ["--config with --no-config", ["--config", "c.json", "--no-config", "x.conf"], /contradict/],
    ["relative --socket-dir", ["--socket-dir", "run", "x.conf"], /absolute/],
    ["--root without --check-fs", ["--root", "/mnt", "x.conf"], /--root goes with --check-fs/],
    ["option missing its value", ["x.conf", "--format"], /Not enough arguments|format/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const d = tmp({ "x.conf": CLEAN, "c.json": "{}" });
      const r = runCli(args, { cwd: d });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain("--help");
      expect(r.status).toBe(2);
    });
  }
});

describe("paths", () => {
  it("a directory means its lighttpd.conf when it has one", () => {
    const d = tmp({ "lighttpd.conf": CLEAN, "other.conf": MISSING_COMMA });
    const r = runCli(["-f", "json", d]);
    expect(json(r.stdout).map((f) => path.basename(f.filePath))).toEqual(["lighttpd.conf"]);
    expect(r.status).toBe(0);
  });

  it("otherwise every *.conf in it (sorted, not recursive)", () => {
    const d = tmp({ "b.conf": CLEAN, "a.conf": MISSING_COMMA, "notes.txt": "x", "sub/c.conf": MISSING_COMMA });
    const r = runCli(["-f", "json", d]);
    expect(json(r.stdout).map((f) => path.basename(f.filePath))).toEqual(["a.conf", "b.conf"]);
    expect(r.status).toBe(1);
  });

  it("a directory with no config is an error", () => {
    const d = tmp({ "notes.txt": "x" });
    const r = runCli([d]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no lighttpd.conf and no \*.conf/);
  });

  it("includes are followed and reported with their own file path", () => {
    const d = tmp({ "main.conf": CLEAN + 'include "conf.d/*.conf"\n', "conf.d/mods.conf": 'server.modules = ( "mod_access" "mod_alias" )\n' });
    const r = runCli(["-f", "json", path.join(d, "main.conf")]);
    const files = json(r.stdout);
    expect(files.map((f) => path.relative(d, f.filePath))).toEqual(["main.conf", path.join("conf.d", "mods.conf")]);
    expect(files[1].diagnostics.map((x) => x.ruleId)).toEqual(["missing-comma"]);
    expect(r.status).toBe(1);
  });

  it("a file reached through a given main config is not linted again on its own", () => {
    const d = tmp({ "main.conf": CLEAN + 'include "mods.conf"\n', "mods.conf": 'server.modules = ( "mod_access" "mod_alias" )\n' });
    for (const order of [
      ["main.conf", "mods.conf"],
      ["mods.conf", "main.conf"],
    ]) {
      const files = json(runCli(["-f", "json", ...order], { cwd: d }).stdout);
      expect(files.map((f) => path.basename(f.filePath)).sort()).toEqual(["main.conf", "mods.conf"]);
      expect(files.find((f) => f.filePath.endsWith("mods.conf"))!.diagnostics.map((x) => x.ruleId)).toEqual(["missing-comma"]);
    }
  });

  it("two configs that include each other: the first named is the main one, each file reported once", () => {
    const d = tmp({ "a.conf": CLEAN + 'include "b.conf"\n', "b.conf": 'include "a.conf"\nserver.tag = "x" "y"\n' });
    const r = runCli(["-f", "json", "a.conf", "b.conf"], { cwd: d });
    const files = json(r.stdout);
    expect(files.map((f) => path.basename(f.filePath)).sort()).toEqual(["a.conf", "b.conf"]);
  });
});

describe("--stdin", () => {
  it("lints standard input, reported as <stdin>", () => {
    const r = runCli(["-f", "json", "--stdin"], { input: MISSING_COMMA });
    const files = json(r.stdout);
    expect(files[0].filePath).toBe("<stdin>");
    expect(ruleIds(files)).toContain("missing-comma");
    expect(r.status).toBe(1);
  });

  it("--stdin-filename names it and includes resolve against it, not against the file on disk", () => {
    const d = tmp({ "etc/lighttpd.conf": CLEAN + "# the on-disk version has no problem\n", "etc/mods.conf": 'server.modules = ( "mod_access" "mod_alias" )\n' });
    const r = runCli(["-f", "json", "--stdin", "--stdin-filename", "etc/lighttpd.conf"], { cwd: d, input: CLEAN + 'include "mods.conf"\n' });
    const files = json(r.stdout);
    expect(files.map((f) => f.filePath)).toEqual([path.join(fs.realpathSync(d), "etc/lighttpd.conf"), path.join(fs.realpathSync(d), "etc/mods.conf")]);
    expect(files[1].diagnostics.map((x) => x.ruleId)).toEqual(["missing-comma"]);
    expect(r.status).toBe(1);
  });

  it("--stdin --diff shows the fixes for the text read", () => {
    const r = runCli(["--stdin", "--diff"], { input: MISSING_COMMA });
    expect(r.stdout).toContain('+server.modules = ( "mod_access", "mod_alias" )');
    expect(r.stdout).toContain("--- a/<stdin>");
  });
});

describe("rule settings and project config", () => {
  it("--rule id:warning changes the severity (and the exit code)", () => {
    const d = tmp({ "x.conf": MISSING_COMMA });
    const r = runCli(["-f", "json", "--rule", "missing-comma:warning", "x.conf"], { cwd: d });
    expect(json(r.stdout)[0].diagnostics.map((x) => [x.ruleId, x.severity])).toEqual([["missing-comma", "warning"]]);
    expect(r.status).toBe(0);
  });

  it("--rule id:off and --disable id turn a rule off; --rule does not swallow the path after it", () => {
    const d = tmp({ "x.conf": MISSING_COMMA });
    for (const args of [
      ["--rule", "missing-comma:off", "x.conf"],
      ["--disable", "missing-comma", "x.conf"],
      ["x.conf", "--disable", "missing-comma"],
    ]) {
      const r = runCli(["-f", "json", ...args], { cwd: d });
      expect(ruleIds(json(r.stdout))).not.toContain("missing-comma");
      expect(r.status).toBe(0);
    }
  });

  it(".lighttpd-lint.json is found upward from the file; --no-config ignores it; --config picks another", () => {
    const d = tmp({
      ".lighttpd-lint.json": JSON.stringify({ rules: { "missing-comma": "off" } }),
      "etc/x.conf": MISSING_COMMA,
      "strict.json": JSON.stringify({ rules: { "missing-comma": "warning" } }),
    });
    const withConfig = runCli(["-f", "json", "etc/x.conf"], { cwd: d });
    expect(ruleIds(json(withConfig.stdout))).not.toContain("missing-comma");
    expect(withConfig.status).toBe(0);

    const noConfig = runCli(["-f", "json", "--no-config", "etc/x.conf"], { cwd: d });
    expect(json(noConfig.stdout)[0].diagnostics.find((x) => x.ruleId === "missing-comma")?.severity).toBe("error");
    expect(noConfig.status).toBe(1);

    const other = runCli(["-f", "json", "--config", "strict.json", "etc/x.conf"], { cwd: d });
    expect(json(other.stdout)[0].diagnostics.find((x) => x.ruleId === "missing-comma")?.severity).toBe("warning");
    expect(other.status).toBe(0);
  });

  it("a broken .lighttpd-lint.json is exit 2 with its name", () => {
    const d = tmp({ ".lighttpd-lint.json": '{ "rules": { "missing-comma": "loud" } }', "x.conf": CLEAN });
    const r = runCli(["x.conf"], { cwd: d });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.lighttpd-lint\.json: rules\.missing-comma: severity must be one of/);
  });

  it("--lighttpd-version selects the language: 'else if' is an error before 1.4.74 only", () => {
    const d = tmp({ "x.conf": CLEAN + '$HTTP["host"] == "a" {\n  server.tag = "a"\n}\nelse if $HTTP["host"] == "b" {\n  server.tag = "b"\n}\n' });
    const old = runCli(["-f", "json", "--lighttpd-version", "1.4.69", "x.conf"], { cwd: d });
    expect(ruleIds(json(old.stdout))).toContain("else-if");
    const recent = runCli(["-f", "json", "--lighttpd-version", "1.4.76", "x.conf"], { cwd: d });
    expect(ruleIds(json(recent.stdout))).not.toContain("else-if");
  });

  it("--snippet lints a fragment: variables defined elsewhere are not errors", () => {
    const d = tmp({ "frag.conf": 'alias.url += ( "/x/" => var.basedir + "/x/" )\n' });
    const whole = runCli(["-f", "json", "frag.conf"], { cwd: d });
    const snippet = runCli(["-f", "json", "--snippet", "frag.conf"], { cwd: d });
    const errors = (out: string) => json(out).flatMap((f) => f.diagnostics.filter((x) => x.severity === "error").map((x) => x.ruleId));
    expect(errors(whole.stdout).length).toBeGreaterThan(0);
    expect(errors(snippet.stdout)).toEqual([]);
    expect(snippet.status).toBe(0);
  });

  it("include_shell runs only with --allow-include-shell", () => {
    const d = tmp({ "x.conf": CLEAN + "include_shell \"printf 'server.modules = ( 1 2 )'\"\n" });
    const without = runCli(["-f", "json", "x.conf"], { cwd: d });
    expect(ruleIds(json(without.stdout))).not.toContain("missing-comma");
    const withShell = runCli(["-f", "json", "--allow-include-shell", "x.conf"], { cwd: d });
    const files = json(withShell.stdout);
    expect(files.some((f) => f.filePath.startsWith("include_shell:") && f.diagnostics.some((x) => x.ruleId === "missing-comma"))).toBe(true);
    expect(withShell.status).toBe(1);
  });

  it("--check-fs (with --root) is accepted", () => {
    const d = tmp({ "x.conf": CLEAN });
    const r = runCli(["--check-fs", "--root", d, "x.conf"], { cwd: d });
    expect(r.stderr).toBe("");
    expect([0, 1]).toContain(r.status);
  });
});
