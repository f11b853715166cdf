/**
 * GitLab Code Quality (artifacts:reports:codequality): a JSON array of issues with description,
 * check_name, fingerprint (unique per finding), severity (info|minor|major|critical|blocker) and
 * location { path relative to the repository, lines.begin }. Findings in include_shell output
 * point at the include_shell statement (onRealFiles).
 * https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
 */
import crypto from "node:crypto";
import path from "node:path";
import type { Severity } from "../ast/diagnostics.js";
import { contextHash } from "./fingerprint.js";
import { displayPath, locate, onRealFiles } from "./position.js";
import { printable } from "./printable.js";
import type { Formatter } from "./types.js";

const GITLAB_SEVERITY: Record<Severity, string> = { error: "major", warning: "minor", info: "info" };

export const formatGitlab: Formatter = (results, options) => {
  const issues: object[] = [];
  const seen = new Map<string, number>();
  for (const r of onRealFiles(results)) {
    const file = displayPath(r.filePath, options.cwd).split(path.sep).join("/");
    for (const d of locate(r.text, r.diagnostics)) {
      // Unique per finding (GitLab drops duplicates): context hash, plus a counter for identical copies.
      const base = `${file}\0${contextHash(d, r.text)}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      issues.push({
        type: "issue",
        check_name: d.ruleId,
        description: printable(d.message),
        categories: ["Bug Risk"],
        severity: GITLAB_SEVERITY[d.severity],
        fingerprint: crypto.createHash("md5").update(`${base}\0${n}`).digest("hex"),
        location: { path: printable(file), lines: { begin: d.line, end: d.endLine } },
      });
    }
  }
  return JSON.stringify(issues, null, 2) + "\n";
};
