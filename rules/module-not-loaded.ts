import { looksLikeMainConfig } from "../src/engine/config-query.js";
import type { Rule } from "../src/engine/types.js";
import { availability, lookupKey, moduleInfo, modulesOfKey } from "../src/schema/index.js";
import { effectiveModules, valuesEverywhere } from "../src/schema/effective-modules.js";
import { addModuleEdit, allSettings, keyRange } from "../src/schema/rule-support.js";
import { isOptEnabled } from "../src/schema/values.js";

/** Keys whose module lighttpd removes again when they are not switched on (nothing to warn about then). */
const AUTO_LOAD_SWITCHES: Record<string, string[]> = {
  "index-file.names": ["index-file.names", "server.indexfiles"],
  "server.indexfiles": ["index-file.names", "server.indexfiles"],
  "dir-listing.activate": ["dir-listing.activate", "server.dir-listing"],
  "server.dir-listing": ["dir-listing.activate", "server.dir-listing"],
};

/**
 * A module key whose module is not in server.modules (after lighttpd's own auto-loading): lighttpd
 * ignores the setting with only "WARNING: unknown config-key" (not even that under -t). This is how a
 * missing mod_rewrite, mod_alias or mod_fastcgi shows: rewrites, aliases or PHP silently do nothing.
 */
const rule: Rule = {
  meta: { id: "module-not-loaded", description: "A setting whose module is not in server.modules: lighttpd ignores it", severity: "error", fixable: "fix", effect: "ignored" },
  check(context) {
    const config = context.config;
    const version = context.settings.lighttpdVersion;
    const modules = effectiveModules(config, version);
    if (modules.unknown) return;
    // A fragment linted alone, or a config whose includes are missing: the modules may be loaded elsewhere.
    // (`server.modules += (...)` alone is how fragments add their module to a list set elsewhere)
    const modulesAssigned = modules.setting?.sites.some((s) => s.operator !== "+=") ?? false;
    const wholeConfig = looksLikeMainConfig(config) || modulesAssigned;
    if (!wholeConfig || config.diagnostics.some((d) => d.ruleId === "include-not-found")) return;
    for (const { key, setting } of allSettings(config)) {
      const info = lookupKey(key);
      if (!info || info.module === "core" || availability(info, version) !== "available") continue;
      if (key.startsWith("dir-listing.") && key !== "dir-listing.activate") continue; // never reported by lighttpd
      const switches = AUTO_LOAD_SWITCHES[key];
      if (switches && !switches.some((k) => valuesEverywhere(config, k).some(isOptEnabled))) continue;
      const owners = modulesOfKey(info).filter((m) => { const mi = moduleInfo(m); return !mi || availability(mi, version) === "available"; });
      if (owners.some((m) => modules.loaded.includes(m))) continue;
      const wanted = owners[0] ?? info.module;
      const which = owners.length > 1 ? `a TLS module (${wanted})` : wanted;
      for (const site of setting.sites) {
        const edit = addModuleEdit(config, site.file, wanted);
        context.report({
          message: `${setting.key} needs ${which}, which is not in server.modules: lighttpd ignores this setting ("unknown config-key")`,
          ...keyRange(site),
          fix: edit ? { description: `add "${wanted}" to server.modules`, edits: [edit] } : undefined,
        });
      }
    }
  },
};

export default rule;
