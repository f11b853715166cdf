/**
 * glob(3) as lighttpd calls it for `include` (glibc, flags GLOB_BRACE): brace alternatives are
 * expanded first and each alternative is matched and sorted on its own (byte order, the C
 * locale lighttpd runs in), `*` `?` `[...]` match within one path segment and not a leading dot,
 * and a pattern without wildcards matches when the path exists.
 *
 * Why not tinyglobby/picomatch: their syntax is a superset (extglobs, `**`, `!` negation) and
 * they return one merged, unordered list, while lighttpd reads `{b,a}.conf` as b.conf then a.conf.
 */
import fs from "node:fs";
import path from "node:path";

/** lighttpd's test for "a pattern that may match nothing" (configfile.c: strcspn(fn, "*?[]{}")). */
export function hasGlobMetachars(p: string): boolean {
  return /[*?[\]{}]/.test(p);
}

export interface GlobOptions {
  /** The directory relative patterns are matched against. */
  cwd: string;
  /** Existence test for paths without wildcards (defaults to lstat). */
  exists?: (p: string) => boolean;
}

/** The paths a pattern names, in the order lighttpd reads them; [] = GLOB_NOMATCH. Never throws. */
export function glob(pattern: string, options: GlobOptions): string[] {
  const out: string[] = [];
  for (const leaf of expandBraces(pattern)) out.push(...sortBytes(matchLeaf(leaf, options)));
  return out;
}

function sortBytes(list: string[]): string[] {
  return list.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** glibc next_brace_sub: the index of the `,` or `}` that ends the alternative starting at `i`, or -1. */
function nextBraceSub(p: string, i: number): number {
  let depth = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === "\\") {
      i++;
      if (i >= p.length) break;
      i++;
      continue;
    }
    if (c === "}") {
      if (depth === 0) break;
      depth--;
    } else if (c === "," && depth === 0) break;
    if (c === "{") depth++;
    i++;
  }
  return i < p.length ? i : -1;
}

/** The brace-free patterns of `p`, in the order glob(3) tries them. */
export function expandBraces(p: string): string[] {
  let open = -1;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "\\" && i + 1 < p.length) i++;
    else if (p[i] === "{") {
      open = i;
      break;
    }
  }
  if (open < 0) return [p];
  let next = nextBraceSub(p, open + 1);
  if (next < 0) return [p]; // an unbalanced brace is taken literally
  let rest = next;
  while (p[rest] !== "}") {
    rest = nextBraceSub(p, rest + 1);
    if (rest < 0) return [p];
  }
  const prefix = p.slice(0, open);
  const suffix = p.slice(rest + 1);
  const out: string[] = [];
  let start = open + 1;
  for (;;) {
    out.push(...expandBraces(prefix + p.slice(start, next) + suffix));
    if (p[next] === "}") break;
    start = next + 1;
    next = nextBraceSub(p, start);
    if (next < 0) break;
  }
  return out;
}

function hasMagic(segment: string): boolean {
  let bracket = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?") return true;
    else if (c === "[") bracket = true;
    else if (c === "]" && bracket) return true;
  }
  return false;
}

function unescape(segment: string): string {
  return segment.replace(/\\(.)/gs, "$1");
}

function lstatExists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readDir(p: string): string[] {
  try {
    return fs.readdirSync(p);
  } catch {
    return [];
  }
}

function matchLeaf(pattern: string, options: GlobOptions): string[] {
  const resolve = (p: string) => path.resolve(options.cwd, p === "" ? "." : p);
  const absolute = pattern.startsWith("/");
  const segments = (absolute ? pattern.slice(1) : pattern).split("/");
  let bases: string[] = [absolute ? "/" : ""];
  const join = (base: string, name: string) => (base === "" ? name : base.endsWith("/") ? base + name : `${base}/${name}`);
  let lastLiteral = true;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (!hasMagic(segment)) {
      const literal = unescape(segment);
      bases = bases.map((b) => (i === 0 ? (absolute ? `/${literal}` : literal) : `${b}/${literal}`));
      lastLiteral = true;
      continue;
    }
    lastLiteral = false;
    const matcher = segmentMatcher(segment);
    const next: string[] = [];
    for (const base of bases) {
      for (const name of readDir(resolve(base))) {
        if (!matcher(name)) continue;
        const full = join(base, name);
        if (!last && !isDirectory(resolve(full))) continue;
        next.push(full);
      }
    }
    bases = next;
    if (bases.length === 0) return [];
  }
  if (lastLiteral) {
    const exists = options.exists ?? ((p: string) => lstatExists(resolve(p)));
    return bases.filter((b) => exists(b));
  }
  return bases;
}

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z", digit: "0-9", alnum: "a-zA-Z0-9", upper: "A-Z", lower: "a-z", space: " \\t\\n\\r\\f\\v",
  xdigit: "0-9a-fA-F", punct: "!-\\/:-@\\[-`{-~", blank: " \\t", cntrl: "\\x00-\\x1f\\x7f", print: " -~", graph: "!-~",
};

const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const escapeInClass = (c: string) => c.replace(/[\\\][^-]/g, "\\$&");

/** fnmatch(pattern, name, FNM_PERIOD) for one segment. */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let re = "^";
  let i = 0;
  while (i < segment.length) {
    const c = segment[i];
    if (c === "\\" && i + 1 < segment.length) {
      re += escapeRe(segment[i + 1]);
      i += 2;
    } else if (c === "*") {
      re += "[\\s\\S]*";
      i++;
    } else if (c === "?") {
      re += "[\\s\\S]";
      i++;
    } else if (c === "[") {
      const parsed = bracket(segment, i);
      if (parsed) {
        re += parsed.re;
        i = parsed.end;
      } else {
        re += "\\[";
        i++;
      }
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`${re}$`, "u");
  } catch {
    return () => false;
  }
  const explicitDot = segment[0] === "." || (segment[0] === "\\" && segment[1] === ".");
  return (name) => (name[0] !== "." || explicitDot) && regex.test(name);
}

function bracket(s: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (s[i] === "!" || s[i] === "^") {
    negated = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < s.length) {
    const c = s[i];
    if (c === "]" && !first) return { re: `[${negated ? "^" : ""}${body}]`, end: i + 1 };
    first = false;
    if (c === "[" && s[i + 1] === ":") {
      const close = s.indexOf(":]", i + 2);
      const name = close > 0 ? s.slice(i + 2, close) : "";
      if (close > 0 && CLASSES[name]) {
        body += CLASSES[name];
        i = close + 2;
        continue;
      }
    }
    let ch = c;
    if (c === "\\" && i + 1 < s.length) ch = s[++i];
    if (s[i + 1] === "-" && i + 2 < s.length && s[i + 2] !== "]") {
      let hi = s[i + 2];
      let skip = 3;
      if (hi === "\\" && i + 3 < s.length) {
        hi = s[i + 3];
        skip = 4;
      }
      if (hi >= ch) body += `${escapeInClass(ch)}-${escapeInClass(hi)}`;
      i += skip;
      continue;
    }
    body += escapeInClass(ch);
    i++;
  }
  return undefined;
}
