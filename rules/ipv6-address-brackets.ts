/**
 * ipv6-address-brackets: an IPv6 address written without brackets where lighttpd reads
 * "host:port". network_host_parse_addr (network.c, 1.4.69) takes everything after the last `:` as
 * the port unless the text starts with `[`, and parses the rest as an IPv4 host unless
 * server.use-ipv6 is enabled; a host with a `:` in it never is one, so lighttpd refuses to start
 * (`getaddrinfo failed: Address family for hostname not supported '::1'`, or `port not set or out
 * of range`). `-t` does not see it: the listeners are set up at startup and by `-tt`.
 *
 * - `$SERVER["socket"] == "::1:80"` (or `!=`): the value starts with `:` and has another `:`.
 *   Values that start otherwise ("fe80::1") are refused by the parser already: invalid-condition.
 * - `server.bind = "::1"`: lighttpd appends ":<server.port>" and reads the result the same way.
 *
 * When server.use-ipv6 may be enabled anywhere, nothing is reported: then "::1:80" is accepted.
 */
import type { Rule } from "../src/engine/types.js";
import { toBool, hasUnknown, settingsNamed } from "../src/engine/config-query.js";

function colons(s: string): number {
  return s.split(":").length - 1;
}

const rule: Rule = {
  meta: {
    id: "ipv6-address-brackets",
    description: 'An IPv6 address without [brackets] in $SERVER["socket"] or server.bind: lighttpd refuses to start',
    severity: "error",
    fixable: false,
    effect: "refused",
    refusedAt: "start",
  },
  check(context) {
    const { config } = context;
    for (const { setting } of settingsNamed(config, "server.use-ipv6")) {
      if (toBool(setting.value) !== false) return;
    }
    for (const ctx of config.contexts) {
      const c = ctx.condition;
      if (!c || ctx.isElse || c.unknown || ctx.invalid) continue;
      if (c.object !== "SERVER" || c.field !== "socket" || (c.op !== "==" && c.op !== "!=")) continue;
      const v = c.value;
      if (!v.startsWith(":") || colons(v) < 2) continue;
      const host = v.slice(0, v.lastIndexOf(":"));
      const port = v.slice(v.lastIndexOf(":") + 1);
      const hint = host === ":" || !/^[0-9]+$/.test(port) ? `[${v}]:<port>` : `[${host}]:${port}`;
      for (const site of c.sites) {
        const node = site.node.value ?? site.node;
        context.report({
          message: `"${v}" is an IPv6 address without brackets: lighttpd takes the text after the last ':' as the port and "${host}" as an IPv4 host, and refuses to start. Write it as "${hint}"`,
          file: site.file,
          start: node.start,
          end: node.end,
        });
      }
    }
    const bind = config.global.settings.get("server.bind");
    if (bind && !hasUnknown(bind.value) && bind.value.type === "string") {
      const v = bind.value.value;
      if (!v.startsWith("[") && !v.startsWith("/") && !v.startsWith("\\") && colons(v) >= 2) {
        const site = bind.sites[bind.sites.length - 1];
        const where = bind.value.origin ?? (site ? { file: site.file, start: site.node.start, end: site.node.end } : undefined);
        if (where)
          context.report({
            message: `server.bind "${v}" is an IPv6 address without brackets: lighttpd appends ":<server.port>", reads "${v}" as an IPv4 host and refuses to start. Write "[${v}]"`,
            file: where.file,
            start: where.start,
            end: where.end,
          });
      }
    }
  },
};

export default rule;
