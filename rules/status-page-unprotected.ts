/**
 * status-page-unprotected: mod_status pages (status.status-url, status.config-url,
 * status.statistics-url) with no IP restriction and no authentication. The status page lists
 * every client address and the URL each one is requesting; the config page lists modules and
 * settings. To avoid false alarms, any remoteip condition, any auth.require covering the URL, any
 * condition on the URL that denies or authenticates, or a loopback-only bind counts as a guard.
 * URL patterns are never run: src/util/static-regex.ts decides the simple ones, and any other
 * pattern counts as a possible guard.
 */
import { staticRegexTest } from "../src/schema/static-regex.js";
import type { Rule } from "../src/engine/types.js";
import type { Context, EvaluatedConfig } from "../src/eval/model.js";
import { contextChain, getSetting, hasUnknown, settingsNamed, stringOf, valueRange } from "../src/engine/config-query.js";

const STATUS_KEYS = ["status.status-url", "status.config-url", "status.statistics-url"];
const GUARD_KEYS = ["url.access-deny", "url.access-allow", "access.deny-all", "auth.require", "url.redirect"];

function isRemoteIp(ctx: Context): boolean {
  const f = ctx.condition?.field.toLowerCase();
  return f === "remoteip" || f === "remote-ip" || f === "remote_ip";
}

function isLoopback(addr: string): boolean {
  return /^(127\.|\[::1\]|::1|localhost\b|\/)/.test(addr) || /^(127\.|\[::1\]|localhost)/.test(addr.replace(/^:\d+$/, ""));
}

function conditionMatches(ctx: Context, url: string): boolean {
  const c = ctx.condition;
  if (!c || c.field.toLowerCase() !== "url") return false;
  try {
    switch (c.op) {
      case "==":
        return c.value === url;
      case "=^":
        return url.startsWith(c.value);
      // Decided without running the pattern (a config's regex is never executed); a pattern outside
      // the understood subset may guard, so it counts as a guard (no false alarm).
      case "=~":
        return staticRegexTest(c.value, url) ?? true;
      default:
        return false;
    }
  } catch {
    return true; // a pattern we cannot run: assume it may guard
  }
}

/** What guards a status URL anywhere in the config, worked out once per config and once per URL (a mass-vhost config has a status page in every vhost). */
function guards(config: EvaluatedConfig): (ctx: Context, url: string) => boolean {
  // The whole server listens on loopback (or a unix socket) only.
  const bind = stringOf(getSetting(config.global, "server.bind")?.value);
  const sockets = config.contexts.filter((c) => c.condition?.field.toLowerCase() === "socket" && c.condition.object.toUpperCase() === "SERVER");
  const loopbackOnly = !!bind && isLoopback(bind) && sockets.every((c) => isLoopback(c.condition!.value));
  const byUrl = new Map<string, boolean>();
  const guardedEverywhere = (url: string): boolean => {
    for (const c of config.contexts) {
      // An IP restriction somewhere that denies or restricts: we cannot tell what it covers, so trust it.
      if (isRemoteIp(c) && GUARD_KEYS.some((k) => getSetting(c, k))) return true;
      if (conditionMatches(c, url) && (GUARD_KEYS.some((k) => getSetting(c, k)) || c.children.some(isRemoteIp))) return true;
      const auth = getSetting(c, "auth.require")?.value;
      if (auth?.type === "array" && auth.items.some((i) => i.key !== undefined && url.startsWith(i.key))) return true;
      if (auth && auth.type !== "array") return true;
    }
    return false;
  };
  return (ctx, url) => {
    const chain = contextChain(ctx);
    if (chain.some(isRemoteIp)) return true;
    if (chain.some((c) => c.condition?.object.toUpperCase() === "SERVER" && c.condition.field.toLowerCase() === "socket" && isLoopback(c.condition.value))) return true;
    if (loopbackOnly) return true;
    let answer = byUrl.get(url);
    if (answer === undefined) byUrl.set(url, (answer = guardedEverywhere(url)));
    return answer;
  };
}

const rule: Rule = {
  meta: {
    id: "status-page-unprotected",
    description: "A mod_status page (status.status-url/config-url/statistics-url) without an IP or authentication guard",
    severity: "warning",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    const { config } = context;
    if (config.incomplete) return; // a guard may hide in what we could not read
    let guarded: ReturnType<typeof guards> | undefined; // only for a config with a status page
    for (const { context: ctx, setting } of settingsNamed(config, ...STATUS_KEYS)) {
      if (hasUnknown(setting.value)) continue;
      const url = stringOf(setting.value);
      if (!url) continue;
      guarded ??= guards(config);
      if (guarded(ctx, url)) continue;
      const what =
        setting.key.toLowerCase() === "status.config-url"
          ? "the loaded modules and their settings"
          : setting.key.toLowerCase() === "status.statistics-url"
            ? "internal counters"
            : "every client's IP address and the URL it is requesting";
      const where = valueRange(setting.value, setting);
      context.report({
        message: `${setting.key} "${url}" is open to everyone: it shows ${what}. Put it inside $HTTP["remoteip"] == "127.0.0.1" { ... } (or your admin network), or protect it with auth.require`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
    }
  },
};

export default rule;
