/**
 * server-username-unset: without server.username, lighttpd started as root (as init scripts and
 * lighttpd's systemd unit do) never drops privileges: every request, CGI and spawned backend runs
 * as root (server.c only calls setuid() when server.username is set). Reported only for configs
 * that look complete (a document root and modules/port), never for fragments (nor under --snippet).
 */
import type { Rule } from "../src/engine/types.js";
import { getSetting, looksLikeMainConfig, settingKeyRange } from "../src/engine/config-query.js";

const rule: Rule = {
  meta: {
    id: "server-username-unset",
    description: "server.username unset: when started as root, lighttpd keeps running as root",
    severity: "info",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    const { config } = context;
    // A fragment (--snippet) never is the whole server: server.username may be set in the main file.
    if (config.incomplete || config.snippet || !looksLikeMainConfig(config)) return;
    const g = config.global;
    if (getSetting(g, "server.username")) return;
    const anchor = getSetting(g, "server.modules") ?? getSetting(g, "server.document-root")!;
    const where = settingKeyRange(anchor);
    context.report({
      message: `server.username is not set: when lighttpd is started as root (init scripts, lighttpd's systemd unit, most containers) it never drops privileges, so every request, CGI script and spawned backend runs as root. Set server.username (and server.groupname), e.g. "www-data"`,
      file: where.file,
      start: where.start,
      end: where.end,
    });
  },
};

export default rule;
