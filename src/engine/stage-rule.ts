/**
 * Rules whose findings come from an earlier stage (the parser or the evaluator) rather than from a
 * check of their own. They still have meta, docs and fixtures, and obey severity settings and
 * suppressions like every other rule.
 */
import type { Rule, RuleMeta } from "./types.js";

export function stageRule(meta: RuleMeta): Rule {
  return {
    meta,
    check(context) {
      for (const d of context.config.diagnostics) {
        if (d.ruleId !== meta.id) continue;
        context.report({
          message: d.message,
          file: d.file,
          start: d.start,
          end: d.end,
          fix: d.fix,
          suggestions: d.suggestions,
          related: d.related,
          severity: d.severity === meta.severity ? undefined : d.severity,
          effect: d.effect,
        });
      }
    },
  };
}
