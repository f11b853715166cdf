/** locate (src/format/position.ts): the lines and columns every output format prints. */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/ast/diagnostics.js";
import { SourceText } from "../grammar/tokens.js";
import { locate } from "../src/format/position.js";

const finding = (start: number, end: number): Diagnostic => ({ ruleId: "syntax-error", severity: "error", message: "m", file: "f", start, end, effect: "refused" });

describe("locate", () => {
  it("gives every offset the line and column of the whole text's index, also where it indexes only a prefix", () => {
    const text = "a\r\nbb\rccc\n\n" + "x".repeat(50) + "\r\n" + "y\r" + "\n";
    const full = new SourceText(text);
    for (let start = 0; start <= text.length; start++) {
      for (const end of [start, Math.min(text.length, start + 1), Math.min(text.length, start + 7)]) {
        const [d] = locate(text, [finding(start, end)]);
        const s = full.position(start);
        const e = full.position(end);
        expect([d.line, d.column, d.endLine, d.endColumn], `${start}-${end}`).toEqual([s.line, s.column, e.line, e.column]);
      }
    }
  });
});
