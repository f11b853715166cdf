import type { Rule } from "../src/engine/types.js";
import { itemRange, itemValueRange, valueRange } from "../src/engine/config-query.js";
import type { ArrayItem, Setting } from "../src/eval/model.js";
import { availability, BACKEND_SERVER_KEYS, lookupBackendHostKey, lookupKey, typeAt } from "../src/schema/index.js";
import { allSettings } from "../src/schema/rule-support.js";
import { hasUnknown, kind, typeProblem } from "../src/schema/values.js";

/**
 * A value of the wrong type or shape for its key: lighttpd refuses to start (for core keys already
 * under -t, for module keys under -tt), or silently truncates an out-of-range number.
 * Mirrors configfile-glue.c config_plugin_values_init_block() and gw_backend.c for *.server.
 */
const rule: Rule = {
  meta: { id: "value-type", description: "A value of the wrong type or shape for its key", severity: "error", fixable: false },
  check(context) {
    const version = context.settings.lighttpdVersion;
    for (const { key, setting } of allSettings(context.config)) {
      if (key.startsWith("var.")) continue;
      const info = lookupKey(key);
      if (!info || availability(info, version) !== "available" || hasUnknown(setting.value)) continue;
      const problem = typeProblem(setting.key, typeAt(info, version).type, setting.value);
      if (problem) {
        context.report({ message: problem, ...badElementRange(setting) });
        continue;
      }
      if (BACKEND_SERVER_KEYS.includes(key)) checkBackendHosts(setting);
    }

    function checkBackendHosts(setting: Setting): void {
      if (setting.value.type !== "array") return;
      for (const ext of setting.value.items) {
        if (ext.value.type !== "array") continue;
        for (const host of ext.value.items) {
          const hostIsKv = host.value.type === "array" && host.value.items.every((i) => i.key !== undefined);
          if (!hostIsKv) {
            context.report({
              message: `${setting.key} "${ext.key}": each backend must be a list of "key" => value options; lighttpd refuses ${kind(host.value)} here (expected ( "ext" => ( "backend-label" => ( "key" => "value" ) ) ))`,
              ...(itemValueRange(host) ?? itemRange(host, valueRange(setting.value, setting))),
            });
            break; // lighttpd stops at the first bad host entry
          }
          if (host.value.type !== "array") continue;
          for (const opt of host.value.items) {
            const hk = opt.key !== undefined ? lookupBackendHostKey(opt.key) : undefined;
            if (!hk || availability(hk, version) !== "available") continue;
            const problem = typeProblem(`"${opt.key}"`, hk.type, opt.value);
            if (problem) context.report({ message: `${setting.key}: ${problem}`, ...(itemValueRange(opt) ?? itemRange(opt, valueRange(setting.value, setting))) });
          }
        }
      }
    }

    /** The element that breaks a list's shape, else the whole value. */
    function badElementRange(setting: Setting) {
      const v = setting.value;
      const fallback = valueRange(v, setting);
      if (v.type !== "array") return fallback;
      const info = lookupKey(setting.key)!;
      const type = typeAt(info, version).type;
      const bad: ArrayItem | undefined = v.items.find((i) =>
        type === "array-vlist" ? i.key !== undefined || i.value.type !== "string"
        : type === "array-kv-string" ? i.key === undefined || i.value.type !== "string"
        : type === "array-kv-array" ? i.key === undefined || i.value.type !== "array"
        : i.key === undefined);
      if (!bad) return fallback;
      if (bad.element && bad.file) return { file: bad.file, start: bad.element.start, end: bad.element.end };
      return itemValueRange(bad) ?? fallback;
    }
  },
};
export default rule;
