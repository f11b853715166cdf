/**
 * ListKeys, the evaluator's duplicate-key check while it builds a list: keys compare as lighttpd's
 * array_caseless_compare does (only A-Z fold), by scanning in a short list and by a Map in a long one.
 */
import { describe, expect, it } from "vitest";
import type { ArrayItem } from "../src/eval/model.js";
import { asciiLower, ListKeys, sameIgnoringAsciiCase } from "../src/eval/values.js";

const item = (key: string): ArrayItem => ({ key, value: { type: "string", value: "" } });

describe("sameIgnoringAsciiCase", () => {
  it("agrees with comparing asciiLower of both, also for characters one bit (32) apart that are not letters", () => {
    const chars = ["a", "A", "z", "Z", "@", "`", "[", "{", "]", "}", "^", "~", "_", "\x7f", "0", "\x10", "À", "à", "Ł", "ł", "é", "É"];
    for (const x of chars)
      for (const y of chars) {
        for (const [a, b] of [
          [x, y],
          [`k${x}`, `k${y}`],
          [`${x}-${x}`, `${y}-${x}`],
        ])
          expect(sameIgnoringAsciiCase(a, b), `${a} / ${b}`).toBe(asciiLower(a) === asciiLower(b));
      }
    expect(sameIgnoringAsciiCase("abc", "ab")).toBe(false);
  });
});

describe("ListKeys", () => {
  for (const count of [3, 100]) {
    it(`finds the first item of a key in any letter case (${count} keys: ${count > 32 ? "Map" : "scan"})`, () => {
      // Room made for the keys beforehand (as the evaluator does) or not: the same answers.
      const keys = count > 32 ? new ListKeys(count) : new ListKeys();
      const items = Array.from({ length: count }, (_, i) => item(`/Path${i}`));
      for (const it of items) expect(keys.addOrFind(it.key!, it)).toBeUndefined();
      for (let i = 0; i < count; i++) {
        expect(keys.addOrFind(`/PATH${i}`, item(`/PATH${i}`))).toBe(items[i]);
        expect(keys.addOrFind(`/path${i}`, item(`/path${i}`))).toBe(items[i]);
      }
      // Not letters: not the same key.
      expect(keys.addOrFind("@", item("@"))).toBeUndefined();
      expect(keys.addOrFind("`", item("`"))).toBeUndefined();
    });
  }
});
