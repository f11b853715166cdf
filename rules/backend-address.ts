/**
 * backend-address: a host entry whose address keys contradict each other (gw_backend.c
 * gw_set_defaults_backend): socket together with host/port and neither socket, host nor bin-path
 * stop lighttpd at startup; max-procs on an external daemon does nothing; bin-path with another
 * daemon's socket makes lighttpd spawn its own process on "<socket>-0" instead of using the daemon.
 */
import type { Rule } from "../src/engine/types.js";
import { arrayEntry, backendHosts, describeHost, hasUnknown, itemRange, itemValueRange, settingRange, stringOf } from "../src/engine/config-query.js";

/**
 * Sockets that a separately started daemon creates: php-fpm's names ("php8.2-fpm.sock", a
 * "php-fpm/" directory). The directory /run/php/ alone says nothing: configs that spawn php-cgi
 * with bin-path put their own socket there too ("/run/php/php.socket").
 */
export function isForeignDaemonSocket(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return /fpm/i.test(base) || /\/php[\d.]*-fpm\//i.test(path);
}

const rule: Rule = {
  meta: {
    id: "backend-address",
    description: "A backend host entry with contradictory or missing address keys (socket/host/port/bin-path/max-procs)",
    severity: "error",
    fixable: false,
    effect: "refused",
    refusedAt: "start",
  },
  check(context) {
    for (const h of backendHosts(context.config)) {
      const socket = arrayEntry(h.entries, "socket");
      const host = arrayEntry(h.entries, "host");
      const port = arrayEntry(h.entries, "port");
      const binPath = arrayEntry(h.entries, "bin-path");
      const maxProcs = arrayEntry(h.entries, "max-procs");
      if ([socket, host, port, binPath, maxProcs].some((i) => hasUnknown(i?.value))) continue;
      const whole = itemRange(h.host, h.ext.keyOrigin ?? settingRange(h.setting));
      const name = describeHost(h);
      // lighttpd ignores blank strings for host/socket/bin-path.
      const set = (i: typeof socket) => !!i && stringOf(i.value) !== "";
      const hasSocket = set(socket);
      const hasHost = set(host);
      const hasPort = !!port && !(port.value.type === "integer" && port.value.value === 0);
      const hasBin = set(binPath);

      if (h.module === "proxy" && hasBin) continue; // not a proxy key; other rules report unknown keys

      if (hasSocket && (hasHost || hasPort)) {
        const where = itemRange(hasHost ? host! : port!, whole);
        context.report({
          message: `${name} sets both "socket" and "${hasHost ? "host" : "port"}": lighttpd refuses to start ("either host/port or socket have to be set"). Keep one address`,
          file: where.file,
          start: where.start,
          end: where.end,
        });
        continue;
      }
      if (!hasSocket && !hasHost && !(h.module !== "proxy" && hasBin)) {
        context.report({
          message: `${name} has no "socket", "host"${h.module !== "proxy" ? ' or "bin-path"' : ""}: lighttpd refuses to start ("host or bin-path have to be set")`,
          file: whole.file,
          start: whole.start,
          end: whole.end,
        });
        continue;
      }
      if (!hasBin && maxProcs && h.module !== "proxy") {
        const where = itemRange(maxProcs, whole);
        context.report({
          message: `${name} has "max-procs" but no "bin-path": lighttpd only connects to an external daemon here and spawns nothing, so max-procs has no effect (set the process count in the daemon, e.g. php-fpm's pm.max_children)`,
          file: where.file,
          start: where.start,
          end: where.end,
          severity: "warning",
          effect: "ignored",
        });
      }
      const socketPath = stringOf(socket?.value) ?? (stringOf(host?.value)?.startsWith("/") ? stringOf(host?.value) : undefined);
      if (hasBin && socketPath && isForeignDaemonSocket(socketPath)) {
        const where = itemValueRange(socket ?? host!) ?? whole;
        context.report({
          message: `${name} pairs "bin-path" with "${socketPath}", a socket another daemon (php-fpm) owns: with bin-path lighttpd spawns its own processes on "${socketPath}-0", "${socketPath}-1", ... and never talks to that daemon. Remove bin-path to use the daemon, or use a socket path of lighttpd's own`,
          file: where.file,
          start: where.start,
          end: where.end,
          effect: "misread",
        });
      }
    }
  },
};

export default rule;
