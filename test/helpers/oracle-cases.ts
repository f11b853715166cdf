/**
 * Config cases for the rule-claim oracle tests (test/oracle/new-rules*.test.ts): files in a temp
 * folder the server user can read (lighttpd runs as nobody there), and the findings of chosen rules.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { rules } from "../../rules/index.js";
import { lintText } from "../../src/linter.js";

/** The start of a config lighttpd accepts on its own. */
export const HEAD = 'server.document-root = "/tmp"\nserver.port = 8080\n';

export function oracleCases(name: string): { tmp: string; write: (text: string) => string; findings: (text: string, ...ids: string[]) => string[] } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `lighttpd-lint-${name}-`));
  fs.chmodSync(tmp, 0o755);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  let counter = 0;
  return {
    tmp,
    write: (text) => {
      const file = path.join(tmp, `case-${++counter}.conf`);
      fs.writeFileSync(file, text);
      fs.chmodSync(file, 0o644);
      return file;
    },
    /** The ids of the findings of `ids` for this config text (linted as a main config, for 1.4.69). */
    findings: (text, ...ids) => {
      const file = path.join(tmp, `lint-${++counter}.conf`);
      const result = lintText(text, file, { rules: rules.filter((r) => ids.includes(r.meta.id)), project: { lighttpdVersion: "1.4.69", rules: {} } });
      return result.files.flatMap((f) => f.diagnostics.map((d) => d.ruleId));
    },
  };
}
