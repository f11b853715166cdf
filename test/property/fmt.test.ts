/**
 * Properties of the formatter on random configs: fmt(fmt(x)) == fmt(x); the significant tokens
 * (commas aside) and the comments are the same before and after; damaged input is either refused or
 * formatted with the same guarantees; the target version never changes that.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatText, type FormatOptions } from "../../src/fmt/format.js";
import { tokenize } from "../../grammar/tokenizer.js";
import * as T from "../../grammar/tokens.js";
import { configText, damagedConfigText } from "../helpers/generators.js";

const runs = Number(process.env.FMT_PROPERTY_RUNS ?? 400);

function essence(text: string, version: string): string[] {
  return tokenize(text, version)
    .all.filter((t) => t.tokenType === T.Comment || (!t.tokenType.trivia && t.tokenType !== T.Comma && t.tokenType !== T.Eol))
    .map((t) => (t.tokenType === T.Comment ? t.image.trimEnd() : t.image));
}

const options = fc.record({
  version: fc.constantFrom("1.4.55", "1.4.59", "1.4.69", "1.4.74", "1.4.79"),
  indent: fc.constantFrom(2, 4, 8),
  maxBlankLines: fc.constantFrom(0, 1, 2),
  printWidth: fc.constantFrom(20, 60, 100),
  alignArrows: fc.boolean(),
}) as fc.Arbitrary<FormatOptions>;

function check(text: string, o: FormatOptions): boolean {
  const once = formatText(text, o);
  if (!once.ok) return false;
  const twice = formatText(once.text, o);
  expect(twice.ok, "the formatter's own output must be accepted").toBe(true);
  if (twice.ok) expect(twice.text).toBe(once.text);
  expect(essence(once.text, o.version)).toEqual(essence(text, o.version));
  return true;
}

describe("fmt properties", () => {
  it("is idempotent and keeps every token and comment on generated configs", () => {
    let formatted = 0;
    fc.assert(
      fc.property(configText(), options, (text, o) => {
        if (check(text, o)) formatted++;
      }),
      { numRuns: runs },
    );
    // Generated configs are valid, apart from rare accidents: most must be formatted.
    expect(formatted).toBeGreaterThan(runs * 0.5);
  });

  it("refuses or formats damaged configs, never breaking the guarantees", () => {
    fc.assert(
      fc.property(damagedConfigText(), options, (text, o) => {
        check(text, o);
      }),
      { numRuns: runs },
    );
  });
});
