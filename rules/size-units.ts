/**
 * size-units: a size lighttpd reads in KiB, set to a number that looks meant in bytes.
 *
 * - server.max-request-size: T_CONFIG_INT (configfile.c), used as `max_request_size << 10`
 *   ("r->conf.max_request_size is in kBytes", connections.c).
 * - deflate.max-compress-size and its old name compress.max-filesize: "in kb like
 *   compress.max_filesize" (mod_deflate.c; default 128*1024, "128 MB measured as num KB").
 *
 * Not here: server.max-request-field-size and server.upload-temp-file-size are bytes
 * (configfile.c: default 8192; chunk.c compares upload_temp_file_size with byte counts), and the
 * *.kbytes-per-second keys say their unit in their name.
 *
 * A value of at least 1048576 (1 GiB when read as KiB) is taken as meant in bytes: that is 1 MiB
 * in bytes, and a body or compression limit of a gigabyte or more is rare. Values that lighttpd
 * cannot store (integer-overflow) are left to that rule.
 */
import type { Rule } from "../src/engine/types.js";
import { settingsNamed } from "../src/engine/config-query.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { keyRange } from "../src/schema/rule-support.js";

const KIB_KEYS: { key: string; module?: string; what: string }[] = [
  { key: "server.max-request-size", what: "largest request body" },
  { key: "deflate.max-compress-size", module: "mod_deflate", what: "largest response mod_deflate compresses" },
  { key: "compress.max-filesize", module: "mod_deflate", what: "largest response mod_deflate compresses" },
];

/** 1 GiB when read as KiB. */
const THRESHOLD = 1048576;

function human(kib: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = kib;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

const rule: Rule = {
  meta: {
    id: "size-units",
    description: "A size lighttpd reads in KiB, set to a value that looks meant in bytes",
    severity: "warning",
    fixable: false,
    effect: "misread",
  },
  check(context) {
    const { config } = context;
    const modules = effectiveModules(config, context.settings.lighttpdVersion);
    for (const { key, module, what } of KIB_KEYS) {
      if (module && (modules.unknown || !modules.loaded.includes(module))) continue;
      for (const { setting } of settingsNamed(config, key)) {
        const value = setting.value;
        if (value.type !== "integer" || value.value < THRESHOLD || value.value > 0x7fffffff) continue;
        const site = setting.sites[setting.sites.length - 1];
        const where = value.origin ?? (site ? keyRange(site) : undefined);
        if (!where) continue;
        const asBytes = Math.max(1, Math.round(value.value / 1024));
        context.report({
          message: `${setting.key} is in KiB: lighttpd reads ${value.value} as ${human(value.value)} for the ${what}. If ${value.value} was meant in bytes (${human(value.value / 1024)}), write ${asBytes}`,
          file: where.file,
          start: where.start,
          end: where.end,
        });
      }
    }
  },
};

export default rule;
