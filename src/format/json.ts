/**
 * The machine contract (docs/cli.md): an array with one entry per file linted (included files too),
 * `filePath` absolute (or `<stdin>`, `include_shell:<command>`), 1-based line/column (end exclusive), fixes as UTF-16 offset edits.
 */
import path from "node:path";
import { docsUrl } from "../ast/diagnostics.js";
import { isPseudoFile, locate } from "./position.js";
import type { Formatter } from "./types.js";

export const formatJson: Formatter = (results, options) => {
  const out = results.map((r) => ({
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
  }));
  return JSON.stringify(out, null, 2) + "\n";
};
