/**
 * Hostile input: include cycles and loops, huge and binary files, no code execution, and --fix
 * that never loses a byte it did not mean to change.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { lint } from "../src/linter.js";
import { fixConfig } from "../src/fix/fix-files.js";
import { applyFixes } from "../src/fix/apply.js";
import type { Fix } from "../src/ast/diagnostics.js";
import { lighttpdAvailable, requireLighttpd, runLighttpd } from "./helpers/lighttpd.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-hardening-"));
fs.chmodSync(tmp, 0o755);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const project = { lighttpdVersion: "1.4.69", rules: {} };
let counter = 0;

function dir(): string {
  const d = path.join(tmp, `d${counter++}`);
  fs.mkdirSync(d, { recursive: true });
  fs.chmodSync(d, 0o755);
  return d;
}

function ids(file: string, extra: Parameters<typeof lint>[1] = {}): string[] {
  return lint(file, { project, ...extra }).files.flatMap((f) => f.diagnostics.map((d) => d.ruleId));
}

describe("includes", () => {
  it("reports an include cycle and stops", () => {
    const d = dir();
    fs.writeFileSync(path.join(d, "a.conf"), 'server.document-root = "/tmp"\ninclude "b.conf"\n');
    fs.writeFileSync(path.join(d, "b.conf"), 'include "a.conf"\n');
    expect(ids(path.join(d, "a.conf"))).toContain("include-cycle");
  });

  it("does not hang on a symlink loop matched by a glob", () => {
    const d = dir();
    fs.mkdirSync(path.join(d, "conf.d"));
    fs.symlinkSync(d, path.join(d, "conf.d", "loop"));
    fs.writeFileSync(path.join(d, "conf.d", "x.conf"), "var.x = 1\n");
    fs.writeFileSync(path.join(d, "main.conf"), 'server.document-root = "/tmp"\ninclude "conf.d/*.conf"\ninclude "conf.d/*/conf.d/*/conf.d/*.conf"\n');
    const r = lint(path.join(d, "main.conf"), { project });
    expect(r.files.length).toBeGreaterThan(1);
  });

  it("reads a glob that matches thousands of files", () => {
    const d = dir();
    fs.mkdirSync(path.join(d, "many"));
    for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(d, "many", `f${String(i).padStart(4, "0")}.conf`), `var.v${i} = ${i}\n`);
    fs.writeFileSync(path.join(d, "main.conf"), 'server.document-root = "/tmp"\ninclude "many/*.conf"\n');
    const r = lint(path.join(d, "main.conf"), { project });
    expect(r.files.length).toBe(2001);
  });

  it("reports an unreadable included file", () => {
    const d = dir();
    const main = path.join(d, "main.conf");
    fs.writeFileSync(main, 'server.document-root = "/tmp"\ninclude "secret.conf"\n');
    fs.writeFileSync(path.join(d, "secret.conf"), "var.x = 1\n");
    const readFile = (f: string) => {
      if (f.endsWith("secret.conf")) throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      return fs.readFileSync(f);
    };
    expect(ids(main, { readFile })).toContain("include-not-found");
  });

  it("reports which files outside the config's directory were read", () => {
    const d = dir();
    const outside = dir();
    fs.writeFileSync(path.join(outside, "other.conf"), "var.x = 1\n");
    fs.writeFileSync(path.join(d, "main.conf"), `server.document-root = "/tmp"\ninclude "${path.join(outside, "other.conf")}"\n`);
    expect(ids(path.join(d, "main.conf"))).toContain("include-outside-config-dir");
  });
});

describe("no code execution", () => {
  it("never runs include_shell without --allow-include-shell (canary)", () => {
    const d = dir();
    const canary = path.join(d, "canary");
    const main = path.join(d, "main.conf");
    fs.writeFileSync(main, `server.document-root = "/tmp"\ninclude_shell "touch ${canary}; echo 'var.ran = 1'"\n`);
    expect(ids(main)).toContain("include-shell-skipped");
    expect(fs.existsSync(canary)).toBe(false);
    // With the opt-in it runs (so the canary proves something).
    const r = lint(main, { project, allowIncludeShell: true });
    expect(fs.existsSync(canary)).toBe(true);
    expect(r.files.flatMap((f) => f.diagnostics.map((x) => x.ruleId))).not.toContain("include-shell-skipped");
  });

  it("does not run include_shell through the CLI's --fix either", () => {
    const d = dir();
    const canary = path.join(d, "canary2");
    const main = path.join(d, "main.conf");
    fs.writeFileSync(main, `server.document-root = "/tmp";\ninclude_shell "touch ${canary}"\n`);
    fixConfig(main, { project });
    expect(fs.existsSync(canary)).toBe(false);
  });
});

describe("input limits", () => {
  it("refuses a 100 MB file quickly with a clear message", () => {
    const d = dir();
    const big = path.join(d, "big.conf");
    const line = Buffer.from('var.x = "0123456789012345678901234567890123456789012345678901234567890123456789"\n');
    const fd = fs.openSync(big, "w");
    const chunk = Buffer.concat(Array.from({ length: 1 << 14 }, () => line));
    for (let written = 0; written < 100 * 1024 * 1024; written += chunk.length) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const started = Date.now();
    const r = lint(big, { project });
    expect(r.files.flatMap((f) => f.diagnostics.map((x) => x.ruleId))).toEqual(["input-too-large"]);
    expect(Date.now() - started).toBeLessThan(30_000); // a hang guard, not a benchmark
    fs.rmSync(big);
  });

  it("lints a file with a BOM, CRLF line ends and very long lines", () => {
    const d = dir();
    const f = path.join(d, "crlf.conf");
    fs.writeFileSync(f, '\ufeffserver.document-root = "/tmp"\r\nserver.tag = "' + "x".repeat(200_000) + '"\r\n');
    const r = lint(f, { project });
    const found = r.files.flatMap((x) => x.diagnostics);
    expect(found.map((x) => x.ruleId)).toEqual(["syntax-error"]);
    expect(found[0].message).toMatch(/byte order mark/);
    expect(found[0].fix).toBeDefined();
  });
});

/** Configs made of snippets that each carry a fixable finding, joined with random spacing and comments. */
const fixableSnippets = [
  'index-file.names = ( "index.html"\n  "index.htm" )',
  'setenv.add-response-header = ( "X-A" -> "1" )',
  "var.a = 1, var.b = 2",
  'var.logdir = "/var/log"\n  + "/lighttpd"',
  'server.tag = "x";',
  '$HTTP["host"] == "a.example" { var.h = 1 }\nelse if $HTTP["host"] == "b.example" { var.h = 2 }',
  'alias.url = ( "/media" => "/srv/media/" )',
];

