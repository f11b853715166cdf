/**
 * Rule docs are executable: each docs/rules/<id>.md page's header agrees with the rule's meta
 * (Severity, Fix), its "## Bad" block reports the rule and its "## Good" block does not.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintText } from "../src/linter.js";
import { rules } from "../rules/index.js";
import { repoRoot } from "./helpers/lighttpd.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-docs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Pages whose examples cannot run as a lone file, with the reason. Keep short. */
const NOT_RUNNABLE: Record<string, string> = {
  "internal-error": "no configuration reports it",
  "input-too-large": "needs a 32 MiB file",
  "not-text": "needs binary data",
  "invalid-utf8": "needs invalid UTF-8 bytes",
  "nul-byte": "needs a NUL byte",
  "include-not-found": "needs the include's files",
  "include-cycle": "needs several files",
  "include-outside-config-dir": "needs the included files",
  "include-shell-skipped": "runs a command",
  "unused-suppression": "its Good block is the absence of the comment",
  "fs-socket-dir": "needs --check-fs and a file tree",
  "fs-bin-path": "needs --check-fs and a file tree",
  "fs-document-root": "needs --check-fs and a file tree",
  "fs-pemfile": "needs --check-fs and a file tree",
  "too-many-conditions": "needs 4096 condition blocks",
  "condition-nesting": "needs 32 nested condition blocks",
  "include-too-deep": "needs 101 files",
};

/** The first code block under `## <title>` (or `## <title> (note)`). */
function section(text: string, title: string): string | undefined {
  const head = new RegExp(`\n## ${title}(?: \\([^)]*\\))?\n`).exec(text);
  if (!head) return undefined;
  const rest = text.slice(head.index + head[0].length);
  const m = /^```[a-z]*\n([\s\S]*?)\n```/m.exec(rest.split(/\n## /)[0]);
  return m?.[1];
}

function header(text: string): { severity: string; fix: string } | undefined {
  const m = /^\*\*Severity:\*\* (\w+).*· \*\*Fix:\*\* (.*)$/m.exec(text);
  return m ? { severity: m[1], fix: m[2] } : undefined;
}

const fixWord = (fix: string) => (/^no\b/.test(fix) ? false : /^suggestion\b/.test(fix) ? "suggestion" : "fix");

function ids(text: string, name: string): string[] {
  const file = path.join(tmp, `${name}.conf`);
  return lintText(text + "\n", file, { project: { lighttpdVersion: "1.4.69", rules: {} } }).files.flatMap((f) => f.diagnostics.map((d) => d.ruleId));
}

describe.each(rules.map((r) => [r.meta.id, r] as const))("docs/rules/%s.md", (id, rule) => {
  const page = path.join(repoRoot, "docs/rules", `${id}.md`);
  const text = fs.existsSync(page) ? fs.readFileSync(page, "utf8") : "";

  it("has a header that agrees with the rule's meta", () => {
    const h = header(text);
    expect(h, "a **Severity:** ... · **Fix:** ... line").toBeDefined();
    expect(h!.severity).toBe(rule.meta.severity);
    expect(fixWord(h!.fix), `Fix: ${h!.fix}`).toBe(rule.meta.fixable);
  });

  it.skipIf(id in NOT_RUNNABLE)("its Bad block reports the rule, its Good block does not", () => {
    const bad = section(text, "Bad");
    const good = section(text, "Good");
    expect(bad, "a ## Bad code block").toBeDefined();
    expect(good, "a ## Good code block").toBeDefined();
    expect(ids(bad!, `${id}-bad`)).toContain(id);
    expect(ids(good!, `${id}-good`)).not.toContain(id);
  });
});
