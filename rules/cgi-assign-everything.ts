/**
 * cgi-assign-everything: `cgi.assign = ( "" => ... )` outside a condition on the path. mod_cgi picks
 * the handler with array_match_key_suffix(cgi.assign, physical path) (mod_cgi.c), and every path
 * ends with "": every file lighttpd would serve is executed instead, including uploads, data files
 * and anything a user can write below the document root.
 */
import type { Rule } from "../src/engine/types.js";
import { contextChain, settingsNamed } from "../src/engine/config-query.js";
import { effectiveModules } from "../src/schema/effective-modules.js";

const rule: Rule = {
  meta: {
    id: "cgi-assign-everything",
    description: 'cgi.assign with the key "" outside a path condition: every file is run as a CGI program',
    severity: "warning",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    const { config } = context;
    const modules = effectiveModules(config, context.settings.lighttpdVersion);
    if (modules.unknown || !modules.loaded.includes("mod_cgi")) return;
    for (const { context: ctx, setting } of settingsNamed(config, "cgi.assign")) {
      // A condition on the path (or anything but host, socket or scheme) limits which files it covers.
      if (contextChain(ctx).some((c) => c.condition && !["host", "socket", "scheme"].includes(c.condition.field.toLowerCase()))) continue;
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        // With an interpreter ("" => "/usr/sbin/net-cgi") every request goes to that one program,
        // which router firmware does on purpose; only "" => "" executes the files themselves.
        if (item.key !== "" || !item.keyOrigin || item.value.type !== "string" || item.value.value !== "") continue;
        const where = item.keyOrigin;
        const scope = ctx.condition ? `in ${ctx.condition.text}` : "in the global scope";
        context.report({
          message: `cgi.assign "" => "" ${scope} hands every file to mod_cgi (every path ends with ""): lighttpd tries to execute whatever it would otherwise serve, uploads and data files included, and serves none of them. Limit it to a directory: $HTTP["url"] =^ "/cgi-bin/" { cgi.assign = ( "" => "" ) }, or assign extensions (".cgi" => "")`,
          file: where.file,
          start: where.start,
          end: where.end,
        });
      }
    }
  },
};

export default rule;
