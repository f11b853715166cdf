/**
 * Inline suppressions, in comments:
 *   # lighttpd-lint-disable-next-line <id>[, <id>] -- reason
 *   # lighttpd-lint-disable-line <id>
 *   # lighttpd-lint-disable <id>            (whole file)
 * A suppression that suppresses nothing is itself reported (`unused-suppression`).
 */
import type { Token } from "../../grammar/tokens.js";
import * as T from "../../grammar/tokens.js";
import type { Diagnostic } from "../ast/diagnostics.js";
import type { SourceText } from "../../grammar/tokens.js";

export interface Suppression {
  kind: "next-line" | "line" | "file";
  ids: string[];
  /** The line it applies to (1-based); 0 for the whole file. */
  line: number;
  comment: Token;
  used: Set<string>;
}

const PATTERN = /^#\s*lighttpd-lint-disable(-next-line|-line)?\s+([A-Za-z0-9_,\s-]+?)\s*(?:--.*)?$/;

export function findSuppressions(tokens: Token[]): Suppression[] {
  const out: Suppression[] = [];
  for (const t of tokens) {
    if (t.tokenType !== T.Comment || !t.image.includes("lighttpd-lint-disable")) continue;
    const m = PATTERN.exec(t.image.trimEnd());
    if (!m) continue;
    const ids = m[2].split(/[\s,]+/).filter(Boolean);
    const line = t.startLine ?? 0;
    const kind = m[1] === "-next-line" ? "next-line" : m[1] === "-line" ? "line" : "file";
    out.push({ kind, ids, line: kind === "next-line" ? line + 1 : kind === "line" ? line : 0, comment: t, used: new Set() });
  }
  return out;
}

/** Splits diagnostics of one file into kept and suppressed, marking which suppressions were used. */
export function applySuppressions(diagnostics: Diagnostic[], suppressions: Suppression[], lines: SourceText): Diagnostic[] {
  if (suppressions.length === 0) return diagnostics;
  return diagnostics.filter((d) => {
    const line = lines.position(d.start).line;
    for (const s of suppressions) {
      if ((s.kind === "file" || s.line === line) && (s.ids.includes(d.ruleId) || s.ids.includes("all"))) {
        s.used.add(d.ruleId);
        return false;
      }
    }
    return true;
  });
}
