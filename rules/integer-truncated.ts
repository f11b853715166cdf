import type { Rule } from "../src/engine/types.js";
import { valueProblems } from "../src/schema/value-problems.js";

/**
 * A number lighttpd accepts but silently changes: a literal past 2147483647 wraps (the evaluator
 * reports it, src/eval/evaluate.ts), and a value past its key's range is truncated
 * (src/schema/value-problems.ts). Split from integer-overflow (refused) and value-type (refused).
 */
const rule: Rule = {
  meta: {
    id: "integer-truncated",
    description: "A number lighttpd silently changes: wrapped past 2147483647, or truncated to its key's range",
    severity: "warning",
    fixable: false,
    effect: "misread",
  },
  check(context) {
    for (const d of context.config.diagnostics) {
      if (d.ruleId === "integer-truncated") context.report({ message: d.message, file: d.file, start: d.start, end: d.end });
    }
    for (const p of valueProblems(context.config, context.settings.lighttpdVersion)) {
      // A key's truncated value is certainly what lighttpd uses (a wrapped literal may sit in an unused var.*).
      if (p.kind === "truncated") context.report({ message: p.message, file: p.file, start: p.start, end: p.end, severity: "error" });
    }
  },
};
export default rule;
