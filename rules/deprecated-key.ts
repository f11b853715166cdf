import type { Rule } from "../src/engine/types.js";
import type { Context, Setting } from "../src/eval/model.js";
import type { KeyInfo } from "../src/schema/index.js";
import { availability, BACKEND_SERVER_KEYS, lookupBackendHostKey, lookupKey } from "../src/schema/index.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { allSettings, keyRange, renameArrayKeyEdit, renameKeyEdit } from "../src/schema/rule-support.js";

/**
 * Old key names: renamed keys lighttpd still accepts (server.dir-listing, server.indexfiles,
 * url.rewrite, compress.*, host option allow-x-send-file, ...) and keys lighttpd removed (it then
 * ignores them: "unknown config-key"), e.g. ssl.use-sslv2 since 1.4.68. Version-aware.
 */
const rule: Rule = {
  meta: { id: "deprecated-key", description: "A renamed or removed key: use the new name", severity: "warning", fixable: "fix", effect: "risk" },
  check(context) {
    const version = context.settings.lighttpdVersion;
    const config = context.config;
    const loaded = effectiveModules(config, version);
    for (const { context: ctx, key, setting } of allSettings(config)) {
      const info = lookupKey(key);
      if (info?.removed || info?.deprecated) report(ctx, setting, info);
      if (BACKEND_SERVER_KEYS.includes(key)) checkHosts(setting);
    }

    function report(ctx: Context, setting: Setting, info: KeyInfo): void {
      const state = availability(info, version);
      if (state === "not-yet") return;
      const replacement = info.deprecated?.replacement;
      const replacementInfo = replacement ? lookupKey(replacement) : undefined;
      const replacementUsable = !!replacementInfo && availability(replacementInfo, version) === "available" && !ctx.settings.has(replacement!.toLowerCase());
      let message: string;
      let safeRename = false;
      if (info.removed && state === "removed") {
        message = `${setting.key} was removed in lighttpd ${info.removed}: lighttpd ${version} ignores it. ${info.deprecated?.note ?? info.description}`;
      } else if (info.removed) {
        message = `${setting.key} is removed in lighttpd ${info.removed}. ${info.deprecated?.note ?? info.description}`;
      } else {
        message = `${setting.key} is deprecated. ${info.deprecated!.note}`;
        // A rename of an accepted old name keeps the value's meaning. compress.* -> deflate.* only
        // when mod_deflate itself is listed (a listed mod_compress is dropped when no compress.* key is left).
        safeRename = !info.key.startsWith("compress.") || loaded.listed.includes("mod_deflate");
      }
      for (const site of setting.sites) {
        const fix = replacement && replacementUsable ? { description: `rename to ${replacement}`, edits: [renameKeyEdit(site, replacement)] } : undefined;
        const effect = info.removed && state === "removed" ? "ignored" : undefined; // still works until removed
        context.report({ message, ...keyRange(site), fix: safeRename ? fix : undefined, suggestions: !safeRename && fix ? [fix] : undefined, effect });
      }
    }

    function checkHosts(setting: Setting): void {
      if (setting.value.type !== "array") return;
      for (const ext of setting.value.items) {
        if (ext.value.type !== "array") continue;
        for (const host of ext.value.items) {
          if (host.value.type !== "array") continue;
          const present = new Set(host.value.items.flatMap((i) => (i.key !== undefined ? [i.key.toLowerCase()] : [])));
          for (const opt of host.value.items) {
            const hk = opt.key !== undefined ? lookupBackendHostKey(opt.key) : undefined;
            const rep = hk?.deprecated?.replacement;
            if (!hk?.deprecated || !opt.keyOrigin) continue;
            const rename = rep && !present.has(rep) ? renameArrayKeyEdit(config, opt, rep) : undefined;
            context.report({
              message: `"${opt.key}" in ${setting.key} is deprecated. ${hk.deprecated.note}`,
              ...opt.keyOrigin,
              fix: rename && rename.file === opt.keyOrigin.file ? { description: `rename to "${rep}"`, edits: [rename.edit] } : undefined,
            });
          }
        }
      }
    }
  },
};
export default rule;
