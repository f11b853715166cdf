/**
 * debug-enabled: debug.* switches and module *.debug levels write an entry per request (or more)
 * to the error log: fine while investigating, a disk-filling leak of request details in production.
 */
import type { Rule } from "../src/engine/types.js";
import { toBool, hasUnknown, valueRange } from "../src/engine/config-query.js";

/** The module debug levels lighttpd 1.4 knows (lighttpd-schema.tsv); others (auth.debug, ...) are ignored keys. */
const DEBUG_LEVELS = new Set(["fastcgi.debug", "scgi.debug", "proxy.debug", "ajp13.debug", "sockproxy.debug", "wstunnel.debug", "simple-vhost.debug"]);

const rule: Rule = {
  meta: {
    id: "debug-enabled",
    description: "debug.* or *.debug switched on: verbose per-request logging",
    severity: "info",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    for (const ctx of context.config.contexts) {
      for (const setting of ctx.settings.values()) {
        const key = setting.key.toLowerCase();
        const isSwitch = key.startsWith("debug.");
        const isLevel = DEBUG_LEVELS.has(key);
        if ((!isSwitch && !isLevel) || hasUnknown(setting.value)) continue;
        const v = setting.value;
        const on = isSwitch ? toBool(v) === true : v.type === "integer" ? v.value !== 0 : (v.type === "string" && /^[1-9]/.test(v.value.trim())) || toBool(v) === true;
        if (!on) continue;
        const where = valueRange(v, setting);
        context.report({
          message: `${setting.key} is on: lighttpd writes ${isSwitch ? "request details" : "debugging output"} to the error log for every request it concerns, which grows fast and may record private request data. Switch it off outside debugging`,
          file: where.file,
          start: where.start,
          end: where.end,
        });
      }
    }
  },
};

export default rule;
