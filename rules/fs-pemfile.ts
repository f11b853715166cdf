/**
 * fs-pemfile (--check-fs): ssl.pemfile / ssl.privkey must exist (lighttpd loads them at startup,
 * still as root, and refuses to start without them); a private key readable by every local user
 * is reported too.
 */
import { readBoundedText } from "../src/util/read-file.js";
import type { Rule } from "../src/engine/types.js";
import { hasUnknown, settingsNamed, stringOf, valueRange } from "../src/engine/config-query.js";
import { fsView, octal, startupPath, statOrUndefined } from "../src/engine/check-fs.js";

function holdsPrivateKey(file: string): boolean {
  // Bounded and non-blocking: a pemfile may name a FIFO or a device. A PEM file is small.
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(readBoundedText(file, 1 << 20, "latin1") ?? "");
}

const rule: Rule = {
  meta: {
    id: "fs-pemfile",
    description: "--check-fs: an ssl.pemfile/ssl.privkey that is missing, or a private key readable by everyone",
    severity: "error",
    fixable: false,
    effect: "refused",
    refusedAt: "start",
  },
  check(context) {
    const view = fsView(context.config, context.settings);
    if (!view) return;
    for (const { setting } of settingsNamed(context.config, "ssl.pemfile", "ssl.privkey")) {
      if (hasUnknown(setting.value)) continue;
      const file = stringOf(setting.value);
      if (!file || !file.startsWith("/")) continue;
      const where = valueRange(setting.value, setting);
      const onDisk = startupPath(view, file);
      const st = statOrUndefined(onDisk);
      if (!st || !st.isFile()) {
        context.report({
          message: `${setting.key} "${file}" ${st ? "is not a regular file" : "does not exist"}: lighttpd cannot load it and refuses to start`,
          file: where.file,
          start: where.start,
          end: where.end,
        });
        continue;
      }
      if ((st.mode & 0o004) !== 0 && holdsPrivateKey(onDisk)) {
        context.report({
          message: `${setting.key} "${file}" holds a private key and is readable by every local user (mode ${octal(st.mode)}): anyone on the machine can impersonate this server. chmod 600 it (lighttpd reads it as root at startup)`,
          file: where.file,
          start: where.start,
          end: where.end,
          severity: "warning",
          effect: "risk",
        });
      }
    }
  },
};

export default rule;
