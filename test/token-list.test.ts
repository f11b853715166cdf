/**
 * TokenList (grammar/tokens.ts): tokens are numbers until asked for; token(i) makes each object
 * once, whatever the order of the questions, and keeps them through a repair that inserts tokens.
 * SourceText: where its lines start.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../grammar/tokens.js";
import { SourceText, TokenList } from "../grammar/tokens.js";

function listOf(n: number): TokenList {
  const list = new TokenList(new SourceText("x".repeat(2 * n + 10)), 4);
  for (let i = 0; i < n; i++) list.push(T.Comma, 2 * i, 2 * i + 1);
  return list;
}

describe("TokenList.token", () => {
  it("makes each token once, in any order of asking, with its own offsets", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(199), { maxLength: 400 }), (asked) => {
        const list = listOf(200);
        const seen = new Map<number, T.Token>();
        for (const i of asked) {
          const t = list.token(i);
          expect(t.startOffset).toBe(2 * i);
          expect(t.endOffset).toBe(2 * i);
          if (seen.has(i)) expect(t).toBe(seen.get(i));
          seen.set(i, t);
        }
        const all = list.toArray();
        for (const [i, t] of seen) expect(all[i]).toBe(t);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps made tokens, at their new indexes, when tokens are inserted before them", () => {
    const list = listOf(10);
    const t2 = list.token(2);
    const t7 = list.token(7);
    const t5 = list.token(5); // made behind the last one made
    list.insert(4, [{ type: T.Plus, start: 100, end: 101 }]);
    expect(list.token(2)).toBe(t2);
    expect(list.token(6)).toBe(t5);
    expect(list.token(8)).toBe(t7);
    expect(list.token(4).tokenType).toBe(T.Plus);
    expect(list.token(4).startOffset).toBe(100);
    expect(list.length).toBe(11);
  });
});

describe("TokenList ends", () => {
  it("are kept for every length (a byte holds the short ones), also after tokens are inserted before them", () => {
    const lengths = [0, 1, 254, 255, 256, 1000, 70_000, 3];
    const list = new TokenList(new SourceText("x".repeat(80_000)), 2);
    let at = 0;
    for (const n of lengths) {
      list.push(T.StringLit, at, at + n);
      at += n;
    }
    const expectEnds = (offset: number) => lengths.forEach((n, i) => expect(list.end(i + offset) - list.start(i + offset)).toBe(n));
    expectEnds(0);
    list.insert(0, [{ type: T.Plus, start: 0, end: 300 }]);
    expect(list.end(0)).toBe(300);
    expectEnds(1);
    expect(list.token(7).endOffset - list.token(7).startOffset).toBe(70_000 - 1);
  });
});

describe("SourceText line starts", () => {
  /** Line starts read the plain way: after every "\n", "\r\n" and lone "\r". */
  const naive = (text: string): number[] => {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] !== "\n")) starts.push(i + 1);
    return starts;
  };
  it("match a plain reading for LF, CRLF and lone CR, also when there are more lines than room was made for", () => {
    const texts = ["", "a", "a\n", "\n".repeat(1000), "\r\n".repeat(700) + "x", "a\rb\r\nc\nd\r", "x".repeat(4000) + "\n\r\r\n", "\r".repeat(999)];
    for (const text of texts) {
      const source = new SourceText(text);
      expect([...source.lineStarts()], JSON.stringify(text.slice(0, 20))).toEqual(naive(text));
      expect(source.lineCount).toBe(naive(text).length);
    }
  });
});
