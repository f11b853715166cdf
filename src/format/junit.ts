/**
 * JUnit XML (Jenkins, GitLab `artifacts:reports:junit`, Azure): one <testsuite> per file, one
 * failing <testcase> per finding, one passing <testcase> for a file without findings.
 */
import { displayPath, locate } from "./position.js";
import type { Formatter } from "./types.js";
import { xmlEscape as x } from "./xml.js";

export const formatJunit: Formatter = (results, options) => {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  for (const r of results) {
    const name = displayPath(r.filePath, options.cwd);
    const cases = locate(r.text, r.diagnostics).map(
      (d) =>
        `    <testcase name="${x(`${d.line}:${d.column} ${d.ruleId}`)}" classname="${x(name)}" time="0">\n      <failure message="${x(d.message)}" type="${d.severity}">${x(`${name}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.ruleId}]`)}</failure>\n    </testcase>`,
    );
    const n = Math.max(1, cases.length);
    total += n;
    failures += cases.length;
    if (cases.length === 0) cases.push(`    <testcase name="${x(name)}" classname="${x(name)}" time="0" />`);
    suites.push(`  <testsuite name="${x(name)}" tests="${n}" failures="${r.diagnostics.length}" errors="0" skipped="0" time="0">\n${cases.join("\n")}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="lighttpd-lint" tests="${total}" failures="${failures}" errors="0" time="0">\n${suites.join("\n")}${suites.length ? "\n" : ""}</testsuites>\n`;
};
