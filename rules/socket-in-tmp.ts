/**
 * socket-in-tmp: a backend's unix socket under /tmp or /var/tmp. lighttpd's shipped systemd unit
 * sets PrivateTmp=yes (since 1.4.79), so lighttpd's /tmp is not the /tmp of a separately started daemon; and in a
 * sticky, world-writable directory any local user can pre-create (or leave behind) the name.
 *
 * Who owns the socket decides what may be changed: with bin-path lighttpd creates "<socket>-N"
 * itself (mod_fastcgi/gw_backend.c gw_spawn_connection), so moving it is a safe fix; without
 * bin-path another program listens there, and moving only lighttpd's end gives 503 (ENOENT), so it
 * is a suggestion that names the other end to change with it.
 */
import fs from "node:fs";
import type { Report, Rule } from "../src/engine/types.js";
import type { Fix } from "../src/ast/diagnostics.js";
import type { Origin } from "../src/eval/model.js";
import { arrayEntry, backendHosts, describeHost, getSetting, hasUnknown, itemValueRange, literalUses, socketItem, stringOf, valueEdit } from "../src/engine/config-query.js";
import { fsView, lstatOrUndefined, permits, serverPath, statOrUndefined, type FsView } from "../src/engine/check-fs.js";
import { DEFAULT_SOCKET_DIR } from "../src/engine/lint.js";

const TMP_DIRS = ["/tmp", "/var/tmp"];

export function tmpDirOf(path: string): string | undefined {
  return TMP_DIRS.find((d) => path === d || path.startsWith(d + "/"));
}

/** True when every use of the literal is a backend socket/host path (so changing it moves only sockets). */
function onlySocketUses(uses: string[][]): boolean {
  return uses.every((p) => /\.server$/i.test(p[0]) && /^(socket|host)$/i.test(p[p.length - 1]));
}

/** The settings of the program on the other end of an external socket, by the usual daemons. */
export const OTHER_END = `spawn-fcgi -s, php-fpm "listen =", flup's WSGIServer(bindAddress=...), uwsgi --socket, gunicorn --bind unix:`;

/** Where the socket directory comes from, for the message (a fix into a directory that does not exist breaks the site). */
function dirOrigin(dir: string, user: string): string {
  if (dir === DEFAULT_SOCKET_DIR)
    return `Debian's lighttpd package creates ${dir} for www-data; elsewhere create it at boot, e.g. the tmpfiles.d line "d ${dir} 0750 ${user} ${user} -" or RuntimeDirectory=lighttpd in the unit`;
  return `it must exist at boot and be writable by ${user} (e.g. the tmpfiles.d line "d ${dir} 0750 ${user} ${user} -")`;
}

/**
 * Unix sockets some process on this machine listens on, from /proc/net/unix (flag __SO_ACCEPTCON
 * 0x10000 = listening). Read once per lint; undefined where /proc is not there.
 */
function listeningSockets(): Set<string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync("/proc/net/unix", "latin1");
  } catch {
    return undefined;
  }
  const out = new Set<string>();
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && (parseInt(f[3], 16) & 0x10000) !== 0 && f[7].startsWith("/")) out.add(f[7]);
  }
  return out;
}

/** --check-fs: the state of an external daemon's socket, as one sentence (empty when unknown). */
function socketState(view: FsView, socket: string, listening: Set<string> | undefined): string {
  const onHost = serverPath(view, socket);
  const st = lstatOrUndefined(onHost);
  if (!st) return ` --check-fs: "${socket}" does not exist now (the daemon is not running, or runs with its own /tmp).`;
  if (!st.isSocket()) return ` --check-fs: "${socket}" exists but is not a socket.`;
  const local = view.root === "/" && !view.chroot;
  const state = !local || !listening ? "exists" : listening.has(socket) ? "exists and a daemon listens on it" : "exists but nothing listens on it (a stale socket)";
  const user = view.user;
  const dir = statOrUndefined(onHost.slice(0, onHost.lastIndexOf("/")) || "/");
  const reach = !user
    ? ""
    : permits(st, user, 2) && (!dir || permits(dir, user, 1))
      ? `; server.username "${user.name}" may connect to it`
      : `; server.username "${user.name}" may NOT connect to it (connect() needs write permission on the socket and search permission on its directory)`;
  return ` --check-fs: "${socket}" ${state}${reach}.`;
}

