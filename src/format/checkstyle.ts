/** Checkstyle XML (Jenkins warnings-ng, reviewdog, SonarQube): <file name> with <error line column severity message source>. */
import { displayPath, locate } from "./position.js";
import type { Formatter } from "./types.js";
import { xmlEscape as x } from "./xml.js";

export const formatCheckstyle: Formatter = (results, options) => {
  const files = results.map((r) => {
    const errors = locate(r.text, r.diagnostics).map(
      (d) => `    <error line="${d.line}" column="${d.column}" severity="${d.severity}" message="${x(d.message)}" source="lighttpd-lint.${x(d.ruleId)}" />`,
    );
    return `  <file name="${x(displayPath(r.filePath, options.cwd))}">${errors.length ? `\n${errors.join("\n")}\n  ` : ""}</file>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n${files.join("\n")}${files.length ? "\n" : ""}</checkstyle>\n`;
};
