/**
 * Where the tokenizer ends a string (grammar/tokenizer.ts string()): at the first '"' not right
 * after a backslash (lighttpd's only escape is \"), else at the line end (unterminated), and never
 * past a NUL (lighttpd reads no further). Expected offsets are worked out by hand.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/parse/parse.js";

/** The tokens as [type, start, exclusive end, unterminated?]. */
function tokens(text: string): [string, number, number, boolean][] {
  return parseConfig(text, { version: "1.4.69" }).tokens.map((t) => [t.tokenType.name, t.startOffset, t.endOffset + 1, t.unterminated]);
}

const string = (text: string) => tokens(text).filter(([type]) => type === "StringLit");

describe("string literals end", () => {
  it("at the first quote without a backslash before it", () => {
    expect(string('a = "x\\"y"\n')).toEqual([["StringLit", 4, 10, false]]);
    expect(string('a = ""\n')).toEqual([["StringLit", 4, 6, false]]);
    // `\\"` is a backslash and an escaped quote: the string goes on to the next quote, and `"b"` is cut in two.
    expect(string('a = "\\\\" + "b"\n')).toEqual([
      ["StringLit", 4, 12, false],
      ["StringLit", 13, 14, true],
    ]);
  });

  it("at the line end when the last quote is escaped (unterminated)", () => {
    expect(string('a = "x\\\\"\nb = 1\n')).toEqual([["StringLit", 4, 9, true]]);
    expect(string('a = "\\"')).toEqual([["StringLit", 4, 7, true]]);
  });

  it("at a NUL, which ends the file, also after a NUL inside an earlier token", () => {
    expect(tokens('a = "x\0y"\n').slice(-2)).toEqual([
      ["StringLit", 4, 6, true],
      ["NulTail", 6, 10, false],
    ]);
    // A lone surrogate and a NUL make one invalid token; the string after it still stops at the next NUL.
    expect(tokens('\ud800\0"ab"')).toEqual([
      ["Invalid", 0, 2, false],
      ["StringLit", 2, 6, false],
    ]);
    expect(string('"a" \ud800\0"b"')).toEqual([
      ["StringLit", 0, 3, false],
      ["StringLit", 6, 9, false],
    ]);
    expect(tokens('\ud800\0"ab\0c"').map(([type, start, end]) => [type, start, end])).toEqual([
      ["Invalid", 0, 2],
      ["StringLit", 2, 5],
      ["NulTail", 5, 8],
    ]);
  });
});