const rule: Rule = {
  meta: {
    id: "socket-in-tmp",
    description: "A backend unix socket under /tmp or /var/tmp: hidden by systemd's PrivateTmp, and squattable in a sticky directory",
    severity: "warning",
    fixable: "fix",
    effect: "runtime",
  },
  check(context) {
    const { config, settings } = context;
    const socketDir = settings.socketDir.replace(/\/+$/, "") || DEFAULT_SOCKET_DIR;
    const view = fsView(config, settings);
    const listening = view ? listeningSockets() : undefined;
    const configuredUser = stringOf(getSetting(config.global, "server.username")?.value) || undefined;
    const username = configuredUser ?? "www-data";
    const found: { report: Pick<Report, "message" | "file" | "start" | "end">; move?: Fix; literal?: Origin; safe?: boolean }[] = [];
    for (const h of backendHosts(config)) {
      const item = socketItem(h); // "socket", or a host starting with "/"
      if (!item || hasUnknown(item.value)) continue;
      const path = stringOf(item.value);
      const tmp = path === undefined ? undefined : tmpDirOf(path);
      if (path === undefined || !tmp) continue;
      const where = itemValueRange(item);
      if (!where) continue;
      const spawned = arrayEntry(h.entries, "bin-path") !== undefined;
      const newPath = `${socketDir}/${path.slice(path.lastIndexOf("/") + 1)}`;
      let message: string;
      let safe = spawned;
      if (spawned) {
        // lighttpd creates the socket after dropping privileges: the directory must be the server user's.
        let dirNote = dirOrigin(socketDir, username);
        // The platform's directory fits only the platform's user: Debian makes /run/lighttpd for
        // www-data. For anyone else (or nobody named) it is a suggestion, unless socketDir was chosen.
        if (socketDir === DEFAULT_SOCKET_DIR && configuredUser !== "www-data") {
          safe = false;
          dirNote = `${dirNote}; server.username is ${configuredUser ? `"${configuredUser}"` : "not set"}, so whether it may create sockets there is unknown: a suggestion only (or name the directory with --socket-dir)`;
        }
        if (view) {
          const st = statOrUndefined(serverPath(view, socketDir));
          if (!st?.isDirectory()) {
            dirNote = `--check-fs: ${socketDir} does not exist here, so the move is only a suggestion; ${dirNote}`;
            safe = false;
          } else if (view.user && !(permits(st, view.user, 2) && permits(st, view.user, 1))) {
            dirNote = `--check-fs: server.username "${view.user.name}" cannot create sockets in ${socketDir}, so the move is only a suggestion`;
            safe = false;
          }
        }
        message = `${describeHost(h)}: socket "${path}" is in ${tmp}: any local user can create that name in the world-writable ${tmp} before lighttpd does (lighttpd then connects to their listener instead of spawning bin-path), and lighttpd cannot replace a stale socket another user left in the sticky directory. lighttpd creates this socket itself (bin-path), so it can move to "${newPath}" (${dirNote})`;
      } else {
        message = `${describeHost(h)}: socket "${path}" is in ${tmp}: under systemd's PrivateTmp=yes (set by lighttpd's shipped unit since 1.4.79) lighttpd sees its own private ${tmp}, not the one where the separately started daemon creates the socket, so requests fail with 503; and anyone can create that name in the world-writable directory first. The daemon owns this socket (no bin-path): move both ends together, e.g. to "${newPath}" here AND in the daemon's own setting (${OTHER_END}); ${dirOrigin(socketDir, username)}.${view ? socketState(view, path, listening) : ""}`;
      }

      const edit = valueEdit(config, item.value, 0, path.lastIndexOf("/"), socketDir);
      const report = { message, file: where.file, start: where.start, end: where.end };
      if (!edit || edit.file !== where.file) {
        found.push({ report });
        continue;
      }
      const description = spawned
        ? `move the socket lighttpd creates to ${socketDir}`
        : `move the socket to ${socketDir} (together with the daemon's listening socket: ${OTHER_END})`;
      found.push({ report, move: { description, edits: [{ range: edit.range, text: edit.text }] }, literal: edit.leaf.origin, safe });
    }
    // Whether each moved literal is used elsewhere too: one walk of the config for all of them.
    const uses = literalUses(
      config,
      found.flatMap((f) => (f.literal ? [f.literal] : [])),
    );
    for (const { report, move, literal, safe } of found) {
      let fix;
      let suggestions;
      if (move) {
        const shared = literal && !onlySocketUses(uses.get(literal) ?? []);
        if (shared) suggestions = [{ ...move, description: `${move.description} (the changed literal is also used elsewhere)` }];
        else if (!safe) suggestions = [move];
        else fix = move;
      }
      context.report({ ...report, fix, suggestions });
    }
  },
};

export default rule;
