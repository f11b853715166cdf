/**
 * Fuzzing the whole pipeline: generated configs, damaged configs and random bytes go through
 * parse, evaluate, every rule and the fixer. Nothing may throw, no rule may crash, and every
 * fixed text must still parse without new syntax errors.
 * `npm run fuzz` runs the same properties much longer (FUZZ_RUNS, default 20000).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { lint } from "../../src/linter.js";
import { fixConfig } from "../../src/fix/fix-files.js";
import { parseConfig } from "../../src/parse/parse.js";
import { decodeSource } from "../../src/parse/source.js";
import { configText, damagedConfigText } from "../helpers/generators.js";

const runs = Number(process.env.FUZZ_RUNS ?? 150);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-fuzz-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const project = { lighttpdVersion: "1.4.69", rules: {} };
let n = 0;

function check(bytes: Uint8Array): void {
  const file = path.join(dir, `f${n++}.conf`);
  fs.writeFileSync(file, bytes);
  const result = lint(file, { project, cwd: dir });
  const crashes = result.files.flatMap((f) => f.diagnostics).filter((d) => d.ruleId === "internal-error");
  expect(crashes).toEqual([]);
  const before = result.files.flatMap((f) => f.diagnostics).filter((d) => d.ruleId === "syntax-error").length;
  const fixed = fixConfig(file, { project, cwd: dir }, true);
  for (const f of fixed.changed) {
    const reparsed = parseConfig(f.fixed, { version: "1.4.69" });
    // A fix may resolve syntax errors but never add any.
    expect(reparsed.problems.length).toBeLessThanOrEqual(Math.max(before, parseConfig(f.original, { version: "1.4.69" }).problems.length));
  }
  fs.rmSync(file);
}

describe(`fuzz (${runs} runs per property)`, () => {
  it("generated configs", () => {
    fc.assert(
      fc.property(configText(), (t) => check(Buffer.from(t))),
      { numRuns: runs },
    );
  });
  it("damaged configs", () => {
    fc.assert(
      fc.property(damagedConfigText(), (t) => check(Buffer.from(t))),
      { numRuns: runs },
    );
  });
  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(b)),
      { numRuns: runs },
    );
  });
  it("decodes invalid UTF-8 without losing a byte", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const d = decodeSource(b);
        expect(Buffer.from(d.text, d.encoding).equals(Buffer.from(b))).toBe(true);
      }),
      { numRuns: runs * 3 },
    );
  });
});
