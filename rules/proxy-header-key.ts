/**
 * proxy-header-key: a key of proxy.header that mod_proxy does not know. mod_proxy_parse_header_opts
 * (mod_proxy.c) compares each key exactly (case-sensitive) and refuses anything else: "unexpected
 * key for proxy.header; expected ( "param" => ( "key" => "value" ) ) near key ...", and lighttpd
 * does not start. A typo (`map-url-path`, `https_remap`, `Upgrade`) thus stops the server.
 */
import { distance } from "fastest-levenshtein";
import type { Rule } from "../src/engine/types.js";
import { settingsNamed } from "../src/engine/config-query.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { atLeast } from "../src/util/version.js";

/**
 * The keys mod_proxy accepts, and the first release that has each. All of the first group are in
 * 1.4.59; the map-urlpath-resp-host-* pair is in 1.4.85 and not in 1.4.82 (the releases between
 * were not checked, so they count as having it: no false alarm there).
 */
export const PROXY_HEADER_KEYS: { key: string; since: string }[] = [
  { key: "https-remap", since: "1.4.0" },
  { key: "force-http10", since: "1.4.0" },
  { key: "upgrade", since: "1.4.0" },
  { key: "connect", since: "1.4.0" },
  { key: "map-urlpath", since: "1.4.0" },
  { key: "map-host-request", since: "1.4.0" },
  { key: "map-host-response", since: "1.4.0" },
  { key: "map-urlpath-resp-host-include", since: "1.4.83" },
  { key: "map-urlpath-resp-host-exclude", since: "1.4.83" },
];

export function proxyHeaderKeys(version: string): string[] {
  return PROXY_HEADER_KEYS.filter((k) => atLeast(version, k.since)).map((k) => k.key);
}

const rule: Rule = {
  meta: {
    id: "proxy-header-key",
    description: "A proxy.header key mod_proxy does not know: lighttpd refuses to start",
    severity: "error",
    fixable: "fix",
    effect: "refused",
  },
  check(context) {
    const { config } = context;
    const version = context.settings.lighttpdVersion;
    const modules = effectiveModules(config, version);
    // Without mod_proxy the whole key is only an "unknown config-key" (module-not-loaded).
    if (modules.unknown || !modules.loaded.includes("mod_proxy")) return;
    const known = proxyHeaderKeys(version);
    for (const { setting } of settingsNamed(config, "proxy.header")) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        if (item.key === undefined || known.includes(item.key) || !item.keyOrigin) continue;
        const near = known.find((k) => k === item.key!.toLowerCase().replace(/_/g, "-")) ?? closest(item.key, known);
        const where = item.keyOrigin;
        const text = config.files.get(where.file)?.text;
        const literal = text?.slice(where.start, where.end) === `"${item.key}"`;
        context.report({
          message: `"${item.key}" is not a proxy.header key: lighttpd refuses to start ("unexpected key for proxy.header"). Keys (case-sensitive): ${known.join(", ")}${near ? `; did you mean "${near}"?` : ""}`,
          file: where.file,
          start: where.start,
          end: where.end,
          fix: near && literal ? { description: `rename to "${near}"`, edits: [{ range: [where.start + 1, where.end - 1], text: near }] } : undefined,
        });
      }
    }
  },
};

function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return bestD <= 2 ? best : undefined;
}

export default rule;
