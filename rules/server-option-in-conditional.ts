import type { Rule } from "../src/engine/types.js";
import { availability, lookupKey, typeAt } from "../src/schema/index.js";
import { allSettings, contextName, isSocketEqContext, keyRange } from "../src/schema/rule-support.js";

/**
 * Server-scope keys (server.port, server.modules, server.username, ...) are read from the global
 * scope only: in a condition lighttpd warns "DEPRECATED: do not set server options in conditionals"
 * and ignores them. Socket-scope keys (ssl.engine, server.use-ipv6, ...) work only globally or in
 * `$SERVER["socket"] == "..."`; elsewhere: "... must be in global scope or $SERVER["socket"] with '==', or else is ignored".
 */
const rule: Rule = {
  meta: {
    id: "server-option-in-conditional",
    description: "A server-wide option inside a condition: lighttpd ignores it there",
    severity: "warning",
    fixable: false,
    effect: "ignored",
  },
  check(context) {
    const version = context.settings.lighttpdVersion;
    for (const { context: ctx, key, setting } of allSettings(context.config)) {
      if (ctx.id === 0 || key.startsWith("var.")) continue;
      const info = lookupKey(key);
      if (!info || availability(info, version) !== "available") continue;
      const { scope } = typeAt(info, version);
      let message: string | undefined;
      if (scope === "server") {
        message = `${setting.key} is a server-wide option: inside ${contextName(ctx)} lighttpd ignores it (set it in the global scope)`;
      } else if (scope === "socket" && !isSocketEqContext(ctx)) {
        message = `${setting.key} works only in the global scope or directly in $SERVER["socket"] == "...": inside ${contextName(ctx)} lighttpd ignores it`;
      }
      if (!message) continue;
      for (const site of setting.sites) context.report({ message, ...keyRange(site) });
    }
  },
};
export default rule;
