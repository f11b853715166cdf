/**
 * Differential test against the real lighttpd: for every oracle case and every corpus config,
 * `dumpConfig(evaluate(...))` must equal `lighttpd -p` byte for byte when lighttpd accepts the
 * file, and lighttpd-lint must report at least one error when lighttpd refuses it.
 * Files with include_shell are skipped (they would run commands).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { evaluate } from "../../src/eval/evaluate.js";
import { dumpConfig } from "../../src/eval/dump.js";
import type { EvaluatedConfig } from "../../src/eval/model.js";
import { corpusDir, describeWithLighttpd, lighttpdBin, oracleCasesDir, runLighttpd } from "../helpers/lighttpd.js";
import { severityOf } from "../helpers/severity.js";
import { spawnSync } from "node:child_process";

/**
 * Files lighttpd -t refuses for reasons the evaluator does not check: the types of server.* keys
 * and the compilation of condition regexes. They are covered by the schema rules (src/schema/)
 * and the invalid-regex rule.
 */
const COVERED_ELSEWHERE: Record<string, string> = {
  "035-int-bad-string.conf": 'schema rules: server.port must be a number ("got a string but expected a short")',
  "067-invalid-regex.conf": "invalid-regex rule: the condition regex does not compile",
  "092-mixed-array.conf": "schema rules: mimetype.assign must be a list of key => string",
  "103-array-where-string.conf": "schema rules: server.tag must be a string",
  "161-bool-bad-value-known-key.conf": "schema rules: server.range-requests must be enable/disable",
};

interface Outcome {
  file: string;
  accepted: boolean;
  same?: boolean;
  errors: number;
}

/** Runs lighttpd -p and our evaluator with the same working directory and pid. */
function compare(file: string, cwd: string): Outcome {
  // runLighttpd does not expose the pid; spawn directly so var.PID can be compared exactly.
  const r = spawnSync(lighttpdBin, ["-p", "-f", file], { cwd, encoding: "buffer", timeout: 10_000, input: "" });
  const config = evaluate(file, { version: "1.4.69", cwd, pid: r.pid });
  const errors = errorCount(config);
  if (r.status !== 0) return { file, accepted: false, errors };
  const ours = Buffer.from(dumpConfig(config), "utf8");
  return { file, accepted: true, same: Buffer.compare(ours, r.stdout) === 0, errors };
}

function errorCount(config: EvaluatedConfig): number {
  let n = config.diagnostics.filter((d) => severityOf(d) === "error").length;
  for (const f of config.files.values()) n += f.parse.problems.length;
  return n;
}

const hasIncludeShell = (file: string) => fs.readFileSync(file, "latin1").includes("include_shell");

function check(outcomes: Outcome[]): void {
  const mismatched = outcomes.filter((o) => o.accepted && !o.same).map((o) => o.file);
  const falseErrors = outcomes.filter((o) => o.accepted && o.errors > 0).map((o) => o.file);
  const missed = outcomes.filter((o) => !o.accepted && o.errors === 0 && !COVERED_ELSEWHERE[path.basename(o.file)]).map((o) => o.file);
  expect({ mismatched, falseErrors, missed }).toEqual({ mismatched: [], falseErrors: [], missed: [] });
}

describeWithLighttpd("dumpConfig agrees with lighttpd -p", () => {
  it("on every oracle case", () => {
    expect(runLighttpd("-p", path.join(oracleCasesDir, "001-minimal.conf")).status).toBe(0);
    const files = fs
      .readdirSync(oracleCasesDir)
      .filter((f) => f.endsWith(".conf"))
      .sort()
      .map((f) => path.join(oracleCasesDir, f));
    const outcomes = files.filter((f) => !hasIncludeShell(f)).map((f) => compare(f, oracleCasesDir));
    check(outcomes);
    expect(outcomes.filter((o) => o.accepted).length).toBeGreaterThanOrEqual(100);
    // The exceptions must still be refused by lighttpd (else the list is stale).
    for (const name of Object.keys(COVERED_ELSEWHERE)) {
      expect(outcomes.find((o) => path.basename(o.file) === name)?.accepted, name).toBe(false);
    }
  }, 120_000);

  const corpusAvailable = fs.existsSync(path.join(corpusDir, "upstream")) && fs.existsSync(path.join(corpusDir, "wild"));
  it.skipIf(!corpusAvailable)(
    "on every corpus config without include_shell (corpus: ../shared/corpus)",
    () => {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name !== "COPYING") files.push(p);
        }
      };
      walk(path.join(corpusDir, "upstream"));
      walk(path.join(corpusDir, "wild"));
      const outcomes = files
        .sort()
        .filter((f) => !hasIncludeShell(f))
        .map((f) => compare(f, path.dirname(f)));
      check(outcomes);
      expect(outcomes.filter((o) => o.accepted).length).toBeGreaterThanOrEqual(80);
    },
    180_000,
  );
});
