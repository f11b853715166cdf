/** 1-based line/column ranges of diagnostics, computed once per file. */
import type { Diagnostic } from "../ast/diagnostics.js";
import { LineIndex } from "../parse/source.js";

export interface Located extends Diagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function locate(text: string, diagnostics: Diagnostic[]): Located[] {
  const lines = new LineIndex(text);
  return diagnostics.map((d) => {
    const s = lines.position(d.start);
    const e = lines.position(d.end);
    return { ...d, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  });
}
