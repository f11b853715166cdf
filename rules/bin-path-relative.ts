/**
 * bin-path-relative: lighttpd exec()s bin-path as written (gw_backend.c parse_binpath), so a
 * relative program path is looked up from whatever directory lighttpd was started in: it works
 * from a shell in the right directory and fails under systemd (cwd "/").
 */
import type { Rule } from "../src/engine/types.js";
import { arrayEntry, backendHosts, describeHost, hasUnknown, itemValueRange, stringOf } from "../src/engine/config-query.js";

const rule: Rule = {
  meta: {
    id: "bin-path-relative",
    description: "A relative bin-path: resolved against the directory lighttpd happens to be started from",
    severity: "warning",
    fixable: false,
    effect: "runtime",
  },
  check(context) {
    for (const h of backendHosts(context.config)) {
      const item = arrayEntry(h.entries, "bin-path");
      if (!item || hasUnknown(item.value)) continue;
      const binPath = stringOf(item.value);
      const program = binPath?.trim().split(/\s+/)[0];
      if (!program || program.startsWith("/")) continue;
      const where = itemValueRange(item);
      if (!where) continue;
      context.report({
        message: `${describeHost(h)}: bin-path "${program}" is relative: lighttpd runs it relative to the directory it was started from (under systemd that is "/"), so the backend fails to start there. Use an absolute path (var.CWD + "/..." if it lives beside the config)`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
    }
  },
};

export default rule;
