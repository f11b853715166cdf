/**
 * cgi-runs-fastcgi: cgi.assign maps ".fcgi" (a FastCGI application) to an interpreter or runs it
 * directly. mod_cgi starts a new process for every request and talks CGI to it: the FastCGI
 * accept loop never gets a connection (most libraries fall back to serving one CGI request),
 * so every request pays the full start-up and nothing persists between requests.
 */
import type { Rule } from "../src/engine/types.js";
import { hasUnknown, settingsNamed, stringOf } from "../src/engine/config-query.js";

const rule: Rule = {
  meta: {
    id: "cgi-runs-fastcgi",
    description: "cgi.assign maps .fcgi (a FastCGI app) to CGI: it runs as a plain CGI program per request",
    severity: "warning",
    fixable: false,
    effect: "runtime",
  },
  check(context) {
    for (const { setting } of settingsNamed(context.config, "cgi.assign")) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        if (!item.key || !/\.fcgi$/i.test(item.key) || hasUnknown(item.value)) continue;
        const where = item.keyOrigin;
        if (!where) continue;
        const interpreter = stringOf(item.value);
        const how = interpreter ? `with "${interpreter}"` : "directly";
        context.report({
          message: `cgi.assign runs "${item.key}" scripts ${how} as plain CGI: a FastCGI app started by mod_cgi handles one request per process (a new process for every request, no persistent state). Serve it with fastcgi.server (bin-path) instead`,
          file: where.file,
          start: where.start,
          end: where.end,
        });
      }
    }
  },
};

export default rule;
