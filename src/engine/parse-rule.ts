/** Rules reporting the parse stage's problems of one id in every file read (syntax-error, arrow-typo). */
import type { SyntaxProblem } from "../parse/parse.js";
import type { Rule, RuleMeta } from "./types.js";

export function parseProblemRule(meta: RuleMeta & { id: SyntaxProblem["ruleId"] }): Rule {
  return {
    meta,
    check(context) {
      for (const file of context.config.files.values()) {
        for (const p of file.parse.problems) {
          if (p.ruleId === meta.id) context.report({ message: p.message, file: file.path, start: p.start, end: p.end, fix: p.fix });
        }
      }
    },
  };
}
