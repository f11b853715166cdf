/**
 * fs-bin-path (--check-fs): a backend's bin-path program must exist, be a regular file and be
 * executable by server.username inside server.chroot (gw_backend.c checks stat + S_ISREG + any x
 * bit at startup, logs "invalid bin-path", and the spawn then fails).
 */
import type { Rule } from "../src/engine/types.js";
import { arrayEntry, backendHosts, describeHost, hasUnknown, itemValueRange, stringOf } from "../src/engine/config-query.js";
import { blockedAncestor, fsView, octal, permits, serverPath, statOrUndefined } from "../src/engine/check-fs.js";

const rule: Rule = {
  meta: {
    id: "fs-bin-path",
    description: "--check-fs: a backend bin-path that does not exist or is not executable by server.username",
    severity: "error",
    fixable: false,
    effect: "runtime",
  },
  check(context) {
    const view = fsView(context.config, context.settings);
    if (!view) return;
    for (const h of backendHosts(context.config)) {
      const item = arrayEntry(h.entries, "bin-path");
      if (!item || hasUnknown(item.value)) continue;
      const program = stringOf(item.value)?.trim().split(/\s+/)[0];
      if (!program || !program.startsWith("/")) continue; // relative: bin-path-relative reports it
      const where = itemValueRange(item);
      if (!where) continue;
      const report = (message: string) => context.report({ message: `${describeHost(h)}: ${message}`, file: where.file, start: where.start, end: where.end });
      const inChroot = view.chroot ? ` inside server.chroot "${view.chroot}"` : "";
      const st = statOrUndefined(serverPath(view, program));
      if (!st) {
        report(`bin-path "${program}" does not exist${inChroot}: lighttpd logs "invalid bin-path" and the backend never starts (requests fail with 503)`);
        continue;
      }
      if (!st.isFile()) {
        report(`bin-path "${program}"${inChroot} is not a regular file: lighttpd cannot run it`);
        continue;
      }
      if ((st.mode & 0o111) === 0) {
        report(`bin-path "${program}"${inChroot} is not executable (mode ${octal(st.mode)}): lighttpd refuses to run it (chmod +x)`);
        continue;
      }
      const user = view.user;
      if (!user) continue;
      const blocked = blockedAncestor(view, program, user);
      if (blocked) report(`server.username "${user.name}" may not enter "${blocked}", so it cannot run bin-path "${program}"`);
      else if (!permits(st, user, 1))
        report(
          `server.username "${user.name}" may not execute bin-path "${program}" (owner uid ${st.uid}, gid ${st.gid}, mode ${octal(st.mode)}): lighttpd runs it after dropping privileges`,
        );
    }
  },
};

export default rule;
