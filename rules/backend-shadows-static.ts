/**
 * backend-shadows-static: a backend mounted at "/" (or at "", which every path ends with) next to
 * an alias.url for static files. gw_check_extension (gw_backend.c) gives the request to the
 * backend whenever the key is a prefix of the URL path (or, for a key not starting with "/", a
 * suffix of it): with check-local disabled already in handle_uri_clean, before mod_alias maps
 * the path; with check-local enabled in handle_subrequest_start, ahead of mod_staticfile, which
 * lighttpd always loads last. Either way `/static/...` goes to the backend (php-cgi answers 404
 * "No input file specified"), and lighttpd never serves the aliased files.
 */
import type { Rule } from "../src/engine/types.js";
import type { Context } from "../src/eval/model.js";
import { arrayEntry, backendHosts, contextChain, hasUnknown, settingsNamed, settingsWithKey, stringOf, type BackendHost } from "../src/engine/config-query.js";
import { effectiveModules } from "../src/schema/effective-modules.js";

/** A backend key that every request path matches. */
function takesEveryPath(key: string): boolean {
  return key === "/" || key === "";
}

/** A condition on the request path (or anything but host/socket/scheme): it may keep the backend off the prefix. */
function narrowsPaths(ctx: Context): boolean {
  return contextChain(ctx).some((c) => c.condition && !["host", "socket", "scheme"].includes(c.condition.field.toLowerCase()));
}

const rule: Rule = {
  meta: {
    id: "backend-shadows-static",
    description: 'A backend mounted at "/" takes every request, so the files of alias.url are never served by lighttpd',
    severity: "warning",
    fixable: false,
    effect: "ignored",
  },
  check(context) {
    const { config } = context;
    const modules = effectiveModules(config, context.settings.lighttpdVersion);
    if (modules.unknown || !modules.loaded.includes("mod_alias")) return;
    const reported = new Set<unknown>();
    for (const h of backendHosts(config)) {
      if (!takesEveryPath(h.extKey) || !modules.loaded.includes(`mod_${h.module}`)) continue;
      // An authorizer only checks access; the response still comes from elsewhere.
      const mode = arrayEntry(h.entries, "mode");
      if (mode && (hasUnknown(mode.value) || stringOf(mode.value) !== "responder")) continue;
      if (narrowsPaths(h.context) || overriddenForSomePaths(config, h)) continue;
      const scope = new Set(contextChain(h.context));
      for (const { context: aliasCtx, setting } of settingsNamed(config, "alias.url")) {
        // The alias applies wherever the backend does: set in the backend's block or around it.
        if (!scope.has(aliasCtx) || setting.value.type !== "array") continue;
        for (const item of setting.value.items) {
          if (item.key === undefined || !item.key.startsWith("/") || !item.keyOrigin || reported.has(item)) continue;
          reported.add(item);
          const where = item.keyOrigin;
          context.report({
            message: `alias.url "${item.key}" is never served as static files: ${h.module}.server "${h.extKey}" takes every request path first, so "${item.key}..." requests go to the backend. Keep the backend off that prefix, e.g. put ${h.module}.server inside $HTTP["url"] !~ "^${escapeRegex(item.key)}" { ... }`,
            file: where.file,
            start: where.start,
            end: where.end,
          });
        }
      }
    }
  },
};

/** Some block sets the same backend key differently (e.g. `$HTTP["url"] =^ "/static/" { fastcgi.server = () }`): say nothing. */
function overriddenForSomePaths(config: Parameters<Rule["check"]>[0]["config"], h: BackendHost): boolean {
  return settingsWithKey(config, `${h.module}.server`).some((s) => s.context !== h.context && narrowsPaths(s.context));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export default rule;
