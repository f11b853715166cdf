import type { Rule } from "../src/engine/types.js";
import { itemValueRange, valueEdit, valueRange } from "../src/engine/config-query.js";
import { availability, moduleInfo, suggestModule } from "../src/schema/index.js";

/**
 * A server.modules entry that names no lighttpd module: `lighttpd -tt` and startup fail with
 * "dlopen() failed for: .../mod_x.so" (-t does not load modules, so it says "Syntax OK").
 */
const rule: Rule = {
  meta: { id: "unknown-module", description: "server.modules names a module lighttpd does not have", severity: "error", fixable: "fix", effect: "refused", refusedAt: "start" },
  check(context) {
    const version = context.settings.lighttpdVersion;
    const config = context.config;
    const setting = config.global.settings.get("server.modules");
    if (!setting || setting.value.type !== "array") return;
    const listed = new Set(setting.value.items.flatMap((i) => (i.value.type === "string" ? [i.value.value] : [])));
    for (const item of setting.value.items) {
      if (item.value.type !== "string") continue;
      const name = item.value.value;
      const info = moduleInfo(name);
      const where = itemValueRange(item) ?? valueRange(item.value, setting);
      const state = info && info.name !== "mod_skeleton" ? availability(info, version) : undefined;
      if (state === "available") continue;
      if (info && state === "removed" && info.name === "mod_compress") {
        // Still accepted: lighttpd swaps in mod_deflate (or drops it) and warns.
        const edit = listed.has("mod_deflate") ? undefined : valueEdit(config, item.value, 0, name.length, "mod_deflate");
        context.report({
          message: `mod_compress was replaced by mod_deflate in lighttpd ${info.removed}; lighttpd loads mod_deflate instead (and drops mod_compress when no compress.* key is set)`,
          ...where,
          severity: "warning",
          effect: "misread",
          fix: edit ? { description: "rename to mod_deflate", edits: [{ range: edit.range, text: edit.text }] } : undefined,
        });
        continue;
      }
      if (info && state === "removed") {
        context.report({
          message: `${name} was removed in lighttpd ${info.removed}${info.replacement ? ` (use ${info.replacement})` : ""}: lighttpd ${version} fails to start ("dlopen() failed")`,
          ...where,
        });
        continue;
      }
      if (info && state === "not-yet") {
        context.report({ message: `${name} is new in lighttpd ${info.since}: lighttpd ${version} fails to load it ("dlopen() failed")`, ...where });
        continue;
      }
      const suggestion = suggestModule(name, version);
      const edit = suggestion && !listed.has(suggestion) ? valueEdit(config, item.value, 0, name.length, suggestion) : undefined;
      context.report({
        message: `unknown module "${name}": lighttpd fails to start ("dlopen() failed")${suggestion ? `; did you mean ${suggestion}?` : ""}`,
        ...where,
        fix: edit ? { description: `rename to ${suggestion}`, edits: [{ range: edit.range, text: edit.text }] } : undefined,
      });
    }
  },
};
export default rule;
