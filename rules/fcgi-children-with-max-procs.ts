/**
 * fcgi-children-with-max-procs: a PHP backend that lighttpd spawns several times (`max-procs`, 4 when
 * not set: gw_backend.c) while each PHP process forks PHP_FCGI_CHILDREN children of its own.
 * lighttpd starts max-procs × (1 + PHP_FCGI_CHILDREN) processes (the count upstream's
 * doc/config/conf.d/fastcgi.conf gives), balances only between its max-procs, and each parent
 * keeps its own opcode cache. Without PHP_FCGI_CHILDREN lighttpd sets it to 1 (gw_backend.c,
 * gw_spawn_connection), so only an explicit value above 1 is reported. Information, not an error:
 * such a setup works, it only costs memory the usual setup (max-procs 1, PHP manages its children)
 * does not.
 */
import type { Rule } from "../src/engine/types.js";
import { arrayEntry, backendHosts, describeHost, hasUnknown, itemRange, settingRange, stringOf } from "../src/engine/config-query.js";

/** lighttpd's max-procs when a host entry does not set it (gw_backend.c: host->max_procs = 4). */
const DEFAULT_MAX_PROCS = 4;

const rule: Rule = {
  meta: {
    id: "fcgi-children-with-max-procs",
    description: "PHP_FCGI_CHILDREN with max-procs above 1: max-procs × (1 + children) PHP processes, each parent with its own opcode cache",
    severity: "info",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    for (const h of backendHosts(context.config, ["fastcgi"])) {
      if (!arrayEntry(h.entries, "bin-path")) continue; // an external spawner decides, not lighttpd
      const env = arrayEntry(h.entries, "bin-environment");
      const childrenItem = env ? arrayEntry(env.value, "PHP_FCGI_CHILDREN") : undefined;
      if (!childrenItem || hasUnknown(childrenItem.value)) continue;
      const children = Number(stringOf(childrenItem.value)?.trim());
      if (!Number.isInteger(children) || children <= 1) continue;
      const procsItem = arrayEntry(h.entries, "max-procs");
      if (procsItem && hasUnknown(procsItem.value)) continue;
      const procs = procsItem ? Number(procsItem.value.type === "integer" ? procsItem.value.value : stringOf(procsItem.value)) : DEFAULT_MAX_PROCS;
      if (!Number.isInteger(procs) || procs <= 1) continue;
      const where = itemRange(childrenItem, settingRange(h.setting));
      context.report({
        message:
          `${describeHost(h)}: lighttpd starts ${procs} PHP processes (max-procs${procsItem ? "" : ", 4 when not set"}) and each forks ${children} children: ` +
          `${procs * (1 + children)} processes, each parent with its own opcode cache, and lighttpd balances only between the ${procs}. ` +
          `Usually "max-procs" => 1 with PHP_FCGI_CHILDREN (PHP manages its children), or PHP_FCGI_CHILDREN "1" with max-procs`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
    }
  },
};

export default rule;
