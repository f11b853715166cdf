/** The machine contract: one entry per file linted, 1-based lines and columns, fixes as offset edits. */
import { docsUrl } from "../ast/diagnostics.js";
import { locate } from "./position.js";
import type { Formatter } from "./types.js";

export const formatJson: Formatter = (results) => {
  const out = results.map((r) => ({
    filePath: r.filePath,
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
