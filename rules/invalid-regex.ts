import type { Rule } from "../src/engine/types.js";
import { arrayEntry, toBool, itemValueRange } from "../src/engine/config-query.js";
import type { ArrayItem, EvaluatedConfig } from "../src/eval/model.js";
import { checkPcre, normalizeUrlPattern } from "../src/schema/pcre.js";
import { allSettings } from "../src/schema/rule-support.js";

/** Keys whose array keys are PCRE patterns, normalized like URLs before compiling (keyvalue.c). */
const URL_PATTERN_KEYS = [
  "url.rewrite-once",
  "url.rewrite-final",
  "url.rewrite",
  "url.rewrite-repeat",
  "url.rewrite-if-not-file",
  "url.rewrite-repeat-if-not-file",
  "url.redirect",
];
/** Keys whose list values are PCRE patterns (compiled as written). */
const VALUE_PATTERN_KEYS = ["dir-listing.exclude"];

/**
 * A regular expression PCRE2 rejects. lighttpd compiles condition regexes (`=~`, `!~`) while
 * parsing (so -t fails), and url.rewrite-* / url.redirect / dir-listing.exclude patterns when the
 * module starts (-tt and startup fail). A condition regex may have at most 9 capturing groups.
 * See docs/rules/invalid-regex.md for how patterns are checked without PCRE2.
 */
const rule: Rule = {
  meta: { id: "invalid-regex", description: "A regular expression lighttpd's PCRE2 rejects", severity: "error", fixable: false, effect: "refused" },
  check(context) {
    const config = context.config;
    const normalize = urlNormalizeOn(config);
    const seen = new Set<string>();
    for (const ctx of config.contexts) {
      const c = ctx.condition;
      // A value read from env.X / an unknown variable: the placeholder is not the pattern lighttpd compiles.
      if (!c || c.unknown) continue;
      const op = c.writtenOp ?? c.op;
      if (op !== "=~" && op !== "!~") continue;
      for (const site of c.sites) {
        const value = site.node.value;
        if (!value) continue;
        const id = `${site.file}:${value.start}`;
        if (seen.has(id)) continue;
        seen.add(id);
        // $HTTP["querystring"] patterns are URL-normalized like rewrite patterns (configfile.c config_burl_normalize_cond)
        const pattern = c.object === "HTTP" && (c.field === "querystring" || c.field === "query-string") && normalize ? normalizeUrlPattern(c.value) : c.value;
        const result = checkPcre(pattern);
        const where = { file: site.file, start: value.start, end: value.end };
        if (!result.valid) {
          context.report({ message: `invalid regex ${JSON.stringify(c.value)}: ${result.message}${at(result.offset)} (lighttpd refuses the config)`, ...where });
        } else if (result.captures !== undefined && result.captures > 9) {
          context.report({
            message: `a condition regex may have at most 9 capturing groups; this one has ${result.captures} (lighttpd: "Too many captures in regex"); use (?:...) for groups you do not need`,
            ...where,
          });
        }
      }
    }
    for (const { key, setting } of allSettings(config)) {
      if (setting.value.type !== "array") continue;
      if (URL_PATTERN_KEYS.includes(key)) {
        for (const item of setting.value.items) {
          const pattern = item.key; // read once: a folded item slices it from the text on each read
          if (pattern !== undefined) checkPattern(setting.key, item, pattern, normalize, true);
        }
      } else if (VALUE_PATTERN_KEYS.includes(key)) {
        for (const item of setting.value.items) if (item.value.type === "string") checkPattern(setting.key, item, item.value.value, false, false);
      }
    }

    function checkPattern(key: string, item: ArrayItem, pattern: string, urlNormalize: boolean, isKey: boolean): void {
      const compiled = urlNormalize ? normalizeUrlPattern(pattern) : pattern;
      const result = checkPcre(compiled);
      if (result.valid) return;
      const where = isKey ? item.keyOrigin : itemValueRange(item);
      if (!where) return;
      const shown = compiled !== pattern ? ` (compiled as ${JSON.stringify(compiled)}: lighttpd percent-encodes non-ASCII characters in these patterns)` : "";
      context.report({
        message: `invalid regex ${JSON.stringify(pattern)} in ${key}: ${result.message}${at(result.offset)}${shown} (lighttpd fails to start)`,
        ...where,
        refusedAt: "start",
      });
    }
  },
};

function at(offset: number | undefined): string {
  return offset === undefined ? "" : ` at offset ${offset}`;
}

/** server.http-parseopts "url-normalize" (default on) also normalizes rewrite/redirect patterns. */
function urlNormalizeOn(config: EvaluatedConfig): boolean {
  const opts = config.global.settings.get("server.http-parseopts")?.value;
  const v = arrayEntry(opts, "url-normalize");
  return v ? toBool(v.value) !== false : true;
}

export default rule;
