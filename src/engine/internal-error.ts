/**
 * The rule for lighttpd-lint's own failures: a safety net caught an exception (a rule, the
 * evaluator, the parser). Defined here because the engine itself reports it; registered in
 * rules/index.ts like every other rule so that it has docs and obeys settings.
 */
import type { Rule } from "./types.js";

export const internalError: Rule = {
  meta: {
    id: "internal-error",
    description: "lighttpd-lint failed on this input (a bug: please report it); what it says about the file is incomplete",
    severity: "error",
    fixable: false,
    // Not a statement about lighttpd; "risk": the file was not fully checked.
    effect: "risk",
  },
  check(context) {
    for (const d of context.config.diagnostics) {
      if (d.ruleId === "internal-error") context.report({ message: d.message, file: d.file, start: d.start, end: d.end });
    }
    for (const file of context.config.files.values()) {
      for (const p of file.parse.problems) {
        if (p.ruleId === "internal-error") context.report({ message: p.message, file: file.path, start: p.start, end: p.end });
      }
    }
  },
};
