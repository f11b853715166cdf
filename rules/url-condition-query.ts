/**
 * url-condition-query: a `$HTTP["url"]` condition that tests for a query string. lighttpd compares
 * `$HTTP["url"]` with r->uri.path (configfile-glue.c config_check_cond_nocache: COMP_HTTP_URL), the
 * decoded path without "?" and the query, so a "?" in the compared string never matches a query:
 * `==`, `=^`, `=$` and a regex that requires a literal "?" do not match "/a?b=1" (only a path with
 * an encoded "%3F"), and their negations are true for it.
 * `$HTTP["querystring"]` is the condition that sees the query.
 */
import type { Rule } from "../src/engine/types.js";

/**
 * True when a regex can only match a string containing "?": a `\?` (or `[?]`) outside any class,
 * not made optional, in a pattern without alternatives. Anything less certain: false.
 */
export function regexRequiresQuestionMark(pattern: string): boolean {
  if (pattern.includes("|")) return false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      if (!inClass && pattern[i + 1] === "?" && !/[?*{]/.test(pattern[i + 2] ?? "")) return !insideOptionalGroup(pattern, i);
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      if (pattern.startsWith("[?]", i) && !/[?*{]/.test(pattern[i + 3] ?? "")) return !insideOptionalGroup(pattern, i);
      inClass = true;
      if (pattern[i + 1] === "]" || (pattern[i + 1] === "^" && pattern[i + 2] === "]")) i += pattern[i + 1] === "^" ? 2 : 1;
    }
  }
  return false;
}

/** Whether position `at` is inside a group (any group may be optional or repeated zero times: be safe). */
function insideOptionalGroup(pattern: string, at: number): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < at; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
  }
  return depth > 0;
}

const rule: Rule = {
  meta: {
    id: "url-condition-query",
    description: '$HTTP["url"] compared with a query string: it holds the path only, so the condition never matches',
    severity: "warning",
    fixable: false,
    effect: "misread",
  },
  check(context) {
    const seen = new Set<unknown>();
    for (const ctx of context.config.contexts) {
      const c = ctx.condition;
      if (!c || c.unknown || c.object !== "HTTP" || c.field !== "url") continue;
      const plainElse = !!ctx.isElse && ctx.branches.every((b) => b.node.condition === undefined);
      if (plainElse) continue;
      const op = c.writtenOp ?? c.op;
      const never = op === "=~" || op === "!~" ? regexRequiresQuestionMark(c.value) : c.value.includes("?");
      if (!never) continue;
      for (const site of c.sites) {
        const value = site.node.value;
        if (!value || seen.has(site.node)) continue;
        seen.add(site.node);
        const negated = op === "!=" || op === "!~";
        context.report({
          message: `$HTTP["url"] ${op} "${c.value}" ${negated ? "is true for every request with a query string" : "never matches a request with a query string"}: $HTTP["url"] is the decoded path without "?" and the query (a "?" there comes only from an encoded %3F). Test the query with $HTTP["querystring"] (e.g. $HTTP["querystring"] =~ "(^|&)page=admin(&|$)"), nested inside a condition on the path`,
          file: site.file,
          start: value.start,
          end: value.end,
        });
      }
    }
  },
};

export default rule;
