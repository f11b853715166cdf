/**
 * fs-document-root (--check-fs): every server.document-root must be a directory that
 * server.username can enter (inside server.chroot); otherwise every request there answers 404/403.
 */
import type { Rule } from "../src/engine/types.js";
import { hasUnknown, settingsNamed, stringOf, valueRange } from "../src/engine/config-query.js";
import { blockedAncestor, fsView, octal, permits, serverPath, statOrUndefined } from "../src/engine/check-fs.js";

const rule: Rule = {
  meta: {
    id: "fs-document-root",
    description: "--check-fs: a server.document-root that does not exist or that server.username cannot enter",
    severity: "warning",
    fixable: false,
    effect: "runtime",
  },
  check(context) {
    const view = fsView(context.config, context.settings);
    if (!view) return;
    for (const { setting } of settingsNamed(context.config, "server.document-root")) {
      if (hasUnknown(setting.value)) continue;
      const dir = stringOf(setting.value);
      if (!dir || !dir.startsWith("/")) continue;
      const where = valueRange(setting.value, setting);
      const report = (message: string) => context.report({ message, file: where.file, start: where.start, end: where.end });
      const inChroot = view.chroot ? ` inside server.chroot "${view.chroot}"` : "";
      const st = statOrUndefined(serverPath(view, dir));
      if (!st) {
        report(`server.document-root "${dir}" does not exist${inChroot}: every request answers 404`);
        continue;
      }
      if (!st.isDirectory()) {
        report(`server.document-root "${dir}"${inChroot} is not a directory: every request answers 404`);
        continue;
      }
      const user = view.user;
      if (!user) continue;
      const blocked = blockedAncestor(view, dir, user);
      if (blocked) report(`server.username "${user.name}" may not enter "${blocked}", so every request under "${dir}" answers 403`);
      else if (!permits(st, user, 1))
        report(`server.username "${user.name}" may not enter server.document-root "${dir}" (owner uid ${st.uid}, mode ${octal(st.mode)}): every request answers 403`);
    }
  },
};

export default rule;
