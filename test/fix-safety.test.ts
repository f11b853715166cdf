/**
 * Issue 12: fixes that never break a working site. Root causes before symptoms, no fix that adds
 * an error or a finding on its own text, cross-file module fixes, writes only where they belong
 * (fix root, no symlink out, no non-config file, read-only refused, hard links and owner kept),
 * real diff hunks in the file's encoding, deterministic output, fix application in O(n log n).
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { applyFixes } from "../src/fix/apply.js";
import { fixConfig } from "../src/fix/fix-files.js";
import { lint } from "../src/linter.js";
import type { Rule } from "../src/engine/types.js";
import { rules } from "../rules/index.js";
import { writeFileAtomic, RefusedWriteError } from "../src/fix/write.js";
import { spawnSync } from "node:child_process";
import { bin, ensureBuilt, runCli, useTempDirs } from "./cli-helpers.js";

beforeAll(ensureBuilt);
const tmp = useTempDirs();
const HEAD = 'server.document-root = "/tmp"\nserver.port = 8080\nserver.username = "www-data"\n';
const opts = { project: { lighttpdVersion: "1.4.69", rules: {} } };

function fixText(files: Record<string, string>, main = "lighttpd.conf") {
  const d = tmp(files);
  const r = fixConfig(path.join(d, main), opts);
  const text = (f: string) => r.changed.find((c) => path.resolve(c.path) === path.join(d, f))?.fixed ?? files[f];
  return { d, r, text };
}

describe("root causes first", () => {
  it("a module dropped by a missing comma: only the comma is added, no second module", () => {
    const { text, r } = fixText({
      "lighttpd.conf": HEAD + 'server.modules = ("mod_alias" "mod_fastcgi")\nalias.url = ("/x/" => "/srv/x/")\nfastcgi.server = ( ".php" => (( "socket" => "/run/php.sock" )) )\n',
    });
    expect(text("lighttpd.conf")).toContain('server.modules = ("mod_alias", "mod_fastcgi")\n');
    expect(text("lighttpd.conf").match(/"mod_fastcgi"/g)).toHaveLength(1);
    expect(r.result.files[0].diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("two missing commas in one list: the first fix reveals the second, both get fixed", () => {
    const { text, r } = fixText({ "lighttpd.conf": HEAD + 'server.modules = ( "mod_access" "mod_alias" "mod_setenv" )\n' });
    expect(text("lighttpd.conf")).toContain('( "mod_access", "mod_alias", "mod_setenv" )');
    expect(r.dropped).toEqual([]);
  });

  it("the symptom names its cause and offers no fix of its own", () => {
    const d = tmp({ "lighttpd.conf": HEAD + 'server.modules = ("mod_alias" "mod_fastcgi")\nfastcgi.server = ( ".php" => (( "socket" => "/run/php.sock" )) )\n' });
    const diags = lint(path.join(d, "lighttpd.conf"), opts).files[0].diagnostics;
    const symptom = diags.find((x) => x.ruleId === "module-not-loaded");
    expect(symptom?.message).toMatch(/caused by the missing-comma finding on line 4/);
    expect(symptom?.fix).toBeUndefined();
    expect(diags.find((x) => x.ruleId === "missing-comma")?.fix).toBeDefined();
  });

  it('a missing comma before "check-local": the comma fix, never a duplicate key', () => {
    const { text, r } = fixText({
      "lighttpd.conf": HEAD + 'server.modules = ("mod_fastcgi")\nfastcgi.server = ( "/app" => (( "socket" => "/run/x.sock"\n  "check-local" => "enable" )) )\n',
    });
    expect(text("lighttpd.conf")).toContain('"socket" => "/run/x.sock",\n  "check-local" => "enable"');
    expect(text("lighttpd.conf").match(/check-local/g)).toHaveLength(1);
    expect(r.result.files[0].diagnostics.map((x) => x.ruleId)).not.toContain("duplicate-array-key");
    // and the lint shows the symptom pointing at its cause, without a fix of its own
    const d = tmp({ "lighttpd.conf": HEAD + 'server.modules = ("mod_fastcgi")\nfastcgi.server = ( "/app" => (( "socket" => "/run/x.sock"\n  "check-local" => "disable" )) )\n' });
    const cl = lint(path.join(d, "lighttpd.conf"), opts).files[0].diagnostics.find((x) => x.ruleId === "check-local");
    expect(cl?.message).toMatch(/caused by the missing-comma finding on line 6/);
    expect(cl?.fix).toBeUndefined();
  });

  it("no rename that would be pointless (max_procs on a backend without bin-path): the message says to remove it", () => {
    const conf = HEAD + 'server.modules = ("mod_fastcgi")\nfastcgi.server = ( "/app" => (( "socket" => "/run/x.sock", "max_procs" => 2, "check-local" => "disable" )) )\n';
    const { r } = fixText({ "lighttpd.conf": conf });
    expect(r.changed).toEqual([]);
    expect(r.result.files[0].diagnostics.find((x) => x.ruleId === "unknown-backend-key")?.message).toMatch(/"max-procs" would have no effect either/);
  });

  it("the full re-lint drops a fix that adds an error, or a finding on its own text, and keeps the others", () => {
    const d = tmp({ "lighttpd.conf": HEAD + 'server.tag = "a"\nserver.name = "b"\n' });
    // a fake rule with three fixes: one duplicates a key (lighttpd refuses), one writes a value another rule flags, one is fine
    const fake: Rule = {
      meta: { id: "fake", description: "test", severity: "warning", fixable: "fix", effect: "misread" },
      check(ctx) {
        const text = ctx.config.files.get(ctx.config.main)!.text;
        if (!text.includes("server.tag")) return;
        const at = text.indexOf("server.tag");
        const end = text.length;
        if (!text.includes("server.port = 8080\nserver.port"))
          ctx.report({
            message: "dup",
            file: ctx.config.main,
            start: at,
            end: at + 1,
            fix: { description: "duplicate", edits: [{ range: [end, end], text: "server.port = 8081\n" }] },
          });
        if (!text.includes('"BAD"'))
          ctx.report({
            message: "bad",
            file: ctx.config.main,
            start: at,
            end: at + 1,
            fix: { description: "bad value", edits: [{ range: [text.indexOf('"a"'), text.indexOf('"a"') + 3], text: '"BAD"' }] },
          });
        if (!text.includes('"c"'))
          ctx.report({
            message: "ok",
            file: ctx.config.main,
            start: at,
            end: at + 1,
            fix: { description: "fine", edits: [{ range: [text.indexOf('"b"'), text.indexOf('"b"') + 3], text: '"c"' }] },
          });
      },
    };
    const flagsBad: Rule = {
      meta: { id: "flags-bad", description: "test", severity: "warning", fixable: false, effect: "misread" },
      check(ctx) {
        const text = ctx.config.files.get(ctx.config.main)!.text;
        const i = text.indexOf('"BAD"');
        if (i >= 0) ctx.report({ message: "BAD value", file: ctx.config.main, start: i, end: i + 5 });
      },
    };
    const dup = lint(path.join(d, "lighttpd.conf"), { ...opts, rules: [fake, flagsBad, ...rules.filter((x) => x.meta.id === "duplicate-key")] });
    expect(dup.files[0].diagnostics.map((x) => x.ruleId).sort()).toEqual(["fake", "fake", "fake"]);
    const r = fixConfig(path.join(d, "lighttpd.conf"), { ...opts, rules: [fake, flagsBad, ...rules.filter((x) => x.meta.id === "duplicate-key")] });
    expect(r.changed[0].fixed).toBe(HEAD + 'server.tag = "a"\nserver.name = "c"\n');
    expect(r.dropped.map((x) => x.description).sort()).toEqual(["bad value", "duplicate"]);
  });

  it("module-not-loaded adds no module over a setting lighttpd would then refuse, nor over deprecated compress.*", () => {
    const { r } = fixText({
      "lighttpd.conf": HEAD + 'server.modules = ("mod_alias")\nfastcgi.server = ( "/app" => ( "socket" => "/run/x.sock" ) )\ncompress.filetype = ("text/plain")\n',
    });
    const fixed = r.changed[0]?.fixed ?? "";
    expect(fixed).not.toMatch(/mod_fastcgi|mod_deflate/);
    const msgs = r.result.files[0].diagnostics.filter((x) => x.ruleId === "module-not-loaded").map((x) => x.message);
    expect(msgs.join("\n")).toMatch(/would make lighttpd refuse fastcgi\.server/);
    expect(msgs.join("\n")).toMatch(/compress\.filetype is deprecated/);
  });

  it("module-not-loaded adds no module whose backend lighttpd would refuse (found by the differential test)", () => {
    for (const host of ['"host" => "127.0.0.1", "socket" => "/run/x.sock"', '"check-local" => "disable"', '"socket" => "/run/x.sock", "max-procs" => "two"']) {
      const { r } = fixText({ "lighttpd.conf": HEAD + `server.modules = ()\nfastcgi.server = ( ".php" => (( ${host} )) )\n` });
      expect(r.changed.map((c) => c.fixed).join("")).not.toContain("mod_fastcgi");
      expect(r.result.files[0].diagnostics.find((x) => x.ruleId === "module-not-loaded")?.message).toMatch(/would make lighttpd refuse fastcgi\.server/);
    }
  });

  it("module-not-loaded in an included file edits server.modules where it is set", () => {
    const { text } = fixText({
      "lighttpd.conf": HEAD + 'server.modules = ("mod_access")\ninclude "conf.d/*.conf"\n',
      "conf.d/10-static.conf": 'alias.url += ("/static/" => "/srv/static/")\n',
    });
    expect(text("lighttpd.conf")).toContain('server.modules = ("mod_access", "mod_alias")');
    expect(text("conf.d/10-static.conf")).toBe('alias.url += ("/static/" => "/srv/static/")\n');
  });
});

describe("writes stay where they belong", () => {
  it("never fixes an included file outside the fix root, nor a shell script", () => {
    const outside = tmp({ profile: 'export PATH="/usr/bin"\nif [ -x /x ]; then\n  alias.url = ("/a" => "/b/")\nfi\n' });
    const d = tmp({ "lighttpd.conf": HEAD + 'server.modules = ("mod_access" "mod_alias")\n' + `include "${outside}/profile"\n` });
    const before = fs.readFileSync(path.join(outside, "profile"), "utf8");
    const r = runCli(["--no-config", "--fix", "lighttpd.conf"], { cwd: d });
    expect(fs.readFileSync(path.join(outside, "profile"), "utf8")).toBe(before);
    // Outside the project root, a file's findings name it but offer no fix (and quote none of its text).
    expect(r.stdout).toMatch(/profile/);
    expect(r.stdout).not.toContain("export PATH");
    expect(fs.readFileSync(path.join(d, "lighttpd.conf"), "utf8")).toContain('("mod_access", "mod_alias")');
    // --fix-root widens the root, but a shell script is still not configuration
    const r2 = runCli(["--no-config", "--fix", "--fix-root", "/", "lighttpd.conf"], { cwd: d });
    expect(fs.readFileSync(path.join(outside, "profile"), "utf8")).toBe(before);
    // It is recognised as shell (wrong-dialect), which stands for its whole cascade: nothing to fix in it.
    expect(r2.stdout).toMatch(/wrong-dialect/);
  });

  it("never writes through a symlink that leaves the root", () => {
    const outside = tmp({ "real.conf": 'server.modules += ("mod_access" "mod_alias")\n' });
    const d = tmp({ "lighttpd.conf": HEAD + 'include "conf.d/link.conf"\n' });
    fs.mkdirSync(path.join(d, "conf.d"));
    fs.symlinkSync(path.join(outside, "real.conf"), path.join(d, "conf.d/link.conf"));
    const r = runCli(["--no-config", "--fix", "lighttpd.conf"], { cwd: d });
    expect(fs.readFileSync(path.join(outside, "real.conf"), "utf8")).toBe('server.modules += ("mod_access" "mod_alias")\n');
    expect(r.stderr).toMatch(/it is a symlink to .*real\.conf, outside/);
  });

  it("refuses a read-only file with a clear message", () => {
    const d = tmp({ "lighttpd.conf": HEAD + 'server.modules = ("mod_access" "mod_alias")\n' });
    fs.chmodSync(path.join(d, "lighttpd.conf"), 0o444);
    const r = runCli(["--no-config", "--fix", "lighttpd.conf"], { cwd: d });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/lighttpd\.conf is read-only \(mode 0444\): not changed/);
    expect(fs.readFileSync(path.join(d, "lighttpd.conf"), "utf8")).toContain('"mod_access" "mod_alias"');
    expect(() => writeFileAtomic(path.join(d, "lighttpd.conf"), Buffer.from("x"))).toThrow(RefusedWriteError);
  });

  it("keeps hard links (writes in place) and the owner", () => {
    const d = tmp({ "lighttpd.conf": HEAD + 'server.modules = ("mod_access" "mod_alias")\n' });
    const f = path.join(d, "lighttpd.conf");
    fs.linkSync(f, path.join(d, "other-name.conf"));
    const ino = fs.statSync(f).ino;
    if (process.getuid?.() === 0) fs.chownSync(f, 1, 1);
    const r = runCli(["--no-config", "--fix", "lighttpd.conf"], { cwd: d });
    expect(r.status).toBe(0);
    const st = fs.statSync(f);
    expect(st.ino).toBe(ino);
    expect(st.nlink).toBe(2);
    if (process.getuid?.() === 0) expect([st.uid, st.gid]).toEqual([1, 1]);
    expect(fs.readFileSync(path.join(d, "other-name.conf"), "utf8")).toContain('("mod_access", "mod_alias")');
  });
});

describe("--diff", () => {
  it("prints one hunk per distant change, with context", () => {
    const filler = Array.from({ length: 40 }, (_, i) => `var.v${i} = "${i}"\n`).join("");
    const d = tmp({ "lighttpd.conf": HEAD + 'server.modules = ("mod_access" "mod_alias")\n' + filler + 'server.modules += ("mod_status" "mod_rewrite")\n' });
    const r = runCli(["--no-config", "--diff", "lighttpd.conf"], { cwd: d });
    const hunks = r.stdout.split("\n").filter((l) => l.startsWith("@@"));
    expect(hunks).toHaveLength(2);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---"))).toHaveLength(2);
    expect(r.stdout).toContain(' var.v0 = "0"\n');
    expect(r.stdout).not.toContain(' var.v20 = "20"\n');
  });

  it("keeps a Latin-1 file's encoding", () => {
    const d = tmp({});
    const bytes = Buffer.concat([Buffer.from(HEAD + "# caf"), Buffer.from([0xe9]), Buffer.from('\nserver.modules = ("mod_access" "mod_alias")\n')]);
    fs.writeFileSync(path.join(d, "lighttpd.conf"), bytes);
    const raw = spawnSync(process.execPath, [bin, "--no-config", "--diff", "lighttpd.conf"], { cwd: d, env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 }).stdout;
    expect(raw.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toBe(true); // "café\n" as one Latin-1 byte
    expect(raw.includes(Buffer.from("caf\u00e9", "utf8"))).toBe(false);
  });
});

describe("determinism and cost", () => {
  it("messages do not change between runs (var.PID)", () => {
    const d = tmp({
      "lighttpd.conf":
        HEAD + 'server.modules = ("mod_fastcgi")\nfastcgi.server = ( ".php" => (( "bin-path" => "/usr/bin/php-cgi", "socket" => "/tmp/php-" + var.PID + ".sock" )) )\n',
    });
    const a = runCli(["--no-config", "--format", "json", "lighttpd.conf"], { cwd: d }).stdout;
    const b = runCli(["--no-config", "--format", "json", "lighttpd.conf"], { cwd: d }).stdout;
    expect(a).toBe(b);
  });

  it("applies 150k one-character fixes in seconds, not minutes (the quadratic version took 282 s)", () => {
    const text = "x".repeat(150_000);
    const fixes = Array.from({ length: 150_000 }, (_, i) => ({ description: "y", edits: [{ range: [i, i + 1] as [number, number], text: "y" }] }));
    const t0 = performance.now();
    const r = applyFixes(text, fixes);
    const ms = performance.now() - t0;
    expect(r.text).toBe("y".repeat(150_000));
    expect(r.applied).toHaveLength(150_000);
    expect(ms).toBeLessThan(15_000); // ~1 s here; generous for a loaded CI machine
  });

  it("a mass-vhost config: findings past the output's cap are fixed in one pass, identical fixes are one, in a few lints", () => {
    const vhosts = Array.from({ length: 150 }, (_, i) => `$HTTP["host"] == "s${i}.example" {\n  sever.tag = "x"\n  url.rewrite-once = ("^/a${i}/(.*)" => "/b/$1")\n}\n`).join("");
    const d = tmp({ "lighttpd.conf": HEAD + 'server.modules = ("mod_access")\n' + vhosts });
    let lints = 0;
    const counter: Rule = { meta: { id: "count-lints", description: "test", severity: "info", fixable: false, effect: "risk" }, check: () => void lints++ };
    const used = [counter, ...rules.filter((x) => x.meta.id === "unknown-key" || x.meta.id === "module-not-loaded")];
    const before = lint(path.join(d, "lighttpd.conf"), { ...opts, rules: used }).files[0].diagnostics;
    // what output shows is capped per rule: 100 findings and one "and 50 more"
    expect(before.filter((x) => x.ruleId === "unknown-key")).toHaveLength(101);
    lints = 0;
    const r = fixConfig(path.join(d, "lighttpd.conf"), { ...opts, rules: used });
    const fixed = r.changed[0].fixed;
    expect(fixed.match(/\bsever\.tag/g)).toBeNull();
    expect(fixed.match(/server\.tag = "x"/g)).toHaveLength(150);
    expect(fixed).toContain('server.modules = ("mod_access", "mod_rewrite")');
    expect(r.changed[0].appliedFixes).toBe(300); // 150 renames, and 150 findings fixed by one module edit
    expect(r.passes).toBe(1);
    expect(r.result.files[0].diagnostics.filter((x) => x.ruleId !== "count-lints")).toEqual([]);
    expect(lints).toBeLessThanOrEqual(4); // the first lint, one trial, the lint after the pass (once 150 x 2 findings: bisection took 20+)
  });

  it("past the memory bound of 1,000 findings per rule, a module fix is judged by the rule's total, not by which findings were listed", () => {
    const vhosts = Array.from(
      { length: 520 },
      (_, i) => `$HTTP["host"] == "s${i}.example" {\n  alias.url = ("/m" => "/srv/m${i}")\n  url.rewrite-once = ("^/a${i}/(.*)" => "/b/$1")\n}\n`,
    ).join("");
    const { text, r } = fixText({ "lighttpd.conf": HEAD + 'server.modules = ("mod_access")\n' + vhosts });
    expect(r.dropped).toEqual([]);
    expect(text("lighttpd.conf")).toMatch(/server\.modules = \("mod_access", "mod_(alias|rewrite)", "mod_(alias|rewrite)"\)/);
    expect(r.result.files[0].diagnostics.filter((x) => x.ruleId === "module-not-loaded")).toEqual([]);
  });

  it("defers overlapping fixes and same-point insertions, applies the rest", () => {
    const r = applyFixes("abcdef", [
      { description: "1", edits: [{ range: [1, 3], text: "X" }] },
      { description: "2", edits: [{ range: [2, 4], text: "Y" }] },
      { description: "3", edits: [{ range: [5, 5], text: "+" }] },
      { description: "4", edits: [{ range: [5, 5], text: "-" }] },
      {
        description: "5",
        edits: [
          { range: [0, 0], text: "<" },
          { range: [6, 6], text: ">" },
        ],
      },
    ]);
    expect(r.text).toBe("<aXde+f>");
    expect(r.deferred.map((f) => f.description)).toEqual(["2", "4"]);
  });
});
