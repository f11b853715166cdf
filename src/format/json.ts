/**
 * The machine contract (docs/cli.md): an array with one entry per file linted (included files too),
 * `filePath` absolute (or `<stdin>`, `include_shell:<command>`), 1-based line/column (end exclusive), fixes as UTF-16 offset edits.
 */
import path from "node:path";
import { docsUrl } from "../ast/diagnostics.js";
import { isPseudoFile, locate } from "./position.js";
import type { Formatter } from "./types.js";
import type { FileResult } from "../engine/lint.js";
import { terminalSafeJson } from "./printable.js";

export const formatJson: Formatter = (results, options) => {
  // One file at a time, each file's JSON written as its own chunk (pretty-printed as before).
  const chunks: string[] = [];
  const write = options.write ?? ((c: string) => void chunks.push(c));
  write("[");
  results.forEach((r, i) => {
    const entry = fileEntry(r, options.cwd);
    const json = JSON.stringify(entry, null, 2).replace(/\n/g, "\n  ");
    write(`${i ? "," : ""}\n  ${terminalSafeJson(json)}`);
  });
  write(results.length ? "\n]\n" : "]\n");
  return options.write ? "" : chunks.join("");
};

function fileEntry(r: FileResult, cwd: string): object {
  const options = { cwd };
  return {
    filePath: isPseudoFile(r.filePath) ? r.filePath : path.resolve(options.cwd, r.filePath),
    diagnostics: locate(r.text, r.diagnostics).map((d) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      docs: docsUrl(d.ruleId),
      ...(d.fix ? { fix: { description: d.fix.description, edits: d.fix.edits } } : {}),
      ...(d.suggestions?.length ? { suggestions: d.suggestions } : {}),
      ...(d.related?.length ? { related: d.related } : {}),
    })),
  };
}
