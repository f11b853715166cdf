import type { Rule } from "../src/engine/types.js";

/** lighttpd stops reading at a NUL byte ("stray NUL") and still starts: the rest is silently ignored. */
const rule: Rule = {
  meta: { id: "nul-byte", description: "A NUL byte: lighttpd ignores everything after it", severity: "error", fixable: "suggestion" },
  check(context) {
    for (const file of context.config.files.values()) {
      for (const t of file.parse.tokens) {
        if (t.tokenType.name !== "NulTail") continue;
        const ignored = t.image.length - 1;
        context.report({
          message: `a NUL byte: lighttpd stops reading here and silently ignores the ${ignored} character${ignored === 1 ? "" : "s"} after it`,
          file: file.path,
          start: t.startOffset,
          end: t.startOffset + 1,
          fix: { description: "remove the NUL byte (lighttpd will then read the rest of the file)", edits: [{ range: [t.startOffset, t.startOffset + 1], text: "" }] },
        });
      }
    }
  },
};
export default rule;
