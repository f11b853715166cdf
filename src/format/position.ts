/** 1-based line/column ranges of diagnostics, computed once per file. */
import path from "node:path";
import { printable } from "./printable.js";
import type { Diagnostic } from "../ast/diagnostics.js";
import type { FileResult } from "../engine/lint.js";
import { SourceText } from "../../grammar/tokens.js";

export interface Located extends Diagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function locate(text: string, diagnostics: Diagnostic[]): Located[] {
  // Lines are found only up to the last offset asked for: a finding near the top of a large file
  // need not index all of it (the text up to there has the same line starts).
  let last = 0;
  for (const d of diagnostics) last = Math.max(last, d.start, d.end);
  const lines = new SourceText(last + 1 < text.length ? text.slice(0, last + 1) : text);
  return diagnostics.map((d) => {
    const s = lines.position(d.start);
    const e = lines.position(d.end);
    return { ...d, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  });
}

/** Names that are not files: `<stdin>`, `include_shell:<command>` (the output of a command). */
export function isPseudoFile(name: string): boolean {
  return /^<[^>]*>$/.test(name) || name.startsWith("include_shell:");
}

/** A file as shown to people: relative to cwd when it is inside, else as an absolute path. */
export function displayPath(file: string, cwd: string): string {
  if (isPseudoFile(file)) return file;
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

/**
 * For formats that can only point into real files (SARIF, GitHub annotations): findings in the
 * output of an include_shell command are moved to the include_shell statement that ran it.
 */
export function onRealFiles(results: FileResult[]): FileResult[] {
  const byPath = new Map(results.map((r) => [r.filePath, { ...r, diagnostics: [...r.diagnostics] }]));
  for (const r of results) {
    if (!isPseudoFile(r.filePath) || r.diagnostics.length === 0) continue;
    const at = [...r.includeChain].reverse().find((o) => !isPseudoFile(o.file) && byPath.has(o.file));
    if (!at) continue;
    const host = byPath.get(at.file)!;
    for (const d of r.diagnostics)
      host.diagnostics.push({
        ...d,
        file: at.file,
        start: at.start,
        end: at.end,
        message: `in the output of ${r.filePath}: ${d.message}`,
        fix: undefined,
        suggestions: undefined,
        conditions: undefined,
      });
    byPath.get(r.filePath)!.diagnostics = [];
  }
  return [...byPath.values()].map((r) => ({ ...r, diagnostics: r.diagnostics.sort((a, b) => a.start - b.start || a.end - b.end) }));
}

export { printable } from "./printable.js";

/** A source line for a code frame: tabs become one space (so the caret lines up), other controls are escaped. */
export function printableLine(s: string): string {
  return printable(s.replace(/\t/g, " "));
}
