/**
 * startup-warning: the warnings lighttpd itself prints when it starts (and under -tt), one finding
 * each, at the setting that causes it:
 * - ssl.* keys without a TLS module in server.modules (configfile.c config_warn_openssl_module):
 *   lighttpd loads mod_openssl itself for now; a later 1.4 release will not, and TLS goes off;
 * - auth.backend "htpasswd"/"htdigest"/"plain" with mod_auth but not mod_authn_file listed
 *   (config_warn_authn_module): a later release will refuse to start;
 * - server.use-ipv6 on a listener without an address (no server.bind, or `$SERVER["socket"] ==
 *   ":443"`; network.c network_server_init): it then depends on the kernel's IPV6_V6ONLY default
 *   whether IPv4 is served at all;
 * - server.event-handler naming a mechanism Linux does not have (kqueue, from BSD configs;
 *   fdevent_impl.c fdevent_config): lighttpd refuses to start ("the selected event-handler in
 *   unknown or not supported").
 */
import type { Rule } from "../src/engine/types.js";
import type { EvaluatedConfig, Setting } from "../src/eval/model.js";
import { getSetting, looksLikeMainConfig, settingKeyRange, stringOf, toBool } from "../src/engine/config-query.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { resultHasUnknown } from "../src/schema/values.js";
import { allSettings, isSocketEqContext } from "../src/schema/rule-support.js";

/** The TLS modules config_compat_module_load looks for before it loads mod_openssl itself (1.4.69). */
const TLS_MODULES = ["mod_gnutls", "mod_mbedtls", "mod_nss", "mod_openssl", "mod_wolfssl"];
/** Event handlers a Linux build of lighttpd accepts (fdevent_impl.c; "select" means poll, "libev" the default). */
const LINUX_EVENT_HANDLERS = ["linux-sysepoll", "epoll", "poll", "select", "libev"];
/** auth.backend values config_compat_module_load warns about when mod_authn_file is not listed. */
const FILE_BACKENDS = ["htdigest", "htpasswd", "plain"];

const rule: Rule = {
  meta: {
    id: "startup-warning",
    description:
      "A setting that makes lighttpd print a warning at start-up (mod_openssl/mod_authn_file not listed, server.use-ipv6 without an address, an event handler Linux lacks)",
    severity: "warning",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    const { config } = context;
    const modules = effectiveModules(config, context.settings.lighttpdVersion);
    // As module-not-loaded: a fragment linted alone (ssl-enable.conf, conf.d/auth.conf) gets its
    // modules, and the listeners' addresses, from the config that includes it.
    const whole =
      !config.snippet &&
      !config.diagnostics.some((d) => d.ruleId === "include-not-found") &&
      (looksLikeMainConfig(config) || (modules.setting?.sites.some((s) => s.operator !== "+=") ?? false));
    if (whole && !modules.unknown && modules.compat) {
      // configfile.c: any key starting with "ssl." (as written: strncmp is case-sensitive) in any block.
      if (!modules.listed.some((m) => TLS_MODULES.includes(m))) {
        const ssl = firstSetting(config, (s) => s.key.startsWith("ssl."));
        if (ssl) {
          const where = settingKeyRange(ssl);
          context.report({
            message: `lighttpd warns at start-up: "please add "mod_openssl" to server.modules list": it loads mod_openssl itself for now because of ${ssl.key}, but "a future release of lighttpd 1.4.x *will not*", and TLS would then be off. Add "mod_openssl" to server.modules`,
            file: where.file,
            start: where.start,
            end: where.end,
          });
        }
      }
      if (modules.listed.includes("mod_auth") && !modules.listed.includes("mod_authn_file")) {
        const backend = firstSetting(config, (s) => s.key.toLowerCase() === "auth.backend" && FILE_BACKENDS.includes(stringOf(s.value) ?? ""));
        if (backend) {
          const where = settingKeyRange(backend);
          const v = stringOf(backend.value);
          context.report({
            message: `lighttpd warns at start-up: "please add "mod_authn_file" to server.modules list": it loads the module itself for now because of auth.backend = "${v}", but a future 1.4 release "will fail to start up". Add "mod_authn_file" to server.modules (after "mod_auth")`,
            file: where.file,
            start: where.start,
            end: where.end,
          });
        }
      }
    }
    if (whole) ipv6WithoutAddress(context.config, (r) => context.report(r));
    const handler = getSetting(config.global, "server.event-handler");
    const name = handler && !resultHasUnknown(handler.value) ? stringOf(handler.value) : undefined;
    if (handler && name !== undefined && !LINUX_EVENT_HANDLERS.includes(name)) {
      const where = settingKeyRange(handler);
      context.report({
        message: `server.event-handler "${name}" does not exist on Linux: lighttpd refuses to start there ("the selected event-handler in unknown or not supported: ${name}"). Remove the line (lighttpd picks the best one, epoll) or use "linux-sysepoll"; on FreeBSD or macOS "kqueue" is right and this finding does not apply`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
    }
  },
};

function firstSetting(config: EvaluatedConfig, test: (s: Setting) => boolean): Setting | undefined {
  for (const { setting } of allSettings(config)) if (test(setting)) return setting;
  return undefined;
}

/** network_server_init: `use_ipv6 && (*host == '\0' || *host == ':') || (host[0] == '[' && host[1] == ']')`. */
function addressless(host: string, useIpv6: boolean): boolean {
  return (useIpv6 && (host === "" || host.startsWith(":"))) || host.startsWith("[]");
}

function ipv6WithoutAddress(config: EvaluatedConfig, report: Parameters<Rule["check"]>[0]["report"]): void {
  const globalSetting = getSetting(config.global, "server.use-ipv6");
  const bind = getSetting(config.global, "server.bind");
  if ((globalSetting && resultHasUnknown(globalSetting.value)) || (bind && resultHasUnknown(bind.value))) return;
  const globalOn = globalSetting ? toBool(globalSetting.value) === true : false;
  const bindHost = bind ? stringOf(bind.value) : "";
  const message = (where: string) =>
    `lighttpd warns at start-up: "please use server.use-ipv6 only for hostnames, not without server.bind / empty address" (${where}): whether this listener also serves IPv4 then depends on the kernel's IPV6_V6ONLY default. Bind explicitly, e.g. one listener on "0.0.0.0" and $SERVER["socket"] == "[::]:80" for IPv6`;
  // The global listener: server.bind (or nothing) and server.port.
  if (globalSetting && bindHost !== undefined && !bindHost.startsWith("/") && addressless(bindHost, globalOn)) {
    const where = settingKeyRange(globalSetting);
    report({ message: message(bind ? `server.bind "${bindHost}"` : "no server.bind"), file: where.file, start: where.start, end: where.end });
  }
  // Every `$SERVER["socket"] == "..."` listener (also after `else`), with its own server.use-ipv6 or the global one.
  for (const ctx of config.contexts) {
    const c = ctx.condition;
    if (!c || !isSocketEqContext(ctx) || c.unknown || ctx.invalid) continue;
    const own = getSetting(ctx, "server.use-ipv6");
    if (own && resultHasUnknown(own.value)) continue;
    const on = own ? toBool(own.value) === true : globalOn;
    if (!addressless(c.value, on)) continue;
    const value = c.sites[0]?.node.value;
    if (!value) continue;
    report({ message: message(`$SERVER["socket"] == "${c.value}"`), file: c.sites[0].file, start: value.start, end: value.end });
  }
}

export default rule;
