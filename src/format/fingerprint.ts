/**
 * A finding's identity that survives unrelated edits: its rule, the text of the lines it covers
 * (whitespace collapsed) and the text it points at, hashed. Not its line number. Used by
 * baselines (src/cli/baseline.ts) and SARIF partialFingerprints / GitLab fingerprints.
 */
import crypto from "node:crypto";
import type { Diagnostic } from "../ast/diagnostics.js";

export function contextHash(d: Pick<Diagnostic, "ruleId" | "start" | "end">, text: string): string {
  const lineStart = text.lastIndexOf("\n", d.start - 1) + 1;
  let lineEnd = text.indexOf("\n", Math.max(d.end, d.start + 1) - 1);
  if (lineEnd < 0) lineEnd = text.length;
  const lines = text.slice(lineStart, Math.max(lineEnd, lineStart)).replace(/\s+/g, " ").trim();
  const own = text.slice(d.start, d.end).replace(/\s+/g, " ");
  return crypto.createHash("sha256").update(`${d.ruleId}\0${lines}\0${own}`).digest("hex").slice(0, 16);
}
