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
  // No push(...list): a glob may match 100k paths, more than a call's argument limit.
  for (const leaf of expandBraces(pattern)) for (const m of sortBytes(matchLeaf(leaf, options))) out.push(m);
  return out;
}

function sortBytes(list: string[]): string[] {
  const keyed = list.map((s) => ({ s, b: Buffer.from(s) }));
  keyed.sort((a, b) => Buffer.compare(a.b, b.b));
  return keyed.map((k) => k.s);
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

/** At most this many brace alternatives of one include pattern are matched (glob(3) has no limit; no real config comes near). */
export const MAX_BRACE_PATTERNS = 4096;

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
    for (const e of expandBraces(prefix + p.slice(start, next) + suffix)) out.push(e);
    // `{a,b}` twenty times is a million patterns: stop at MAX_BRACE_PATTERNS (docs/limits.md).
    if (out.length >= MAX_BRACE_PATTERNS) {
      out.length = MAX_BRACE_PATTERNS;
      break;
    }
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

/** POSIX classes inside brackets, as code-point tests (the C locale lighttpd runs in). */
const CLASSES: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  punct: (c) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  print: (c) => c >= 32 && c <= 126,
  graph: (c) => c >= 33 && c <= 126,
};

/** One element of a compiled segment pattern. */
export type Token = { kind: "char"; c: number } | { kind: "any" } | { kind: "star" } | { kind: "set"; negated: boolean; test: (c: number) => boolean };

/** Code points, so that `?` matches one character as fnmatch does in a UTF-8 locale. */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** A segment pattern as tokens (never a RegExp: a glob from a config must not backtrack). */
export function compileSegment(segment: string): Token[] {
  const p = codePoints(segment);
  const tokens: Token[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === 0x5c /* \ */ && i + 1 < p.length) {
      tokens.push({ kind: "char", c: p[i + 1] });
      i += 2;
    } else if (c === 0x2a /* * */) {
      // Consecutive stars are one star: keeps the matcher's work at O(pattern × name).
      if (tokens[tokens.length - 1]?.kind !== "star") tokens.push({ kind: "star" });
      i++;
    } else if (c === 0x3f /* ? */) {
      tokens.push({ kind: "any" });
      i++;
    } else if (c === 0x5b /* [ */) {
      const parsed = bracket(p, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        tokens.push({ kind: "char", c });
        i++;
      }
    } else {
      tokens.push({ kind: "char", c });
      i++;
    }
  }
  return tokens;
}

function tokenMatches(t: Token, c: number): boolean {
  switch (t.kind) {
    case "char":
      return t.c === c;
    case "any":
      return true;
    case "set":
      return t.test(c) !== t.negated;
    case "star":
      return false;
  }
}

/**
 * Iterative wildcard matching with one remembered star (the classic two-pointer algorithm): when a
 * later part fails, only the last star takes one more character, so the work is at most
 * O(pattern length × name length), never exponential like a backtracking RegExp.
 */
export function matchTokens(tokens: Token[], name: number[]): boolean {
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < name.length) {
    if (t < tokens.length && tokens[t].kind === "star") {
      starT = t++;
      starN = n;
    } else if (t < tokens.length && tokenMatches(tokens[t], name[n])) {
      t++;
      n++;
    } else if (starT >= 0) {
      t = starT + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t].kind === "star") t++;
  return t === tokens.length;
}

/** fnmatch(pattern, name, FNM_PERIOD) for one segment. */
export function segmentMatcher(segment: string): (name: string) => boolean {
  const tokens = compileSegment(segment);
  const explicitDot = segment[0] === "." || (segment[0] === "\\" && segment[1] === ".");
  return (name) => (name[0] !== "." || explicitDot) && matchTokens(tokens, codePoints(name));
}

function bracket(p: number[], start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (p[i] === 0x21 /* ! */ || p[i] === 0x5e /* ^ */) {
    negated = true;
    i++;
  }
  const tests: ((c: number) => boolean)[] = [];
  let first = true;
  while (i < p.length) {
    const c = p[i];
    if (c === 0x5d /* ] */ && !first) {
      return { token: { kind: "set", negated, test: (x) => tests.some((f) => f(x)) }, end: i + 1 };
    }
    first = false;
    if (c === 0x5b && p[i + 1] === 0x3a /* [: */) {
      let close = -1;
      for (let j = i + 2; j + 1 < p.length; j++)
        if (p[j] === 0x3a && p[j + 1] === 0x5d) {
          close = j;
          break;
        }
      const name = close > 0 ? String.fromCodePoint(...p.slice(i + 2, close)) : "";
      if (close > 0 && CLASSES[name]) {
        tests.push(CLASSES[name]);
        i = close + 2;
        continue;
      }
    }
    let ch = c;
    if (c === 0x5c && i + 1 < p.length) ch = p[++i];
    if (p[i + 1] === 0x2d /* - */ && i + 2 < p.length && p[i + 2] !== 0x5d) {
      let hi = p[i + 2];
      let skip = 3;
      if (hi === 0x5c && i + 3 < p.length) {
        hi = p[i + 3];
        skip = 4;
      }
      const lo = ch;
      if (hi >= lo) tests.push((x) => x >= lo && x <= hi);
      i += skip;
      continue;
    }
    const one = ch;
    tests.push((x) => x === one);
    i++;
  }
  return undefined;
}
