/**
 * The generic rule tester: every fixture under fixtures/<rule-id>/ is linted; findings must match
 * the marks; a fixable case must produce its .fixed.conf, which no longer has the finding, is
 * stable under a second fix pass, and passes the real `lighttpd -tt` with no new warning.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lint, lintText, type LintOptions } from "../src/linter.js";
import { fixConfig } from "../src/fix/fix-files.js";
import { SourceText } from "../grammar/tokens.js";
import { rules } from "../rules/index.js";
import { loadFixtures, type Fixture } from "./helpers/fixtures.js";
import { lighttpdAvailable, repoRoot, requireLighttpd, runLighttpd } from "./helpers/lighttpd.js";

const fixtures = loadFixtures();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-fixtures-"));
fs.chmodSync(tmp, 0o755);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function options(f: Fixture): LintOptions {
  return {
    project: {
      lighttpdVersion: f.settings.lighttpdVersion ?? "1.4.69",
      socketDir: f.settings.socketDir,
      checkFs: f.settings.checkFs,
      rules: {},
    },
    snippet: f.settings.snippet,
  };
}

/** The rule ids a fixture speaks about: its directory's rule and every rule named in a mark. */
function relevantIds(f: Fixture): Set<string> {
  return new Set([f.ruleId, ...f.expected.map((e) => e.slice(e.indexOf(":") + 1))]);
}

function findings(f: Fixture, text?: string): string[] {
  const result = text === undefined ? lint(f.file, options(f)) : lintText(text, f.file, options(f));
  const main = result.files.find((r) => path.resolve(r.filePath) === path.resolve(f.file));
  if (!main) return [];
  const lines = new SourceText(main.text);
  const ids = relevantIds(f);
  return main.diagnostics
    .filter((d) => ids.has(d.ruleId))
    .map((d) => `${lines.position(d.start).line}:${d.ruleId}`)
    .sort();
}

/** lighttpd's warnings, without timestamps and source positions, so runs can be compared. */
function warnings(stderr: string): string[] {
  return stderr
    .split("\n")
    .map((l) =>
      l
        .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: /, "")
        .replace(/\([a-z_.-]+\.c\.\d+\) /, "")
        .trim(),
    )
    .filter((l) => /warn|deprecated/i.test(l));
}

/** Rules whose firing input cannot be a small fixture file; each is tested elsewhere. */
const NO_FIXTURE: Record<string, string> = {
  "input-too-large": "needs a 32 MiB file: test/hardening.test.ts",
  "include-too-deep": "needs 101 files: test/property/red-team.test.ts",
  "internal-error": "no input should report it: test/finding-ids.test.ts makes a rule throw",
};

describe("every rule has fixtures and docs", () => {
  for (const rule of rules) {
    it(`${rule.meta.id} has a docs page`, () => {
      expect(fs.existsSync(path.join(repoRoot, "docs", "rules", `${rule.meta.id}.md`))).toBe(true);
    });
    it.skipIf(rule.meta.id in NO_FIXTURE)(`${rule.meta.id} has a firing fixture and a good fixture`, () => {
      const own = fixtures.filter((f) => f.ruleId === rule.meta.id);
      expect(own.some((f) => f.expected.some((e) => e.endsWith(`:${rule.meta.id}`)))).toBe(true);
      expect(own.some((f) => f.good)).toBe(true);
    });
  }
});

describe.each(fixtures.map((f) => [`${f.ruleId}/${f.name}`, f] as const))("fixture %s", (_name, f) => {
  it("reports exactly the marked findings", () => {
    if (f.good) expect(findings(f).filter((x) => x.endsWith(`:${f.ruleId}`))).toEqual([]);
    expect(findings(f)).toEqual(f.expected);
  });

  if (!f.fixedFile) return;
  const fixedFile = f.fixedFile;

  it("fixes to the .fixed.conf, which is clean and stable", () => {
    const result = fixConfig(f.file, options(f), f.settings.fixSuggestions ?? false);
    const main = result.changed.find((c) => path.resolve(c.path) === path.resolve(f.file));
    const want = fs.readFileSync(fixedFile, "latin1");
    expect(main?.fixed ?? f.text).toBe(want);
    expect(findings(f, want).filter((x) => x.endsWith(`:${f.ruleId}`))).toEqual([]);
    // A second pass over the fixed text changes nothing.
    const copy = path.join(tmp, `${f.ruleId}-${f.name}`);
    fs.writeFileSync(copy, want, "latin1");
    const again = fixConfig(copy, options(f), f.settings.fixSuggestions ?? false);
    expect(again.changed).toEqual([]);
  });

  const oracle = lighttpdAvailable && !f.settings.skipOracle ? it : requireLighttpd && !f.settings.skipOracle ? it : it.skip;
  oracle(`the fixed config passes lighttpd -tt with no new warning${lighttpdAvailable ? "" : " [skipped: lighttpd not installed]"}`, () => {
    if (!lighttpdAvailable) throw new Error("REQUIRE_LIGHTTPD=1 but lighttpd is not installed");
    const dir = fs.mkdtempSync(path.join(tmp, "tt-"));
    fs.chmodSync(dir, 0o755);
    const fixedCopy = path.join(dir, f.name);
    fs.copyFileSync(fixedFile, fixedCopy);
    fs.chmodSync(fixedCopy, 0o644);
    const after = runLighttpd("-tt", fixedCopy, { asUser: "nobody" });
    expect(after.stderr).not.toMatch(/error|failed/i);
    expect(after.status).toBe(0);
    const before = runLighttpd("-tt", f.file, { asUser: "nobody" });
    const old = new Set(warnings(before.stderr));
    expect(warnings(after.stderr).filter((w) => !old.has(w))).toEqual([]);
  });
});
