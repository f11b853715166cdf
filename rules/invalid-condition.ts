import type { Rule } from "../src/engine/types.js";
import { stageRule } from "../src/engine/stage-rule.js";
import { socketPortOutOfRange } from "../src/eval/conditions.js";

const meta = {
  id: "invalid-condition",
  description: 'A condition lighttpd refuses: unknown $OBJECT["field"], a non-string value, a bad address, or a condition inside global { }',
  severity: "error",
  fixable: false,
  effect: "refused",
} as const;
const fromEvaluator = stageRule({ ...meta });

/**
 * Most findings are reported by the evaluator (src/eval/evaluate.ts), where lighttpd's parser
 * refuses them. A `$SERVER["socket"]` port out of range (":70000", ":0") passes the parser and
 * `lighttpd -p`, and stops lighttpd only when network.c opens its listeners (-tt, start): checked
 * here so that `dump` stays as accepting as `lighttpd -p`.
 */
const rule: Rule = {
  meta: fromEvaluator.meta,
  check(context) {
    fromEvaluator.check(context);
    for (const ctx of context.config.contexts) {
      const c = ctx.condition;
      // network_init: `==` opens the address and `!=` parses it; a plain else (COND_ELSE) neither.
      if (!c || ctx.invalid || c.unknown || c.object !== "SERVER" || c.field !== "socket" || (c.op !== "==" && c.op !== "!=")) continue;
      if (ctx.isElse && ctx.branches.every((b) => b.node.condition === undefined)) continue;
      const port = socketPortOutOfRange(c.value);
      if (port === undefined) continue;
      const site = c.sites[0];
      const value = site.node.value;
      if (!value) continue;
      context.report({
        message: `"${c.value}" has no valid port (1-65535): lighttpd refuses to start ("port not set or out of range: ${port}"); lighttpd -p and -t do not notice it`,
        file: site.file,
        start: value.start,
        end: value.end,
      });
    }
  },
};
export default rule;
