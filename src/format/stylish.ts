/** The default, human format: grouped by file, a code frame under each finding, a summary line. */
import { docsUrl, type Severity } from "../ast/diagnostics.js";
import { Chalk } from "chalk";
import { SourceText } from "../../grammar/tokens.js";
import { displayPath, locate, printable, printableLine } from "./position.js";
import type { Formatter } from "./types.js";
import { enclosingConditions, includeChainText } from "./context.js";
import { splitMessage } from "./message.js";

/** Colours through chalk; whether to colour at all is decided once, by the caller (colorEnabled). */
function styles(enabled: boolean) {
  const c = new Chalk({ level: enabled ? 1 : 0 });
  return { red: c.red, yellow: c.yellow, blue: c.blue, dim: c.dim, underline: c.underline };
}

export const formatStylish: Formatter = (results, options) => {
  const c = styles(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let fixable = 0;
  for (const r of results) {
    if (r.diagnostics.length === 0) continue;
    const lines = new SourceText(r.text);
    const from = includeChainText(r, results, options.cwd);
    out.push(c.underline(printable(displayPath(r.filePath, options.cwd))) + (from ? c.dim(`  (included from ${printable(from)})`) : ""));
    const located = locate(r.text, r.diagnostics);
    const conditions = enclosingConditions(r.text, located);
    for (const [i, d] of located.entries()) {
      counts[d.severity]++;
      if (d.fix) fixable++;
      // The first clause only: the whole explanation is in `explain <id>`, the docs and the JSON/SARIF message.
      out.push(`  ${c.dim(`${d.line}:${d.column}`)}  ${paint[d.severity](d.severity)}  ${printable(splitMessage(d.message).summary)}  ${c.dim(d.ruleId)}`);
      // Tabs become one space so the caret lines up; control bytes must not reach the terminal.
      const src = printableLine(lines.lineText(d.line));
      if (src.trim()) {
        const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, src.length - d.column + 1);
        out.push(`    ${c.dim(String(d.line).padStart(4) + " |")} ${src.slice(0, 200)}`);
        out.push(`    ${" ".repeat(4)} ${c.dim("|")} ${" ".repeat(Math.max(0, d.column - 1))}${paint[d.severity]("^".repeat(Math.min(width, 200)))}`);
      }
      if (conditions[i].length) out.push(`    ${c.dim("in")} ${printable(conditions[i].join(" › ")).slice(0, 300)}`);
      // The command works offline (the pages ship with the package); the link is for the browser.
      out.push(`    ${c.dim(`lighttpd-lint explain ${d.ruleId} · ${docsUrl(d.ruleId)}`)}`);
    }
    out.push("");
  }
  const total = counts.error + counts.warning + counts.info;
  if (total > 0) {
    const parts = [`${counts.error} error${counts.error === 1 ? "" : "s"}`, `${counts.warning} warning${counts.warning === 1 ? "" : "s"}`];
    if (counts.info) parts.push(`${counts.info} info`);
    out.push((counts.error ? c.red.bold : c.yellow.bold)(`✖ ${total} problem${total === 1 ? "" : "s"} (${parts.join(", ")})`));
    if (fixable) out.push(c.dim(`  ${fixable} fixable with --fix`));
    out.push("");
  }
  return out.join("\n");
};
