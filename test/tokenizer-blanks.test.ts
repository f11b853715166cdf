/**
 * Runs of blanks (spaces, tabs) are not stored in the tokenizer's trivia list: `all` makes them as
 * WhiteSpace tokens from the gaps the other tokens leave (grammar/tokenizer.ts mergeTokens). They
 * must come out as the tokenizer read them: one token per maximal run, a no-break space a token of
 * its own, and none where the text has no blank.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../grammar/tokenizer.js";
import { configText, damagedConfigText } from "./helpers/generators.js";

/** The tokens as [type, image]. */
function tokens(text: string): [string, string][] {
  return tokenize(text, "1.4.69").all.map((t) => [t.tokenType.name, t.image]);
}

/** What a tokenizer that stored its blanks would give for them: each token's image in order, and the blanks' own checks. */
function checkBlanks(text: string): void {
  const all = tokenize(text, "1.4.69").all;
  let at = 0;
  for (let i = 0; i < all.length; i++) {
    const t = all[i];
    expect(t.startOffset).toBe(at);
    at += t.image.length;
    if (t.tokenType.name !== "WhiteSpace") {
      // Outside strings and comments, a blank is always a token of its own.
      if (t.tokenType.name !== "StringLit" && t.tokenType.name !== "Comment" && !t.tokenType.trivia) expect(t.image).not.toMatch(/^[ \t]/);
      continue;
    }
    expect(t.image).toMatch(/^(?:[ \t]+|\u00a0)$/);
    if (t.image === "\u00a0") continue;
    // A run is maximal: no blank run right before or after it.
    const prev = all[i - 1];
    const next = all[i + 1];
    if (prev?.tokenType.name === "WhiteSpace") expect(prev.image).toBe("\u00a0");
    if (next?.tokenType.name === "WhiteSpace") expect(next.image).toBe("\u00a0");
  }
  expect(at).toBe(text.length);
}

describe("blanks made from the gaps between tokens", () => {
  it("at the start, between tokens, before a line end and at the end of the file", () => {
    expect(tokens(' \tserver.port = 80 \n\t"x" ')).toEqual([
      ["WhiteSpace", " \t"],
      ["Key", "server.port"],
      ["WhiteSpace", " "],
      ["Assign", "="],
      ["WhiteSpace", " "],
      ["IntegerLit", "80"],
      ["WhiteSpace", " "],
      ["Eol", "\n"],
      ["WhiteSpace", "\t"],
      ["StringLit", '"x"'],
      ["WhiteSpace", " "],
    ]);
  });

  it("inside lists, around comments and newlines, and none where there is no blank", () => {
    expect(tokens('a = ( "k"  =>"v",\n  # c\n\t"w" )\n')).toEqual([
      ["Key", "a"],
      ["WhiteSpace", " "],
      ["Assign", "="],
      ["WhiteSpace", " "],
      ["LParen", "("],
      ["WhiteSpace", " "],
      ["StringLit", '"k"'],
      ["WhiteSpace", "  "],
      ["ArrayAssign", "=>"],
      ["StringLit", '"v"'],
      ["Comma", ","],
      ["Newline", "\n"],
      ["WhiteSpace", "  "],
      ["Comment", "# c"],
      ["Newline", "\n"],
      ["WhiteSpace", "\t"],
      ["StringLit", '"w"'],
      ["WhiteSpace", " "],
      ["RParen", ")"],
      ["Eol", "\n"],
    ]);
  });

  it("a no-break space stays a token of its own beside a run of blanks", () => {
    expect(tokens("a =  \u00a0 1\n")).toEqual([
      ["Key", "a"],
      ["WhiteSpace", " "],
      ["Assign", "="],
      ["WhiteSpace", "  "],
      ["WhiteSpace", "\u00a0"],
      ["WhiteSpace", " "],
      ["IntegerLit", "1"],
      ["Eol", "\n"],
    ]);
  });

  it("on generated, damaged and random texts", () => {
    fc.assert(fc.property(configText(), checkBlanks), { numRuns: 200 });
    fc.assert(fc.property(damagedConfigText(), checkBlanks), { numRuns: 200 });
    const piece = fc.constantFrom(" ", "\t", "\u00a0", "\n", "\r\n", "#", "a", "=", '"', "(", ")", "{", "}", ",", "+", "$", "[", "]", "\0", "else", "1");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (p) => checkBlanks(p.join(""))),
      { numRuns: 500 },
    );
  });
});
