/**
 * condition-case-collision: lighttpd compares condition texts ASCII case-insensitively when it
 * merges blocks (configparser.y, array_get_element_klen on the context key), so
 * $HTTP["url"] =~ "^/API" and $HTTP["url"] =~ "^/api" become ONE block: both bodies apply to
 * whichever pattern was written first, and a duplicate key between them is fatal.
 */
import type { Rule } from "../src/engine/types.js";
import { writtenConditionValue } from "../src/engine/config-query.js";

const rule: Rule = {
  meta: {
    id: "condition-case-collision",
    description: "Two conditions that differ only in letter case: lighttpd merges them into one block",
    severity: "warning",
    fixable: false,
    effect: "misread",
  },
  check(context) {
    for (const ctx of context.config.contexts) {
      const cond = ctx.condition;
      if (!cond || cond.sites.length < 2) continue;
      if (cond.field.toLowerCase() === "host") continue; // host names are case-insensitive anyway
      const first = cond.sites[0];
      const firstValue = writtenConditionValue(first.node);
      if (firstValue === undefined) continue;
      const seen = new Set([firstValue]);
      for (const site of cond.sites.slice(1)) {
        const value = writtenConditionValue(site.node);
        if (value === undefined || seen.has(value) || value.toLowerCase() !== firstValue.toLowerCase()) continue;
        seen.add(value);
        const lit = site.node.value!;
        context.report({
          message: `condition "${value}" differs from "${firstValue}" only in letter case: lighttpd compares condition texts case-insensitively and merges both blocks into one, matched with "${firstValue}" (the first written), so this block's settings apply to the other pattern`,
          file: site.file,
          start: lit.start,
          end: lit.end,
          related: [{ message: `merged with this condition`, file: first.file, start: first.node.value!.start, end: first.node.value!.end }],
        });
      }
    }
  },
};

export default rule;
