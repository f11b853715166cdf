import type { Rule } from "../src/engine/types.js";

/** `"max-procs" -> 1`: a classic typo that makes lighttpd refuse the whole file. */
const rule: Rule = {
  meta: { id: "arrow-typo", description: "'->' where '=>' belongs in a list: lighttpd refuses the file", severity: "error", fixable: "fix" },
  check(context) {
    for (const file of context.config.files.values()) {
      for (const p of file.parse.problems) {
        if (p.ruleId === "arrow-typo") context.report({ message: p.message, file: file.path, start: p.start, end: p.end, fix: p.fix });
      }
    }
  },
};
export default rule;
