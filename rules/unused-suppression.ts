import type { Rule } from "../src/engine/types.js";

/** Reported by the engine itself (src/engine/lint.ts) after suppressions are applied. */
const rule: Rule = {
  meta: { id: "unused-suppression", description: "A lighttpd-lint-disable comment that suppresses nothing", severity: "warning", fixable: "fix", effect: "ignored" },
  check() {},
};
export default rule;
