/**
 * Differential test against the real lighttpd: for every oracle case and every corpus file,
 *  - where `lighttpd -t` rejects, lighttpd-lint reports at least one error;
 *  - where it accepts, lighttpd-lint reports no finding whose effect is "refused" while reading
 *    (RuleMeta.effect; misread/ignored/runtime/risk findings and what only `-tt` checks are allowed).
 * Files with include_shell are not run through lighttpd (it would execute them).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { refusedOnLoad } from "../../src/ast/diagnostics.js";
import { lint } from "../../src/linter.js";
import { corpusDir, describeWithLighttpd, lighttpdVersion, oracleCasesDir, runLighttpd } from "../helpers/lighttpd.js";

/** Files where we knowingly disagree, with the reason. Keep this list short and explained. */
const EXCEPTIONS: Record<string, string> = {};

function files(): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(oracleCasesDir).sort()) if (f.endsWith(".conf")) out.push(path.join(oracleCasesDir, f));
  for (const sub of ["upstream", "wild"]) {
    const dir = path.join(corpusDir, sub);
    for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (d.isFile() && d.name !== "COPYING") out.push(path.join(d.parentPath, d.name));
    }
  }
  return out.sort();
}

const all = files();
const runnable = all.filter((f) => !/include_shell/.test(fs.readFileSync(f, "latin1")));

describeWithLighttpd("lighttpd -t and lighttpd-lint agree on accept/reject", () => {
  it("covers the oracle cases and the corpus", () => {
    expect(runnable.length).toBeGreaterThan(150);
  });

  it.each(runnable.map((f) => [path.relative(path.resolve(corpusDir, ".."), f), f]))("%s", (name, file) => {
    const dir = path.dirname(file);
    const verdict = runLighttpd("-t", file, { cwd: dir });
    const result = lint(file, { cwd: dir, project: { lighttpdVersion, rules: {} } });
    const errors = result.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.ruleId}: ${d.message}`));
    const exception = EXCEPTIONS[name];
    if (exception) return; // listed above with its reason
    if (verdict.status !== 0) {
      expect(errors, `lighttpd -t rejects:\n${verdict.stderr}`).not.toEqual([]);
    } else {
      // Findings whose effect says lighttpd refuses the file while reading it (RuleMeta.effect).
      const rejecting = result.files.flatMap((f) => f.diagnostics.filter(refusedOnLoad).map((d) => `${d.ruleId}: ${d.message}`));
      expect(rejecting, "lighttpd -t accepts this file").toEqual([]);
    }
  });
});
