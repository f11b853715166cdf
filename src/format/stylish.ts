/** The default, human format: grouped by file, a code frame under each finding, a summary line. */
import { docsUrl, type Severity } from "../ast/diagnostics.js";
import { LineIndex } from "../parse/source.js";
import { displayPath, locate, printable, printableLine } from "./position.js";
import type { Formatter } from "./types.js";

/** The few ANSI styles we use (chalk costs ~5 ms of start-up for the same). */
function styles(enabled: boolean) {
  const sgr = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  const bold = sgr(1, 22);
  const red = sgr(31, 39);
  const yellow = sgr(33, 39);
  return { red: Object.assign(red, { bold: (s: string) => bold(red(s)) }), yellow: Object.assign(yellow, { bold: (s: string) => bold(yellow(s)) }), blue: sgr(34, 39), dim: sgr(2, 22), underline: sgr(4, 24) };
}

export const formatStylish: Formatter = (results, options) => {
  const c = styles(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let fixable = 0;
  for (const r of results) {
    if (r.diagnostics.length === 0) continue;
    const lines = new LineIndex(r.text);
    out.push(c.underline(printable(displayPath(r.filePath, options.cwd))));
    for (const d of locate(r.text, r.diagnostics)) {
      counts[d.severity]++;
      if (d.fix) fixable++;
      out.push(`  ${c.dim(`${d.line}:${d.column}`)}  ${paint[d.severity](d.severity)}  ${printable(d.message)}  ${c.dim(d.ruleId)}`);
      // Tabs become one space so the caret lines up; control bytes must not reach the terminal.
      const src = printableLine(lines.lineText(d.line));
      if (src.trim()) {
        const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, src.length - d.column + 1);
        out.push(`    ${c.dim(String(d.line).padStart(4) + " |")} ${src.slice(0, 200)}`);
        out.push(`    ${" ".repeat(4)} ${c.dim("|")} ${" ".repeat(Math.max(0, d.column - 1))}${paint[d.severity]("^".repeat(Math.min(width, 200)))}`);
      }
      out.push(`    ${c.dim(docsUrl(d.ruleId))}`);
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
