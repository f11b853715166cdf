import type { Rule } from "../src/engine/types.js";
import { valueProblems } from "../src/schema/value-problems.js";

/**
 * A value of the wrong type or shape for its key: lighttpd refuses to start (for core keys already
 * under -t, for module keys under -tt). An out-of-range number is integer-truncated's.
 * The classification lives in src/schema/value-problems.ts (config_plugin_values_init_block()).
 */
const rule: Rule = {
  meta: { id: "value-type", description: "A value of the wrong type or shape for its key", severity: "error", fixable: false, effect: "refused" },
  check(context) {
    for (const p of valueProblems(context.config, context.settings.lighttpdVersion)) {
      if (p.kind === "refused") context.report({ message: p.message, file: p.file, start: p.start, end: p.end, refusedAt: p.refusedAt });
    }
  },
};
export default rule;
