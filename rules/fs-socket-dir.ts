/**
 * fs-socket-dir (--check-fs): the directory of each backend unix socket, as server.username will
 * meet it after lighttpd drops privileges: it must exist, lighttpd must be able to create its own
 * sockets there (bin-path), a stale "<socket>-N" left by another user in a sticky directory blocks
 * the spawn, and an external daemon's socket must be writable (connect() needs write permission).
 */
import path from "node:path";
import type { Rule } from "../src/engine/types.js";
import { arrayEntry, backendHosts, describeHost, hasUnknown, itemValueRange, socketItem, stringOf } from "../src/engine/config-query.js";
import { fsView, isSticky, lstatOrUndefined, octal, permits, serverPath, statOrUndefined } from "../src/engine/check-fs.js";

const rule: Rule = {
  meta: {
    id: "fs-socket-dir",
    description: "--check-fs: a backend socket's directory is missing or unusable for server.username",
    severity: "error",
    fixable: false,
    effect: "runtime",
  },
  check(context) {
    const view = fsView(context.config, context.settings);
    if (!view) return;
    for (const h of backendHosts(context.config)) {
      const item = socketItem(h);
      if (!item || hasUnknown(item.value)) continue;
      const socket = stringOf(item.value);
      if (!socket || !socket.startsWith("/")) continue;
      const where = itemValueRange(item);
      if (!where) continue;
      const report = (message: string, severity?: "warning") =>
        context.report({ message: `${describeHost(h)}: ${message}`, file: where.file, start: where.start, end: where.end, severity });
      const spawned = stringOf(arrayEntry(h.entries, "bin-path")?.value) !== undefined;
      const dir = path.posix.dirname(socket);
      const st = statOrUndefined(serverPath(view, dir));
      const inChroot = view.chroot ? ` (inside server.chroot "${view.chroot}")` : "";
      if (!st) {
        const runHint = /^\/(var\/)?run\//.test(dir) ? ` (/run is emptied at boot: create it with systemd-tmpfiles or RuntimeDirectory=)` : "";
        report(
          spawned
            ? `the socket directory "${dir}"${inChroot} does not exist: lighttpd cannot create "${socket}-0" and the backend does not start${runHint}`
            : `the socket directory "${dir}"${inChroot} does not exist: the daemon that should listen on "${socket}" is not set up for it${runHint}`,
          "warning",
        );
        continue;
      }
      if (!st.isDirectory()) {
        report(`"${dir}"${inChroot} is not a directory, so "${socket}" cannot exist`);
        continue;
      }
      const user = view.user;
      if (!user) continue; // permissions depend on who starts lighttpd
      if (spawned) {
        if (!permits(st, user, 2) || !permits(st, user, 1)) {
          report(
            `server.username "${user.name}" cannot create sockets in "${dir}"${inChroot} (owner uid ${st.uid}, gid ${st.gid}, mode ${octal(st.mode)}): lighttpd creates backend sockets after dropping privileges, so the backend does not start`,
          );
          continue;
        }
        if (isSticky(st)) {
          const maxProcs = arrayEntry(h.entries, "max-procs")?.value;
          const n = maxProcs?.type === "integer" && maxProcs.value > 0 ? Math.min(maxProcs.value, 64) : 4;
          for (let i = 0; i < n; i++) {
            const stale = lstatOrUndefined(serverPath(view, `${socket}-${i}`));
            if (stale && stale.uid !== user.uid) {
              report(
                `a stale "${socket}-${i}" owned by uid ${stale.uid} sits in the sticky directory "${dir}": "${user.name}" may not remove it, so lighttpd cannot bind its backend socket there`,
              );
              break;
            }
          }
        }
      } else {
        const sock = statOrUndefined(serverPath(view, socket));
        if (sock && !permits(sock, user, 2)) {
          report(
            `server.username "${user.name}" may not connect to "${socket}" (owner uid ${sock.uid}, gid ${sock.gid}, mode ${octal(sock.mode)}): connect() needs write permission, so every request to this backend fails with 503. Let the daemon create the socket for lighttpd's user or group (php-fpm: listen.owner/listen.group)`,
          );
        } else if (!permits(st, user, 1)) {
          report(`server.username "${user.name}" may not enter "${dir}" (mode ${octal(st.mode)}), so it cannot reach "${socket}"`);
        }
      }
    }
  },
};

export default rule;
