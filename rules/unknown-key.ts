import type { Rule } from "../src/engine/types.js";
import { availability, lookupKey, suggestKey } from "../src/schema/index.js";
import { allSettings, keyRange, renameKeyEdit } from "../src/schema/rule-support.js";

/**
 * A key no lighttpd module knows: lighttpd only says "WARNING: unknown config-key: ... (ignored)"
 * under -tt or at startup (never under -t) and carries on without the setting.
 * Removed keys are deprecated-key's; known keys whose module is missing are module-not-loaded's.
 */
const rule: Rule = {
  meta: { id: "unknown-key", description: "A key lighttpd does not know: it is ignored (typo?)", severity: "warning", fixable: "fix", effect: "ignored" },
  check(context) {
    const version = context.settings.lighttpdVersion;
    for (const { context: ctx, key, setting } of allSettings(context.config)) {
      if (key.startsWith("var.") || key.startsWith("env.")) continue;
      // lighttpd never reports dir-listing.* (except dir-listing.activate): mod_dirlisting may not be loaded
      if (key.startsWith("dir-listing.") && key !== "dir-listing.activate") continue;
      const info = lookupKey(key);
      if (info) {
        if (availability(info, version) !== "not-yet") continue;
        for (const site of setting.sites) {
          context.report({
            message: `${setting.key} is new in lighttpd ${info.since}; lighttpd ${version} does not know it and ignores it`,
            ...keyRange(site),
          });
        }
        continue;
      }
      const suggestion = suggestKey(key, version);
      // Renaming onto a key that is already set here would make lighttpd refuse the duplicate.
      const canRename = suggestion !== undefined && !ctx.settings.has(suggestion.toLowerCase());
      for (const site of setting.sites) {
        context.report({
          message: `unknown key ${setting.key}: lighttpd ignores it${suggestion ? `; did you mean ${suggestion}?` : ""}`,
          ...keyRange(site),
          fix: canRename ? { description: `rename to ${suggestion}`, edits: [renameKeyEdit(site, suggestion!)] } : undefined,
        });
      }
    }
  },
};
export default rule;
