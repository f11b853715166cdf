/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
 * `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=rule-id::message` (info → notice).
 * Escaping follows the runner's rules: in the message %, CR and LF; in properties also : and ,.
 */
import path from "node:path";
import type { Severity } from "../ast/diagnostics.js";
import { displayPath, locate, onRealFiles, printable } from "./position.js";
import type { Formatter } from "./types.js";

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

export const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export const formatGithub: Formatter = (results, options) => {
  const lines: string[] = [];
  for (const r of onRealFiles(results)) {
    const file = displayPath(r.filePath, options.cwd).split(path.sep).join("/");
    for (const d of locate(r.text, r.diagnostics)) {
      // printable() first: no raw control character (ESC, a lone CR) reaches the log, then the runner's own escaping.
      const props = [
        `file=${escapeProperty(printable(file))}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${escapeProperty(d.ruleId)}`,
      ];
      lines.push(`::${COMMAND[d.severity]} ${props.join(",")}::${escapeData(printable(d.message))}`);
    }
  }
  return lines.length ? lines.join("\n") + "\n" : "";
};
