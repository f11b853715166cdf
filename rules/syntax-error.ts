import type { Rule } from "../src/engine/types.js";

/** Everything lighttpd refuses to parse. Reported from the parse stage of every file read. */
const rule: Rule = {
  meta: { id: "syntax-error", description: "Text lighttpd cannot parse: it refuses to start", severity: "error", fixable: "fix" },
  check(context) {
    for (const file of context.config.files.values()) {
      for (const p of file.parse.problems) {
        if (p.ruleId === "syntax-error") context.report({ message: p.message, file: file.path, start: p.start, end: p.end, fix: p.fix });
      }
    }
  },
};
export default rule;
