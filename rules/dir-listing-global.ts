/**
 * dir-listing-global: directory listing switched on in the global scope lists every directory
 * without an index file on every virtual host: backups, uploads, .git, leftover config files.
 */
import type { Rule } from "../src/engine/types.js";
import { toBool, getSetting, hasUnknown, valueRange } from "../src/engine/config-query.js";

const rule: Rule = {
  meta: {
    id: "dir-listing-global",
    description: "Directory listing enabled for the whole server",
    severity: "warning",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    const g = context.config.global;
    for (const key of ["dir-listing.activate", "server.dir-listing"]) {
      const setting = getSetting(g, key);
      if (!setting || hasUnknown(setting.value) || toBool(setting.value) !== true) continue;
      const where = valueRange(setting.value, setting);
      context.report({
        message: `${setting.key} is enabled globally: every directory without an index file, on every host, shows its file list (backups, uploads, .git, stray config files). Enable it only inside a condition for the directories meant to be browsed, e.g. $HTTP["url"] =^ "/pub/" { dir-listing.activate = "enable" }`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
    }
  },
};

export default rule;
