/**
 * rewrite-prefix-boundary: a pattern like "^/static.*" or "^/api(.*)$", meant as "this path and
 * everything below it", also matches /staticfoo and /api-docs. The fix is a suggestion only: it
 * narrows what the pattern matches, which is the point but may not be what every config wants.
 */
import type { Rule } from "../src/engine/types.js";
import type { Fix } from "../src/ast/diagnostics.js";
import type { Origin } from "../src/eval/model.js";
import { hasUnknown, settingsNamed, sourceText, writtenConditionValue } from "../src/engine/config-query.js";

const PATTERN_KEYS = ["url.rewrite-once", "url.rewrite", "url.rewrite-final", "url.rewrite-repeat", "url.rewrite-if-not-file", "url.rewrite-repeat-if-not-file", "url.redirect"];

/** What prefixWithoutBoundary finds: the path prefix, one path it also matches, and where the tail is. */
export interface UnboundedPrefix {
  /** The prefix as written, without the anchor and groups around it: "/static", "/(static|media)". */
  path: string;
  /** A path the pattern was not meant for but matches: "/staticfoo". */
  example: string;
  /** Where the tail (an optional "/?" and ".*" or "(.*)") starts and ends in the pattern. */
  tailStart: number;
  tailEnd: number;
  tail: ".*" | "(.*)";
  /** The tail starts with "/?", which does not require a slash either. */
  optionalSlash: boolean;
}

const PATH_CHAR = /[A-Za-z0-9_/-]/;
/** At most this many spelled-out prefixes (alternations multiply): beyond it, say nothing. */
const MAX_ALTERNATIVES = 64;

/**
 * A path-prefix pattern whose prefix does not end at a path boundary: `^/static.*`, `^/api(.*)$`,
 * and the same inside a group or with alternatives, as the FastCGI guides write them:
 * `^(/static.*)$`, `^/(static|media)/?.*`, `^(/static|/media)(.*)$`, `^/(?:a|b)/x.*`. Only
 * literal path characters and groups of literal alternatives make the prefix; anything else
 * (`\.`, classes, quantifiers, `($|/.*)`) means it is not such a pattern and nothing is said.
 */
export function prefixWithoutBoundary(pattern: string): UnboundedPrefix | undefined {
  // The tail is ".*" or "(.*)": without one there is nothing to read (most rewrite patterns).
  if (!pattern.includes(".*")) return undefined;
  // Generated configs repeat their patterns in every vhost, and editors lint on each keystroke.
  let found = readPrefixes.get(pattern);
  if (found === undefined) {
    if (readPrefixes.size >= MAX_READ_PREFIXES) readPrefixes.clear();
    readPrefixes.set(pattern, (found = readPrefix(pattern) ?? null));
  }
  return found ?? undefined;
}

/** prefixWithoutBoundary's answers by pattern (null: not such a pattern); read-only once made. */
const readPrefixes = new Map<string, UnboundedPrefix | null>();
const MAX_READ_PREFIXES = 10_000;

