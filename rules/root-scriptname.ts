/**
 * root-scriptname: a FastCGI/SCGI app mounted at "/" without "fix-root-scriptname". lighttpd then
 * splits the URL at its second "/" (gw_backend.c): /users/42 arrives as SCRIPT_NAME=/users,
 * PATH_INFO=/42, and the app's router sees the wrong path.
 */
import type { Rule } from "../src/engine/types.js";
import {
  appendToArray,
  arrayEntry,
  backendHosts,
  toBool,
  describeHost,
  hasUnknown,
  hostArrayNode,
  itemRange,
  settingRange,
  sourceText,
  stringOf,
} from "../src/engine/config-query.js";

const rule: Rule = {
  meta: {
    id: "root-scriptname",
    description: 'A FastCGI/SCGI backend mounted at "/" without "fix-root-scriptname": SCRIPT_NAME and PATH_INFO are split wrongly',
    severity: "warning",
    fixable: "fix",
    effect: "runtime",
  },
  check(context) {
    const { config } = context;
    for (const h of backendHosts(config, ["fastcgi", "scgi"])) {
      if (h.extKey !== "/") continue;
      const fixRoot = arrayEntry(h.entries, "fix-root-scriptname");
      const checkLocal = arrayEntry(h.entries, "check-local");
      if (hasUnknown(fixRoot?.value) || hasUnknown(checkLocal?.value)) continue;
      if (fixRoot) continue; // set either way: a deliberate choice
      if (stringOf(arrayEntry(h.entries, "mode")?.value)?.toLowerCase() === "authorizer") continue; // no split for authorizers
      // With check-local explicitly enabled the request is mapped to a real file first, so the
      // split happens at that file, not at the mount point.
      if (checkLocal && toBool(checkLocal.value) === true) continue;
      const where = itemRange(h.host, h.ext.keyOrigin ?? settingRange(h.setting));
      const node = hostArrayNode(h);
      const text = h.file ? sourceText(config, h.file) : undefined;
      const edit = node && text && h.file === where.file ? appendToArray(text, node, '"fix-root-scriptname" => "enable"') : undefined;
      context.report({
        message: `${describeHost(h)} is mounted at "/" without "fix-root-scriptname" => "enable": lighttpd splits /users/42 into SCRIPT_NAME "/users" and PATH_INFO "/42", so the app routes the wrong path`,
        file: where.file,
        start: where.start,
        end: where.end,
        fix: edit ? { description: 'add "fix-root-scriptname" => "enable"', edits: [edit] } : undefined,
      });
    }
  },
};

export default rule;
