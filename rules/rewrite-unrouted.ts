/**
 * rewrite-unrouted: a url.rewrite-* target that names a script (/hello.py/..., /index.php?...)
 * which no backend handles: no fastcgi/scgi/proxy prefix or extension and no cgi.assign extension
 * matches it, so lighttpd serves the script as a static file (its source!) or answers 404.
 * Only reported when the config has backends at all and the target's script part is literal.
 */
import type { Rule } from "../src/engine/types.js";
import { backendKeys, hasUnknown, settingsNamed, stringOf } from "../src/engine/config-query.js";

const REWRITE_KEYS = ["url.rewrite-once", "url.rewrite", "url.rewrite-final", "url.rewrite-repeat", "url.rewrite-if-not-file", "url.rewrite-repeat-if-not-file"];
const SCRIPT_EXT = /\.(php[0-9]?|phtml|py|wsgi|fcgi|fcg|scgi|cgi|pl|rb)$/i;

/** The script part of a rewrite target ("/hello.py" of "/hello.py/$1?x=1"), if literal and script-like. */
export function scriptOfTarget(target: string): string | undefined {
  const path = target.split("?")[0];
  const segments = path.split("/");
  for (let i = 1; i < segments.length; i++) {
    if (SCRIPT_EXT.test(segments[i])) {
      const script = segments.slice(0, i + 1).join("/");
      return /[$%{}]/.test(script) ? undefined : script;
    }
    if (/[$%{}]/.test(segments[i])) return undefined;
  }
  return undefined;
}

/** Whether some string of `set` is a prefix of `s` (the empty string included). */
function startsWithOneOf(s: string, set: ReadonlySet<string>): boolean {
  for (let i = 0; i <= s.length; i++) if (set.has(s.slice(0, i))) return true;
  return false;
}

/** Whether some string of `set` is a suffix of `s` (the empty string included). */
function endsWithOneOf(s: string, set: ReadonlySet<string>): boolean {
  for (let i = 0; i <= s.length; i++) if (set.has(s.slice(i))) return true;
  return false;
}

const rule: Rule = {
  meta: {
    id: "rewrite-unrouted",
    description: "A url.rewrite-* target naming a script that no backend (fastcgi/scgi/proxy/cgi) handles",
    severity: "warning",
    fixable: false,
    effect: "runtime",
  },
  check(context) {
    const { config } = context;
    if (config.incomplete) return; // a backend may hide in what we could not read
    const keys = backendKeys(config);
    if (keys.length === 0) return;
    const suffixes: string[] = [];
    const prefixes: string[] = [];
    for (const k of keys) (k.key.startsWith("/") ? prefixes : suffixes).push(k.key);
    for (const { setting } of settingsNamed(config, "cgi.assign", "fastcgi.map-extensions", "scgi.map-extensions")) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) if (item.key !== undefined) suffixes.push(item.key);
    }
    // Looked up by the target's own prefixes and suffixes: a mass-vhost config has a backend and a rewrite in every vhost.
    const handled = keys
      .slice(0, 4)
      .map((k) => `"${k.key}"`)
      .join(", ");
    const prefixSet = new Set(prefixes);
    const suffixSet = new Set(suffixes);
    // mod_magnet can route anything; do not guess.
    for (const ctx of config.contexts) for (const key of ctx.settings.keys()) if (key.startsWith("magnet.")) return;

    for (const { setting } of settingsNamed(config, ...REWRITE_KEYS)) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        if (hasUnknown(item.value)) continue;
        const target = stringOf(item.value);
        const script = target === undefined ? undefined : scriptOfTarget(target);
        if (!target || !script) continue;
        const path = target.split("?")[0];
        const routed = startsWithOneOf(path, prefixSet) || startsWithOneOf(script, prefixSet) || endsWithOneOf(script, suffixSet);
        if (routed) continue;
        const where = item.value.origin && item.element && item.value.origin.file === item.file ? item.value.origin : item.keyOrigin;
        if (!where) continue;
        context.report({
          message: `${setting.key} rewrites to "${script}", but no backend handles that path (backends are keyed on ${handled}): lighttpd serves "${script}" as a static file (its source code) or answers 404. Rewrite to a path a backend handles, or key the backend on "${script}"`,
          file: where.file,
          start: where.start,
          end: where.end,
        });
      }
    }
  },
};

export default rule;
