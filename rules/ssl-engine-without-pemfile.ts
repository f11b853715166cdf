/**
 * ssl-engine-without-pemfile: TLS switched on without a certificate. mod_openssl's set_defaults
 * (mod_openssl.c, 1.4.69) refuses to start with
 * - `ssl.engine = "enable"` in the global scope and no global ssl.pemfile: "ssl.pemfile has to be
 *   set when ssl.engine = "enable"";
 * - `ssl.engine = "enable"` in a `$SERVER["socket"]` block without its own ssl.pemfile, when the
 *   block sets other ssl.* keys too, or the global scope has no certificate to inherit: "ssl.pemfile
 *   has to be set in same $SERVER["socket"] scope as other ssl.* directives, unless only ssl.engine
 *   is set, inheriting ssl.* from global scope".
 */
import type { Rule } from "../src/engine/types.js";
import type { Context, Setting } from "../src/eval/model.js";
import { getSetting, settingKeyRange, toBool } from "../src/engine/config-query.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { resultHasUnknown } from "../src/schema/values.js";

function enabled(s: Setting | undefined): boolean | undefined {
  if (!s) return false;
  return resultHasUnknown(s.value) ? undefined : toBool(s.value) === true;
}

function sslKeys(ctx: Context): string[] {
  return [...ctx.settings.values()].map((s) => s.key).filter((k) => k.startsWith("ssl."));
}

const rule: Rule = {
  meta: {
    id: "ssl-engine-without-pemfile",
    description: 'ssl.engine = "enable" without an ssl.pemfile lighttpd can use for that listener: lighttpd refuses to start',
    severity: "error",
    fixable: false,
    effect: "refused",
  },
  check(context) {
    const { config } = context;
    const modules = effectiveModules(config, context.settings.lighttpdVersion);
    // The messages and rules are mod_openssl's; other TLS modules are not modelled here.
    if (modules.unknown || !modules.loaded.includes("mod_openssl") || modules.loaded.some((m) => m !== "mod_openssl" && /^mod_(gnutls|mbedtls|nss|wolfssl|boringssl)$/.test(m)))
      return;
    const g = config.global;
    const globalPem = getSetting(g, "ssl.pemfile");
    if (globalPem && resultHasUnknown(globalPem.value)) return;
    const globalEngine = getSetting(g, "ssl.engine");
    if (enabled(globalEngine) && !globalPem) {
      const where = settingKeyRange(globalEngine!);
      context.report({
        message: `ssl.engine is enabled in the global scope without ssl.pemfile: lighttpd refuses to start ("ssl.pemfile has to be set when ssl.engine = "enable""). Set ssl.pemfile (the certificate, and ssl.privkey for its key)`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
    }
    for (const ctx of config.contexts) {
      const c = ctx.condition;
      if (!c || c.object !== "SERVER" || c.field !== "socket" || c.unknown) continue;
      const engine = getSetting(ctx, "ssl.engine");
      if (!engine || !enabled(engine) || getSetting(ctx, "ssl.pemfile")) continue;
      const others = sslKeys(ctx).filter((k) => k.toLowerCase() !== "ssl.engine");
      if (others.length === 0 && globalPem) continue; // inherits the global certificate
      const why = others.length > 0 ? `it also sets ${others.join(", ")}, so it does not inherit the global certificate` : "the global scope has no ssl.pemfile to inherit";
      const where = settingKeyRange(engine);
      context.report({
        message: `ssl.engine is enabled in ${c.text} without ssl.pemfile there, and ${why}: lighttpd refuses to start ("ssl.pemfile has to be set in same $SERVER["socket"] scope as other ssl.* directives"). Set ssl.pemfile in this block`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
    }
  },
};

export default rule;