function readPrefix(pattern: string): UnboundedPrefix | undefined {
  let i = 0;
  if (pattern[i++] !== "^") return undefined;
  // One group around the whole pattern: "^(/static.*)$".
  let outer = false;
  if (pattern[i] === "(" && /^\$?$/.test(pattern.slice(matchingParen(pattern, i) + 1))) {
    if (pattern.startsWith("(?:", i)) {
      outer = true;
      i += 3;
    } else if (pattern[i + 1] !== "?") {
      outer = true;
      i += 1;
    }
  }
  const pathStart = i;
  const alternatives = [""];
  let optionalSlash = false;
  const append = (texts: string[]): boolean => {
    const next: string[] = [];
    for (const a of alternatives) for (const t of texts) next.push(a + t);
    if (next.length > MAX_ALTERNATIVES) return false;
    alternatives.splice(0, alternatives.length, ...next);
    return true;
  };
  if (pattern[i] !== "/" && !(pattern[i] === "(" && /^\((?:\?:)?\//.test(pattern.slice(i)))) return undefined;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (pattern.startsWith("(.*)", i) || pattern.startsWith(".*", i)) break;
    if (ch === "/" && pattern[i + 1] === "?" && (pattern.startsWith("(.*)", i + 2) || pattern.startsWith(".*", i + 2))) {
      optionalSlash = true;
      break;
    }
    if (PATH_CHAR.test(ch)) {
      if (/[?*+{]/.test(pattern[i + 1] ?? "")) return undefined;
      append([ch]);
      i += 1;
      continue;
    }
    if (ch === "(") {
      const close = pattern.indexOf(")", i);
      if (close < 0) return undefined;
      const body = pattern.slice(pattern.startsWith("(?:", i) ? i + 3 : i + 1, close);
      if (body.startsWith("?")) return undefined;
      const alts = body.split("|");
      if (alts.some((a) => a === "" || ![...a].every((c) => PATH_CHAR.test(c)))) return undefined;
      if (/[?*+{]/.test(pattern[close + 1] ?? "")) return undefined;
      if (!append(alts)) return undefined;
      i = close + 1;
      continue;
    }
    return undefined;
  }
  if (i === pathStart) return undefined;
  const path = pattern.slice(pathStart, i);
  const tailStart = i;
  if (optionalSlash) i += 2;
  let tail: UnboundedPrefix["tail"];
  if (pattern.startsWith("(.*)", i)) {
    tail = "(.*)";
    i += 4;
  } else if (pattern.startsWith(".*", i)) {
    tail = ".*";
    i += 2;
  } else return undefined;
  const tailEnd = i;
  if (outer) {
    if (pattern[i] !== ")") return undefined;
    i += 1;
  }
  if (pattern[i] === "$") i += 1;
  if (i !== pattern.length) return undefined;
  // Bounded when every spelled-out prefix ends with a required "/".
  const open = alternatives.find((a) => !a.endsWith("/"));
  if (open === undefined) return undefined;
  return { path, example: `${open}foo`, tailStart, tailEnd, tail, optionalSlash };
}

/** The index of the ")" closing the group opened at `open` (-2 when none; escapes never occur in the prefixes read here). */
function matchingParen(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "(") depth++;
    else if (pattern[i] === ")" && --depth === 0) return i;
  }
  return -2;
}

/** The pattern with its tail ended at a path boundary; a capturing tail stays one capture group. */
export function boundedPattern(pattern: string, found: UnboundedPrefix, afterPath: string): string {
  return pattern.slice(0, found.tailStart) + tailReplacement(found, afterPath) + pattern.slice(found.tailEnd);
}

function tailReplacement(found: UnboundedPrefix, afterPath: string): string {
  return found.tail === "(.*)" ? `($|${afterPath}.*)` : `(?:$|${afterPath}.*)`;
}

function suggestion(config: Parameters<Rule["check"]>[0]["config"], where: Origin, pattern: string, found: UnboundedPrefix, afterPath: string): Fix | undefined {
  // "/?(.*)" captured what follows the slash; the bounded form captures the slash too: no safe edit.
  if (found.optionalSlash) return undefined;
  const text = sourceText(config, where.file);
  if (!text || text.slice(where.start, where.end) !== `"${pattern}"`) return undefined;
  const start = where.start + 1 + found.tailStart;
  const replacement = tailReplacement(found, afterPath);
  return { description: `match only the path and what is below it: ${replacement}`, edits: [{ range: [start, where.start + 1 + found.tailEnd], text: replacement }] };
}

function message(subject: string, pattern: string, found: UnboundedPrefix, afterPath: string): string {
  const what = found.path.includes("(") ? "those paths" : `"${found.path}"`;
  return `${subject} "${pattern}" also matches "${found.example}", not only ${what} and the paths below. Use "${boundedPattern(pattern, found, afterPath)}"`;
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
        // The pattern first: most are not such prefixes, and the other questions make objects.
        const pattern = item.key; // read once: a folded item slices it from the text on each read
        const found = pattern === undefined ? undefined : prefixWithoutBoundary(pattern);
        const where = found && item.keyOrigin;
        if (!found || !where || pattern === undefined || hasUnknown(item.value)) continue;
        const fix = suggestion(config, where, pattern, found, "[/?]");
        context.report({
          message: message(`${setting.key} pattern`, pattern, found, "[/?]"),
          file: where.file,
          start: where.start,
          end: where.end,
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
          message: message("condition pattern", pattern, found, "/"),
          file: where.file,
          start: where.start,
          end: where.end,
          suggestions: fix ? [fix] : undefined,
        });
      }
    }
  },
};

export default rule;
