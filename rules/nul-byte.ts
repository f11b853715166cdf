import type { Fix } from "../src/ast/diagnostics.js";
import { parseConfig } from "../src/parse/parse.js";
import type { Rule } from "../src/engine/types.js";

/**
 * lighttpd stops reading at a NUL byte ("stray NUL") and still starts: the rest is silently
 * ignored. Two repairs are offered: removing the NUL (only when the text after it parses, since
 * lighttpd will then read it) or cutting the file at the NUL (what lighttpd reads today).
 */
const rule: Rule = {
  meta: { id: "nul-byte", description: "A NUL byte: lighttpd ignores everything after it", severity: "error", fixable: "suggestion", effect: "ignored" },
  check(context) {
    for (const file of context.config.files.values()) {
      // A NUL token starts at a NUL character: most files have none, and then no token needs a look.
      if (!file.text.includes("\0")) continue;
      for (const t of file.parse.tokens) {
        if (t.tokenType.name !== "NulTail") continue;
        const at = t.startOffset;
        const ignored = t.image.length - 1;
        const text = file.text;
        const truncate: Fix = { description: "cut the file at the NUL byte (keeps what lighttpd reads today)", edits: [{ range: [at, text.length], text: "" }] };
        const withoutNul = text.slice(0, at) + text.slice(at + 1);
        const cleanAfter = parseConfig(withoutNul, { version: file.parse.version }).problems.length <= file.parse.problems.length;
        const remove: Fix = { description: "remove the NUL byte (lighttpd will then read the rest of the file)", edits: [{ range: [at, at + 1], text: "" }] };
        context.report({
          message: `a NUL byte: lighttpd stops reading here and silently ignores the ${ignored} character${ignored === 1 ? "" : "s"} after it`,
          file: file.path,
          start: at,
          end: at + 1,
          suggestions: cleanAfter ? [remove, truncate] : [truncate],
        });
      }
    }
  },
};
export default rule;
