import type { Rule } from "../src/engine/types.js";
import type { ArrayItem } from "../src/eval/model.js";
import { availability, BACKEND_SERVER_KEYS, lookupBackendHostKey, suggestBackendHostKey } from "../src/schema/index.js";
import { allSettings, renameArrayKeyEdit } from "../src/schema/rule-support.js";

/**
 * A misspelled option in a backend host entry of fastcgi.server, scgi.server, proxy.server, ...:
 * lighttpd silently ignores unknown host options (only keys with `_` get a warning), so
 * `"max_procs" => 1` or `"check_local" => "disable"` quietly keep their defaults.
 */
/** Host options lighttpd uses only when it spawns the backend itself (bin-path). */
const SPAWN_ONLY = new Set(["max-procs", "min-procs", "bin-environment", "bin-copy-environment", "kill-signal", "max-load-per-proc", "idle-timeout"]);

const rule: Rule = {
  meta: {
    id: "unknown-backend-key",
    description: "An unknown option in a fastcgi/scgi/proxy host entry: silently ignored",
    severity: "warning",
    fixable: "fix",
    effect: "ignored",
  },
  check(context) {
    const version = context.settings.lighttpdVersion;
    const config = context.config;
    for (const { key, setting } of allSettings(config)) {
      if (!BACKEND_SERVER_KEYS.includes(key) || setting.value.type !== "array") continue;
      for (const ext of setting.value.items) {
        if (ext.value.type !== "array") continue;
        for (const host of ext.value.items) {
          if (host.value.type !== "array") continue;
          const present = new Set(host.value.items.flatMap((i) => (i.key !== undefined ? [i.key.toLowerCase()] : [])));
          for (const opt of host.value.items) check(setting.key, opt, present, key);
        }
      }
    }

    function check(serverKey: string, opt: ArrayItem, present: Set<string>, lowerKey: string): void {
      if (opt.key === undefined || !opt.keyOrigin) return;
      const info = lookupBackendHostKey(opt.key);
      if (info && availability(info, version) === "available") return;
      if (info) {
        context.report({ message: `"${opt.key}" in ${serverKey} is new in lighttpd ${info.since}; lighttpd ${version} silently ignores it`, ...opt.keyOrigin });
        return;
      }
      const suggestion = suggestBackendHostKey(opt.key, version);
      // A spawn option on a backend lighttpd does not spawn would be as ignored under its right name
      // (gw_backend.c reads max-procs & co. only with bin-path): no rename that achieves nothing.
      const pointless = suggestion !== undefined && SPAWN_ONLY.has(suggestion) && !present.has("bin-path") && lowerKey !== "proxy.server";
      const rename = suggestion && !pointless && !present.has(suggestion) ? renameArrayKeyEdit(config, opt, suggestion) : undefined;
      const underscore = opt.key.includes("_") ? ' (lighttpd only logs "incorrect directive contains underscore")' : "";
      const note = pointless
        ? `; "${suggestion}" would have no effect either: this backend has no "bin-path", so lighttpd spawns nothing (set the process count in the daemon) — remove it`
        : suggestion
          ? `; did you mean "${suggestion}"?`
          : "";
      context.report({
        message: `unknown backend option "${opt.key}" in ${serverKey}: lighttpd silently ignores it${underscore}${note}`,
        ...opt.keyOrigin,
        fix: rename && rename.file === opt.keyOrigin.file ? { description: `rename to "${suggestion}"`, edits: [rename.edit] } : undefined,
      });
    }
  },
};
export default rule;
