/**
 * socket-in-tmp: a backend's unix socket under /tmp or /var/tmp. lighttpd's shipped systemd unit
 * sets PrivateTmp=yes (since 1.4.79), so lighttpd's /tmp is not the /tmp of a separately started daemon; and in a
 * sticky, world-writable directory any local user can pre-create (or leave behind) the name.
 */
import type { Rule } from "../src/engine/types.js";
import { arrayEntry, backendHosts, describeHost, hasUnknown, itemValueRange, literalUses, stringOf, valueEdit } from "../src/engine/config-query.js";

const TMP_DIRS = ["/tmp", "/var/tmp"];

export function tmpDirOf(path: string): string | undefined {
  return TMP_DIRS.find((d) => path === d || path.startsWith(d + "/"));
}

/** True when every use of the literal is a backend socket/host path (so changing it moves only sockets). */
function onlySocketUses(uses: string[][]): boolean {
  return uses.every((p) => /\.server$/i.test(p[0]) && /^(socket|host)$/i.test(p[p.length - 1]));
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
    const socketDir = settings.socketDir.replace(/\/+$/, "") || "/run/lighttpd";
    for (const h of backendHosts(config)) {
      let item = arrayEntry(h.entries, "socket");
      if (!item) {
        const host = arrayEntry(h.entries, "host");
        if (stringOf(host?.value)?.startsWith("/")) item = host; // a host starting with "/" is a socket path
      }
      if (!item || hasUnknown(item.value)) continue;
      const path = stringOf(item.value);
      const tmp = path === undefined ? undefined : tmpDirOf(path);
      if (path === undefined || !tmp) continue;
      const where = itemValueRange(item);
      if (!where) continue;
      const spawned = arrayEntry(h.entries, "bin-path") !== undefined;
      const why = spawned
        ? `any local user can create that name in the world-writable ${tmp} before lighttpd does (lighttpd then connects to their listener instead of spawning bin-path), and lighttpd cannot replace a stale socket another user left in the sticky directory`
        : `under systemd's PrivateTmp=yes (set by lighttpd's shipped unit since 1.4.79) lighttpd sees its own private ${tmp}, not the one where a separately started daemon creates the socket, so requests fail with 503; and anyone can create that name in the world-writable directory first`;
      const newPath = `${socketDir}/${path.slice(path.lastIndexOf("/") + 1)}`;
      const message = `${describeHost(h)}: socket "${path}" is in ${tmp}: ${why}. Put it in ${socketDir} (created for the server user), e.g. "${newPath}"`;

      const edit = valueEdit(config, item.value, 0, path.lastIndexOf("/"), socketDir);
      let fix;
      let suggestions;
      if (edit && edit.file === where.file) {
        const candidate = { description: `move the socket to ${socketDir}`, edits: [{ range: edit.range, text: edit.text }] };
        const shared = edit.leaf.origin && !onlySocketUses(literalUses(config, edit.leaf.origin));
        if (shared) suggestions = [{ ...candidate, description: `${candidate.description} (the changed literal is also used elsewhere)` }];
        else fix = candidate;
      }
      context.report({ message, file: where.file, start: where.start, end: where.end, fix, suggestions });
    }
  },
};

export default rule;