describe("--fix never loses data", () => {
  const arb = fc
    .tuple(
      fc.subarray(
        fixableSnippets.map((s, i) => [s, i] as const),
        { minLength: 1 },
      ),
      fc.array(fc.constantFrom("\n", "\n\n", "\n# comment\n", "\r\n"), { minLength: 8, maxLength: 8 }),
    )
    .map(([parts, seps]) => {
      let text = 'server.document-root = "/tmp"\nserver.modules = ( "mod_indexfile", "mod_setenv", "mod_alias" )\n';
      parts.forEach(([s], i) => {
        text += s + seps[i % seps.length];
      });
      return text.replace(/\r\n/g, (m, off: number) => (off % 2 ? "\n" : m));
    });

  it("changes only the bytes inside the fixes' edit ranges", () => {
    fc.assert(
      fc.property(arb, (text) => {
        const f = path.join(dir(), "c.conf");
        fs.writeFileSync(f, text);
        const result = lint(f, { project });
        const fixes: Fix[] = result.files[0].diagnostics.flatMap((d) => (d.fix ? [d.fix] : []));
        expect(fixes.length).toBeGreaterThan(0);
        const { text: fixed, applied } = applyFixes(text, fixes);
        // Cut every applied edit out of both texts: what remains must be identical.
        const edits = applied.flatMap((x) => x.edits).sort((a, b) => a.range[0] - b.range[0]);
        let before = "";
        let after = "";
        let pos = 0;
        let shift = 0;
        for (const e of edits) {
          before += text.slice(pos, e.range[0]);
          after += fixed.slice(pos + shift, e.range[0] + shift);
          shift += e.text.length - (e.range[1] - e.range[0]);
          pos = e.range[1];
        }
        before += text.slice(pos);
        after += fixed.slice(pos + shift);
        expect(after).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  const oracle = lighttpdAvailable ? it : requireLighttpd ? it : it.skip;
  oracle(`a fixed config passes lighttpd -tt${lighttpdAvailable ? "" : " [skipped: lighttpd not installed]"}`, () => {
    if (!lighttpdAvailable) throw new Error("REQUIRE_LIGHTTPD=1 but lighttpd is not installed");
    fc.assert(
      fc.property(arb, (text) => {
        const d = dir();
        const f = path.join(d, "c.conf");
        fs.writeFileSync(f, text);
        fs.chmodSync(f, 0o644);
        const { changed } = fixConfig(f, { project });
        for (const c of changed) fs.writeFileSync(c.path, c.fixed);
        const r = runLighttpd("-tt", f, { asUser: "nobody" });
        expect(r.stderr).not.toMatch(/error|failed/i);
        expect(r.status).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

describe("hostile regular expressions", () => {
  it("a config's pattern is decided without running it, or not at all", async () => {
    const { staticRegexTest } = await import("../src/schema/static-regex.js");
    const started = Date.now();
    expect(staticRegexTest("^(a+)+$", "a".repeat(40) + "!")).toBeUndefined(); // outside the subset: unknown
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(staticRegexTest("^/server-status", "/server-status")).toBe(true);
    expect(staticRegexTest("^/server-status$", "/server-status/x")).toBe(false);
    expect(staticRegexTest("^/admin/|^/server-", "/server-status")).toBe(true);
    expect(staticRegexTest("status", "/server-status")).toBe(true);
    expect(staticRegexTest("^/server\\-st.*s$", "/server-status")).toBe(true);
    expect(staticRegexTest("^/other", "/server-status")).toBe(false);
    expect(staticRegexTest("^/server-statu?s", "/server-status")).toBeUndefined();
    expect(staticRegexTest("^/[s]erver", "/server-status")).toBeUndefined();
  });

  it("linting a config with a catastrophic pattern finishes", () => {
    const d = dir();
    const f = path.join(d, "evil.conf");
    fs.writeFileSync(
      f,
      `server.document-root = "/tmp"\nserver.modules = ( "mod_status" )\nstatus.status-url = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"\n$HTTP["url"] =~ "^/(a+)+$" { url.access-deny = ("") }\n`,
    );
    const started = Date.now();
    lint(f, { project });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
