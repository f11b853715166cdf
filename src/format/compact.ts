/** `file:line:col: severity: message [rule-id]`, one finding per line, for editors and grep. */
import { displayPath, locate, printable } from "./position.js";
import type { Formatter } from "./types.js";

export const formatCompact: Formatter = (results, options) => {
  const lines: string[] = [];
  for (const r of results) {
    const name = printable(displayPath(r.filePath, options.cwd));
    for (const d of locate(r.text, r.diagnostics)) lines.push(`${name}:${d.line}:${d.column}: ${d.severity}: ${printable(d.message)} [${d.ruleId}]`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
};
