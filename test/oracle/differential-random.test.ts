/**
 * Accept/reject parity with `lighttpd -t` on random token soup: sequences of the language's tokens
 * (keys, strings, numbers, operators, brackets, conditions, `else` spellings, line breaks) that are
 * mostly not valid configs. This exercises the tokenizer's states and the parser's emulation of
 * LEMON's silent token dropping far beyond the hand-written cases.
 * No `include`/`include_shell` words are generated: lighttpd would read files or run commands.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { refusedOnLoad } from "../../src/ast/diagnostics.js";
import { lint } from "../../src/linter.js";
import { describeWithLighttpd, lighttpdVersion, runLighttpd } from "../helpers/lighttpd.js";
import { damagedConfigText } from "../helpers/generators.js";

const RUNS = Number(process.env.DIFF_RANDOM_RUNS ?? 1500);

const vocabulary = [
  "var.a",
  "var.b",
  "x",
  "server.tag",
  "server.port",
  "9",
  "80",
  "99999999999",
  '"s"',
  '"a\\"b"',
  '"^/x"',
  '"/p"',
  "=",
  "+=",
  ":=",
  "+",
  "(",
  ")",
  ",",
  "=>",
  "->",
  "{",
  "}",
  "[",
  "]",
  "$",
  "$HTTP",
  '$HTTP["url"]',
  '$HTTP["host"]',
  "==",
  "!=",
  "=~",
  "=^",
  "=$",
  "else",
  "elseif",
  "elif",
  "if",
  "global",
  ";",
  "#c",
  "\n",
  "\n",
  "\n",
  " ",
];

const soup = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 24 }).map((parts) => {
  let text = 'server.document-root = "/tmp"\n';
  for (const p of parts) text += p === "\n" || p === " " ? p : p + (p === "#c" ? "\n" : " ");
  return text + "\n";
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-diff-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs lighttpd -t and lint on one input; returns whether lighttpd accepted it (undefined: it crashed). */
function compare(file: string, text: string): boolean | undefined {
  fs.writeFileSync(file, text);
  const verdict = runLighttpd("-t", file, { cwd: dir, env: { PATH: process.env.PATH } });
  if (verdict.status !== 0 && verdict.status !== 255) return undefined; // lighttpd crashed: no verdict
  const found = lint(file, { cwd: dir, env: {}, project: { lighttpdVersion, rules: {} } }).files.flatMap((f) => f.diagnostics);
  const errors = found.filter((d) => d.severity === "error").map((d) => `${d.ruleId}: ${d.message}`);
  if (verdict.status !== 0) {
    expect(errors, `lighttpd -t rejects:\n${verdict.stderr}`).not.toEqual([]);
    return false;
  }
  // Findings whose effect says lighttpd refuses the file while reading it (RuleMeta.effect).
  expect(
    found.filter(refusedOnLoad).map((d) => `${d.ruleId}: ${d.message}`),
    "lighttpd -t accepts this",
  ).toEqual([]);
  return true;
}

describeWithLighttpd("accept/reject parity with lighttpd -t on random input", () => {
  it(`agrees on ${RUNS} inputs of random token soup`, () => {
    const file = path.join(dir, "soup.conf");
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(soup, (text) => {
        const r = compare(file, text);
        if (r !== undefined) seen[`${r}`]++;
      }),
      { numRuns: RUNS },
    );
    console.log(`random token soup: ${seen.true} accepted, ${seen.false} rejected by lighttpd -t`);
    expect(seen.true).toBeGreaterThan(RUNS / 20);
  }, 600_000);

  it(`agrees on ${RUNS} damaged valid configs`, () => {
    const file = path.join(dir, "damaged.conf");
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(damagedConfigText(), (text) => {
        const r = compare(file, text);
        if (r !== undefined) seen[`${r}`]++;
      }),
      { numRuns: RUNS },
    );
    console.log(`damaged configs: ${seen.true} accepted, ${seen.false} rejected by lighttpd -t`);
    expect(seen.true).toBeGreaterThan(RUNS / 20);
  }, 600_000);
});
