/**
 * rewrite-prefix-boundary: a pattern like "^/static.*" or "^/api(.*)$", meant as "this path and
 * everything below it", also matches /staticfoo and /api-docs. The fix is a suggestion only: it
 * narrows what the pattern matches, which is the point but may not be what every config wants.
 */
import type { Rule } from "../src/engine/types.js";
import type { Fix } from "../src/ast/diagnostics.js";
import type { Origin } from "../src/eval/model.js";
import { hasUnknown, settingsNamed, sourceText, writtenConditionValue } from "../src/engine/config-query.js";

const PATTERN_KEYS = [
  "url.rewrite-once", "url.rewrite", "url.rewrite-final", "url.rewrite-repeat",
  "url.rewrite-if-not-file", "url.rewrite-repeat-if-not-file", "url.redirect",
];

/** `^/word(/word)*` then `.*` or `(.*)`, optionally `$`: returns where the tail starts. */
export function prefixWithoutBoundary(pattern: string): { path: string; tailStart: number; tail: string } | undefined {
  const m = /^\^(\/[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)(\.\*|\(\.\*\))(\$?)$/.exec(pattern);
  if (!m) return undefined;
  return { path: m[1], tailStart: 1 + m[1].length, tail: m[2] };
}

function suggestion(config: Parameters<Rule["check"]>[0]["config"], where: Origin, pattern: string, found: { tailStart: number; tail: string }, afterPath: string): Fix | undefined {
  const text = sourceText(config, where.file);
  if (!text || text.slice(where.start, where.end) !== `"${pattern}"`) return undefined;
  const start = where.start + 1 + found.tailStart;
  const replacement = found.tail === "(.*)" ? `($|${afterPath}.*)` : `(?:$|${afterPath}.*)`;
  return { description: `match only the path and what is below it: ${replacement}`, edits: [{ range: [start, start + found.tail.length], text: replacement }] };
}

const rule: Rule = {
  meta: {
    id: "rewrite-prefix-boundary",
    description: 'A pattern like "^/static.*" meant as a path prefix that also matches "/staticfoo"',
    severity: "warning",
    fixable: "suggestion",
    effect: "misread",
  },
  check(context) {
    const { config } = context;
    // Rewrite and redirect patterns match the request target, query string included.
    for (const { setting } of settingsNamed(config, ...PATTERN_KEYS)) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        if (item.key === undefined || !item.keyOrigin || hasUnknown(item.value)) continue;
        const found = prefixWithoutBoundary(item.key);
        if (!found) continue;
        const where = item.keyOrigin;
        const fix = suggestion(config, where, item.key, found, "[/?]");
        context.report({
          message: `${setting.key} pattern "${item.key}" also matches "${found.path}foo" and "${found.path}-old/...", not only "${found.path}" and the paths below it. Use "^${found.path}($|[/?].*)"`,
          file: where.file, start: where.start, end: where.end,
          suggestions: fix ? [fix] : undefined,
        });
      }
    }
    // $HTTP["url"] conditions match the decoded path without the query string.
    const seen = new Set<unknown>(); // an else branch's negated condition points at the same node
    for (const ctx of config.contexts) {
      const cond = ctx.condition;
      if (!cond || cond.field.toLowerCase() !== "url") continue;
      for (const site of cond.sites) {
        if (seen.has(site.node)) continue;
        seen.add(site.node);
        const op = site.node.op?.image;
        if (op !== "=~" && op !== "!~") continue;
        const pattern = writtenConditionValue(site.node);
        const literal = site.node.value?.operands[0];
        if (pattern === undefined || !literal || site.node.value!.operands.length !== 1) continue;
        const found = prefixWithoutBoundary(pattern);
        if (!found) continue;
        const where = { file: site.file, start: literal.start, end: literal.end };
        const fix = suggestion(config, where, pattern, found, "/");
        context.report({
          message: `condition pattern "${pattern}" also matches "${found.path}foo" and "${found.path}-old/...", not only "${found.path}" and the paths below it. Use "^${found.path}($|/.*)"`,
          file: where.file, start: where.start, end: where.end,
          suggestions: fix ? [fix] : undefined,
        });
      }
    }
  },
};

export default rule;
