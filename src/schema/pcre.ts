/**
 * A small PCRE2 (10.42, as in Debian 12's lighttpd 1.4.69) syntax checker.
 *
 * lighttpd compiles condition regexes (`=~`, `!~`) and the keys of url.rewrite-* / url.redirect with
 * pcre2_compile(PCRE2_UTF). JavaScript's RegExp is a different dialect, so the pattern is scanned
 * here: PCRE2-only syntax is translated (possessive quantifiers, atomic groups, inline flags, \A \z
 * \Z \Q..\E, POSIX classes, named groups (?P<n>...), ...), PCRE2-only errors are found directly
 * (unknown escapes like \i, \u, invalid ranges like [\w-.], references to missing groups, lookbehind
 * that is not fixed length, ...), and what is left is compiled with `new RegExp()`.
 * Anything this checker cannot judge (recursion, conditionals, verbs, extended mode, unknown \p
 * names) makes the result "valid": a false alarm costs more than a missed one.
 */

export interface PcreResult {
  valid: boolean;
  /** PCRE2-style message for an invalid pattern. */
  message?: string;
  /** Offset in the pattern where the problem was found (when known). */
  offset?: number;
  /** Number of capturing groups (PCRE2_INFO_CAPTURECOUNT), when known. */
  captures?: number;
  /** True when the pattern used syntax this checker does not fully model. */
  unsure?: boolean;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "a-zA-Z0-9",
  alpha: "a-zA-Z",
  ascii: "\\x00-\\x7f",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "\\x21-\\x7e",
  lower: "a-z",
  print: "\\x20-\\x7e",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\s",
  upper: "A-Z",
  word: "\\w",
  xdigit: "0-9a-fA-F",
};

/** Escapes PCRE2 knows outside a class, translated to JavaScript. */
const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\\x07",
  e: "\\x1b",
  f: "\\f",
  n: "\\n",
  r: "\\r",
  t: "\\t",
  d: "\\d",
  D: "\\D",
  s: "\\s",
  S: "\\S",
  w: "\\w",
  W: "\\W",
  b: "\\b",
  B: "\\B",
  h: "[ \\t\\xa0]",
  H: "[^ \\t\\xa0]",
  v: "[\\n\\v\\f\\r\\x85]",
  V: "[^\\n\\v\\f\\r\\x85]",
  N: "[^\\n]",
  R: "(?:\\r\\n|[\\n\\v\\f\\r\\x85])",
  X: "[^]",
  C: "[^]",
  A: "^",
  z: "$",
  Z: "(?=\\n?$)",
  G: "",
  K: "",
};
const CLASS_ESCAPES = new Set(["d", "D", "s", "S", "w", "W", "h", "H", "v", "V", "p", "P"]);
const UNSUPPORTED_ESCAPES = new Set(["F", "L", "l", "U", "u"]);
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}/;
const INLINE_FLAGS = new Set(["i", "m", "n", "s", "x", "J", "U", "^"]);
const ASSERTION_VERBS = new Set([
  "pla",
  "plb",
  "nla",
  "nlb",
  "napla",
  "naplb",
  "atomic",
  "sr",
  "asr",
  "positive_lookahead",
  "positive_lookbehind",
  "negative_lookahead",
  "negative_lookbehind",
  "non_atomic_positive_lookahead",
  "non_atomic_positive_lookbehind",
  "atomic",
  "script_run",
  "atomic_script_run",
]);

class PcreError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Group {
  start: number;
  lookbehind: boolean;
}

/** What the scanner learned about the pattern. */
interface Scan {
  js: string;
  captures: number;
  names: Set<string>;
  numberRefs: { n: number; offset: number }[];
  nameRefs: { name: string; offset: number }[];
  lookbehinds: { start: number; end: number }[];
  unsure: boolean;
  /** Extended mode (x) changes tokenization: stop judging. */
  extended: boolean;
}

const checked = new Map<string, PcreResult>();

/** Checks a pattern as PCRE2 would compile it. Results are cached: configs repeat patterns, editors re-lint. */
export function checkPcre(pattern: string): PcreResult {
  let result = checked.get(pattern);
  if (!result) {
    result = checkPcreUncached(pattern);
    if (checked.size > 50_000) checked.clear();
    checked.set(pattern, result);
  }
  return result;
}

/**
 * PCRE2's parens_nest_limit (default 250, pcre2_compile.c: "parentheses are too deeply nested",
 * error 119). Measured iteratively before anything that recurses over groups (fixedWidth, V8's
 * RegExp parser), so 10,000 nested lookbehinds are an answer, not a stack overflow.
 */
export const PARENS_NEST_LIMIT = 250;

/** The deepest parenthesis nesting, or undefined when syntax that hides parentheses (\Q..\E, comments, extended mode) makes the count unsure. */
export function parenDepth(p: string): number | undefined {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      if (p[i + 1] === "Q") return undefined;
      i++;
    } else if (c === "[") {
      i = classEnd(p, i);
    } else if (c === "(") {
      if (p[i + 1] === "?" && (p[i + 2] === "#" || /^\?[a-zA-Z^-]*x/.test(p.slice(i + 1, i + 12)))) return undefined;
      if (p[i + 1] === "*") return undefined; // (*VERB) and (*flag) settings
      depth++;
      if (depth > max) max = depth;
    } else if (c === ")") {
      if (depth > 0) depth--;
    }
  }
  return max;
}

/** Where the character class opened at `open` ends: its `]` (p.length when none). A `]` first (after an optional ^) is literal; [:name:] inside. */
function classEnd(p: string, open: number): number {
  let j = open + 1;
  if (p[j] === "^") j++;
  if (p[j] === "]") j++;
  for (; j < p.length && p[j] !== "]"; j++) {
    if (p[j] === "\\") j++;
    else if (p[j] === "[" && p[j + 1] === ":") {
      const close = p.indexOf(":]", j + 2);
      if (close > 0) j = close + 1;
    }
  }
  return j;
}

/**
 * Whether a pattern surely has at least `n` capturing groups, read without checkPcre (a lower
 * bound: a rule that only needs "enough groups" skips the cache lookup for each of 80,000 rewrite
 * patterns). Only plain `(` outside classes and escapes count; anything that could hide a `(` or
 * number groups otherwise (\Q..\E, \c, `#`, `(?` other than `(?:`, `(*`) answers false, and so
 * does a pattern with fewer groups. For a pattern PCRE2 rejects the answer means nothing.
 */
export function capturesAtLeast(p: string, n: number): boolean {
  if (n <= 0) return true;
  if (p.includes("\\Q") || p.includes("\\c") || p.includes("#")) return false;
  let count = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(p, i);
    else if (c === "(") {
      const next = p[i + 1];
      if (next === "*" || (next === "?" && p[i + 2] !== ":")) return false;
      if (next !== "?" && ++count >= n) return true;
    }
  }
  return false;
}

function checkPcreUncached(pattern: string): PcreResult {
  const depth = parenDepth(pattern);
  if (depth === undefined) {
    // Cannot count the nesting: judge only what does not recurse over it.
    if (pattern.length > 2_000) return { valid: true, unsure: true };
  } else if (depth > PARENS_NEST_LIMIT) {
    return { valid: false, message: "parentheses are too deeply nested" };
  }
  let scan: Scan;
  try {
    scan = scanPattern(pattern);
  } catch (e) {
    if (e instanceof PcreError) return { valid: false, message: e.message, offset: e.offset };
    throw e;
  }
  if (scan.extended) return { valid: true, unsure: true };
  const captures = scan.unsure ? undefined : scan.captures;
  for (const ref of scan.numberRefs) {
    if (ref.n > scan.captures && !scan.unsure) return { valid: false, message: "reference to non-existent subpattern", offset: ref.offset, captures };
  }
  for (const ref of scan.nameRefs) {
    if (!scan.names.has(ref.name) && !scan.unsure) return { valid: false, message: "reference to non-existent subpattern", offset: ref.offset, captures };
  }
  for (const lb of scan.lookbehinds) {
    const fixed = lookbehindIsFixed(pattern.slice(lb.start, lb.end));
    if (fixed === false) return { valid: false, message: "lookbehind assertion is not fixed length", offset: lb.start - 4, captures };
  }
  try {
    new RegExp(scan.js);
  } catch (e) {
    if (scan.unsure) return { valid: true, unsure: true };
    return { valid: false, message: jsMessage(e), captures };
  }
  return { valid: true, captures, unsure: scan.unsure || undefined };
}

function jsMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // "Invalid regular expression: /x/: Nothing to repeat" → "nothing to repeat"
  const tail = m.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
  return tail.charAt(0).toLowerCase() + tail.slice(1);
}

function scanPattern(p: string): Scan {
  const s: Scan = { js: "", captures: 0, names: new Set(), numberRefs: [], nameRefs: [], lookbehinds: [], unsure: false, extended: false };
  const groups: Group[] = [];
  let i = 0;
  /** Whether the last item can take a quantifier, and whether it already has one. */
  let repeatable = false;
  let quantified = false;

  const literal = (ch: string) => {
    s.js += /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : ch;
  };

  while (i < p.length) {
    const c = p[i];
    if (c === "\\") {
      const r = scanEscape(p, i, s);
      i = r.next;
      repeatable = r.repeatable;
      quantified = false;
      continue;
    }
    if (c === "[") {
      if (/^\[([:.=])\^?[A-Za-z]*\1\]/.test(p.slice(i))) throw new PcreError("POSIX named classes are supported only within a class", i);
      i = scanClass(p, i);
      s.js += "[a]";
      repeatable = true;
      quantified = false;
      continue;
    }
    if (c === "(") {
      const r = scanGroupOpen(p, i, s, groups);
      if (s.extended) return s;
      // PCRE2's default PARENS_NEST_LIMIT (parse_regex: ++nest_depth > parens_nest_limit).
      if (groups.length > PARENS_NEST_LIMIT) throw new PcreError("parentheses are too deeply nested", r.next);
      i = r.next;
      repeatable = r.repeatable;
      quantified = false;
      continue;
    }
    if (c === ")") {
      const g = groups.pop();
      if (!g) throw new PcreError("unmatched closing parenthesis", i);
      if (g.lookbehind) s.lookbehinds.push({ start: g.start, end: i });
      s.js += ")";
      i++;
      repeatable = true;
      quantified = false;
      continue;
    }
    const q = readQuantifier(p, i);
    if (q) {
      if (!repeatable && !quantified) throw new PcreError("quantifier does not follow a repeatable item", i);
      if (quantified) throw new PcreError("quantifier does not follow a repeatable item", i);
      if (q.min !== undefined && q.max !== undefined && q.min > q.max) throw new PcreError("numbers out of order in {} quantifier", q.end - 1);
      if ((q.min ?? 0) > 65535 || (q.max ?? 0) > 65535) throw new PcreError("number too big in {} quantifier", q.end - 1);
      s.js += p.slice(i, q.end);
      i = q.end;
      // lazy `?` or possessive `+` (translated away: JavaScript has no possessive quantifiers)
      if (p[i] === "?") {
        s.js += "?";
        i++;
      } else if (p[i] === "+") {
        i++;
      }
      quantified = true;
      repeatable = false;
      continue;
    }
    if (c === "|") {
      s.js += "|";
      repeatable = false;
    } else if (c === "^" || c === "$") {
      s.js += c;
      repeatable = false;
    } else if (c === ".") {
      s.js += ".";
      repeatable = true;
    } else {
      literal(c);
      repeatable = true;
    }
    quantified = false;
    i++;
  }
  if (groups.length > 0) throw new PcreError("missing closing parenthesis", p.length);
  return s;
}

interface Quantifier {
  end: number;
  min?: number;
  max?: number;
}

/** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (PCRE2 10.42: anything else starting with `{` is literal). */
function readQuantifier(p: string, i: number): Quantifier | undefined {
  const c = p[i];
  if (c === "*" || c === "+" || c === "?") return { end: i + 1 };
  if (c !== "{") return undefined;
  const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(p.slice(i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === "" ? undefined : Number(m[3]);
  return { end: i + m[0].length, min, max };
}

function scanEscape(p: string, i: number, s: Scan): { next: number; repeatable: boolean } {
  const e = p[i + 1];
  if (e === undefined) throw new PcreError("\\ at end of pattern", i + 1);
  if (e === "Q") {
    const end = p.indexOf("\\E", i + 2);
    const text = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
    for (const ch of text) s.js += /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
    return { next: end < 0 ? p.length : end + 2, repeatable: text.length > 0 };
  }
  if (e === "E") return { next: i + 2, repeatable: false };
  if (/[1-9]/.test(e)) {
    const digits = /^\d+/.exec(p.slice(i + 1))![0];
    const n = Number(digits);
    if (n < 10 || !/^[0-7]+$/.test(digits)) {
      s.numberRefs.push({ n, offset: i + 1 + digits.length });
      s.js += "(?:)";
      return { next: i + 1 + digits.length, repeatable: true };
    }
    // \10 and above: a back reference if that many groups exist, else an octal escape
    s.unsure = true;
    s.js += "[a]";
    return { next: i + 1 + digits.length, repeatable: true };
  }
  if (e === "0") {
    const m = /^0[0-7]{0,2}/.exec(p.slice(i + 1))!;
    s.js += "[a]";
    return { next: i + 1 + m[0].length, repeatable: true };
  }
  if (e === "g") return scanGReference(p, i, s);
  if (e === "k") {
    const m = /^k(?:<([^>]*)>|'([^']*)'|\{([^}]*)\})/.exec(p.slice(i + 1));
    if (!m) throw new PcreError("\\k is not followed by a braced, angle-bracketed, or quoted name", i + 2);
    s.nameRefs.push({ name: m[1] ?? m[2] ?? m[3], offset: i + 1 + m[0].length - 1 });
    s.js += "(?:)";
    return { next: i + 1 + m[0].length, repeatable: true };
  }
  if (e === "c") {
    const x = p[i + 2];
    if (x === undefined) throw new PcreError("\\c at end of pattern", i + 2);
    if (x.charCodeAt(0) < 32 || x.charCodeAt(0) > 126) throw new PcreError("\\c must be followed by a printable ASCII character", i + 2);
    s.js += "[a]";
    return { next: i + 3, repeatable: true };
  }
  if (e === "x") {
    if (p[i + 2] === "{") {
      const m = /^\{([0-9a-fA-F]+)\}/.exec(p.slice(i + 2));
      if (!m) throw new PcreError("\\x{ is not followed by hexadecimal digits and }", i + 3);
      if (parseInt(m[1], 16) > 0x10ffff) throw new PcreError("character code point value in \\x{} or \\o{} is too large", i + 2 + m[0].length - 1);
      s.js += "[a]";
      return { next: i + 2 + m[0].length, repeatable: true };
    }
    const m = /^[0-9a-fA-F]{0,2}/.exec(p.slice(i + 2))!;
    s.js += "[a]";
    return { next: i + 2 + m[0].length, repeatable: true };
  }
  if (e === "o") {
    const m = /^\{([0-7]+)\}/.exec(p.slice(i + 2));
    if (!m) throw new PcreError("missing opening brace after \\o", i + 2);
    s.js += "[a]";
    return { next: i + 2 + m[0].length, repeatable: true };
  }
  if (e === "p" || e === "P") {
    const m = /^(?:\{\^?[A-Za-z0-9_& -]+\}|[A-Za-z])/.exec(p.slice(i + 2));
    if (!m) throw new PcreError("malformed \\P or \\p sequence", i + 2);
    s.unsure = true; // property names are not all modelled
    s.js += "[a]";
    return { next: i + 2 + m[0].length, repeatable: true };
  }
  if (e === "N" && /^\{U\+[0-9a-fA-F]+\}/.test(p.slice(i + 2))) {
    s.js += "[a]"; // \N{U+hh} is allowed in UTF mode
    return { next: i + 2 + /^\{[^}]*\}/.exec(p.slice(i + 2))![0].length, repeatable: true };
  }
  if (e === "N" && p[i + 2] === "{") throw new PcreError("PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u", i + 2);
  if (UNSUPPORTED_ESCAPES.has(e)) throw new PcreError("PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u", i + 2);
  if (e in SIMPLE_ESCAPES) {
    s.js += SIMPLE_ESCAPES[e];
    const assertion = "bBAzZGK".includes(e);
    return { next: i + 2, repeatable: !assertion };
  }
  if (/[A-Za-z]/.test(e)) throw new PcreError("unrecognized character follows \\", i + 1);
  // any other escaped character is that character
  s.js += /[\\^$.*+?()[\]{}|/]/.test(e) ? `\\${e}` : e === "\n" ? "\\n" : e;
  return { next: i + 2, repeatable: true };
}

/** \g1 \g-1 \g{1} \g{-1} \g{name} (back references) and \g<...> \g'...' (subroutine calls). */
function scanGReference(p: string, i: number, s: Scan): { next: number; repeatable: boolean } {
  const rest = p.slice(i + 2);
  let m = /^(?:\{(-?\d+)\}|(-?\d+))/.exec(rest);
  if (m) {
    const n = Number(m[1] ?? m[2]);
    if (n === 0) throw new PcreError("a numbered reference must not be zero", i + 2 + m[0].length);
    if (n > 0) s.numberRefs.push({ n, offset: i + 2 + m[0].length - 1 });
    else s.unsure = true; // relative reference
    s.js += "(?:)";
    return { next: i + 2 + m[0].length, repeatable: true };
  }
  m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest);
  if (m) {
    s.nameRefs.push({ name: m[1], offset: i + 2 + m[0].length - 1 });
    s.js += "(?:)";
    return { next: i + 2 + m[0].length, repeatable: true };
  }
  m = /^(?:<[^>]*>|'[^']*')/.exec(rest);
  if (m) {
    s.unsure = true; // subroutine call
    s.js += "(?:)";
    return { next: i + 2 + m[0].length, repeatable: true };
  }
  throw new PcreError("a \\g value must be a number or a name", i + 2);
}

function scanGroupOpen(p: string, i: number, s: Scan, groups: Group[]): { next: number; repeatable: boolean } {
  const rest = p.slice(i + 1);
  const open = (js: string, len: number, lookbehind = false) => {
    groups.push({ start: i + len, lookbehind });
    s.js += js;
    return { next: i + len, repeatable: false };
  };
  if (rest.startsWith("*")) {
    // (*VERB), (*VERB:arg), (*pla:...) and friends
    const m = /^\*([A-Za-z_]*)(:?)/.exec(rest)!;
    s.unsure = true;
    if (ASSERTION_VERBS.has(m[1].toLowerCase()) && m[2] === ":") return open("(?:", 1 + m[0].length);
    const end = p.indexOf(")", i);
    if (end < 0) throw new PcreError("missing closing parenthesis", p.length);
    return { next: end + 1, repeatable: false };
  }
  if (!rest.startsWith("?")) {
    s.captures++;
    return open("(", 1);
  }
  const q = rest.slice(1);
  if (q.startsWith("#")) {
    const end = p.indexOf(")", i);
    if (end < 0) throw new PcreError("missing ) after (?# comment", p.length);
    return { next: end + 1, repeatable: false };
  }
  if (q.startsWith(":")) return open("(?:", 3);
  if (q.startsWith(">")) return open("(?:", 3);
  if (q.startsWith("|")) {
    s.unsure = true; // branch reset renumbers groups
    return open("(?:", 3);
  }
  if (q.startsWith("=") || q.startsWith("!")) return open(`(?${q[0]}`, 3);
  if (q.startsWith("<=") || q.startsWith("<!")) return open(`(?${q.slice(0, 2)}`, 4, true);
  const named = /^(?:P?<([^>]*)>|'([^']*)')/.exec(q);
  if (named) {
    const name = named[1] ?? named[2];
    const ok = GROUP_NAME.exec(name);
    if (!ok || ok[0].length !== name.length) throw new PcreError(name.length > 32 ? "subpattern name is too long (maximum 32 code units)" : "subpattern name expected", i + 3);
    if (s.names.has(name) && !s.unsure) throw new PcreError("two named subpatterns have the same name (PCRE2_DUPNAMES not set)", i + 2 + named[0].length);
    s.names.add(name);
    s.captures++;
    return open("(", 2 + named[0].length);
  }
  const pref = /^P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(q);
  if (pref) {
    s.nameRefs.push({ name: pref[1], offset: i + 2 + pref[0].length - 1 });
    s.js += "(?:)";
    return { next: i + 2 + pref[0].length, repeatable: true };
  }
  // recursion and subroutine calls: (?R) (?1) (?+1) (?-1) (?&name) (?P>name)
  const call = /^(?:R|[+-]?\d+|&[A-Za-z_][A-Za-z0-9_]*|P>[A-Za-z_][A-Za-z0-9_]*)\)/.exec(q);
  if (call) {
    s.unsure = true;
    s.js += "(?:)";
    return { next: i + 2 + call[0].length, repeatable: true };
  }
  if (q.startsWith("(") || q.startsWith("C")) {
    // conditional group or callout
    s.unsure = true;
    if (q.startsWith("C")) {
      const end = p.indexOf(")", i);
      if (end < 0) throw new PcreError("missing closing parenthesis", p.length);
      return { next: end + 1, repeatable: false };
    }
    const end = p.indexOf(")", i + 3);
    if (end < 0) throw new PcreError("missing closing parenthesis", p.length);
    groups.push({ start: end + 1, lookbehind: false });
    s.js += "(?:";
    return { next: end + 1, repeatable: false };
  }
  // inline option setting: (?i) (?i-m) (?^i) (?i:...)
  const flags = /^([A-Za-z^]*)(?:-([A-Za-z]*))?([:)])/.exec(q);
  if (flags) {
    const letters = (flags[1] + (flags[2] ?? "")).split("");
    for (let k = 0; k < letters.length; k++) {
      if (!INLINE_FLAGS.has(letters[k])) throw new PcreError("unrecognized character after (? or (?-", i + 2 + q.indexOf(letters[k]));
    }
    if (flags[1].includes("x")) {
      s.extended = true;
      return { next: p.length, repeatable: false };
    }
    if (letters.includes("n") || letters.includes("J")) s.unsure = true;
    const len = 2 + flags[0].length;
    if (flags[3] === ":") return open("(?:", len);
    return { next: i + len, repeatable: false };
  }
  if (q.length === 0) throw new PcreError("missing closing parenthesis", p.length);
  throw new PcreError("unrecognized character after (? or (?-", i + 2);
}

/** Scans a character class from its `[`; returns the offset after its `]`. Throws PCRE2's errors. */
function scanClass(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === "^") i++;
  let first = true; // a `]` right at the start is a literal
  while (i < p.length) {
    if (p[i] === "]" && !first) return i + 1;
    first = false;
    if (p.startsWith("\\Q", i)) {
      const end = p.indexOf("\\E", i + 2);
      if (end < 0) throw new PcreError("missing terminating ] for character class", p.length);
      i = end + 2;
      continue;
    }
    if (p.startsWith("\\E", i)) {
      i += 2;
      continue;
    }
    const a = readClassAtom(p, i);
    const dash = a.next;
    const rangeEnd = p[dash] === "-" && p[dash + 1] !== undefined && p[dash + 1] !== "]";
    if (!rangeEnd) {
      i = a.next;
      continue;
    }
    if (a.code === "class") throw new PcreError("invalid range in character class", dash);
    const b = readClassAtom(p, dash + 1);
    if (b.code === "class") throw new PcreError("invalid range in character class", b.next - 1);
    if (b.code < a.code) throw new PcreError("range out of order in character class", b.next - 1);
    i = b.next;
  }
  throw new PcreError("missing terminating ] for character class", p.length);
}

/** One member of a class: a character (its code point) or a class escape / POSIX class ("class"). */
function readClassAtom(p: string, i: number): { code: number | "class"; next: number } {
  const c = p[i];
  if (c === "[") {
    const posix = /^\[([:.=])(\^?)([A-Za-z]*)\1\]/.exec(p.slice(i));
    if (posix) {
      if (posix[1] !== ":") throw new PcreError("POSIX collating elements are not supported", i);
      if (!(posix[3] in POSIX_CLASSES)) throw new PcreError("unknown POSIX class name", i + 2);
      return { code: "class", next: i + posix[0].length };
    }
  }
  if (c !== "\\") {
    const code = p.codePointAt(i)!;
    return { code, next: i + (code > 0xffff ? 2 : 1) };
  }
  const e = p[i + 1];
  if (e === undefined) throw new PcreError("\\ at end of pattern", i + 1);
  if (CLASS_ESCAPES.has(e)) {
    if (e === "p" || e === "P") {
      const m = /^(?:\{\^?[A-Za-z0-9_& -]+\}|[A-Za-z])/.exec(p.slice(i + 2));
      if (!m) throw new PcreError("malformed \\P or \\p sequence", i + 2);
      return { code: "class", next: i + 2 + m[0].length };
    }
    return { code: "class", next: i + 2 };
  }
  if (e === "x") {
    const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{0,2}))/.exec(p.slice(i + 2))!;
    return { code: parseInt(m[1] ?? m[2] ?? "0", 16) || 0, next: i + 2 + m[0].length };
  }
  if (/[0-7]/.test(e)) {
    const m = /^[0-7]{1,3}/.exec(p.slice(i + 1))!;
    return { code: parseInt(m[0], 8), next: i + 1 + m[0].length };
  }
  if (e === "o") {
    const m = /^\{([0-7]+)\}/.exec(p.slice(i + 2));
    if (!m) throw new PcreError("missing opening brace after \\o", i + 2);
    return { code: parseInt(m[1], 8), next: i + 2 + m[0].length };
  }
  if (e === "c") {
    const x = p[i + 2];
    if (x === undefined) throw new PcreError("\\c at end of pattern", i + 2);
    return { code: x.toUpperCase().charCodeAt(0) ^ 0x40, next: i + 3 };
  }
  if (UNSUPPORTED_ESCAPES.has(e)) throw new PcreError("PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u", i + 2);
  const named: Record<string, number> = { a: 7, b: 8, e: 27, f: 12, n: 10, r: 13, t: 9 };
  if (e in named) return { code: named[e], next: i + 2 };
  if (/[A-Za-z]/.test(e)) throw new PcreError("escape sequence is invalid in character class", i + 2);
  if (/[89]/.test(e)) return { code: e.charCodeAt(0), next: i + 2 };
  const code = p.codePointAt(i + 1)!;
  return { code, next: i + 1 + (code > 0xffff ? 2 : 1) };
}

/**
 * PCRE2 10.42 requires each top-level alternative of a lookbehind to have a fixed length (nested
 * groups too). Returns false when some part is clearly variable, undefined when unsure.
 */
function lookbehindIsFixed(body: string): boolean | undefined {
  const width = fixedWidth(body, 0, true);
  if (width === "unsure") return undefined;
  return width.ok;
}

type Width = { ok: boolean; end: number; width: number } | "unsure";

/** Width of a sequence of alternatives starting at `i`, up to an unmatched `)` or the end. */
function fixedWidth(p: string, i: number, topLevel: boolean): Width {
  let width = 0;
  const branchWidths: number[] = [];
  let ok = true;
  let lastItem = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === ")") break;
    if (c === "|") {
      branchWidths.push(width);
      width = 0;
      lastItem = 0;
      i++;
      continue;
    }
    if (c === "(") {
      if (p[i + 1] === "?" && (p[i + 2] === "=" || p[i + 2] === "!" || (p[i + 2] === "<" && (p[i + 3] === "=" || p[i + 3] === "!")))) {
        const inner = fixedWidth(p, i + (p[i + 2] === "<" ? 4 : 3), false);
        if (inner === "unsure") return "unsure";
        i = inner.end + 1;
        lastItem = 0;
        continue;
      }
      const m = /^\((?:\?(?::|>|P?<[A-Za-z_][A-Za-z0-9_]*>|'[A-Za-z_][A-Za-z0-9_]*'|[imsU^-]*:))?/.exec(p.slice(i))!;
      if (p[i + 1] === "?" && m[0].length === 1) return "unsure";
      const inner = fixedWidth(p, i + m[0].length, false);
      if (inner === "unsure") return "unsure";
      if (!inner.ok) ok = false;
      width += inner.width;
      lastItem = inner.width;
      i = inner.end + 1;
    } else if (c === "\\") {
      const e = p[i + 1];
      if (e === undefined) return "unsure";
      if ("bBAzZGK".includes(e)) {
        i += 2;
        lastItem = 0;
        continue;
      }
      if (/[1-9gkRX]/.test(e) || e === "Q" || e === "x" || e === "o" || e === "p" || e === "P" || e === "c" || e === "0") return "unsure";
      width += 1;
      lastItem = 1;
      i += 2;
    } else if (c === "[") {
      try {
        i = scanClass(p, i);
      } catch {
        return "unsure";
      }
      width += 1;
      lastItem = 1;
    } else if (c === "^" || c === "$") {
      i++;
      lastItem = 0;
    } else {
      const q = readQuantifier(p, i);
      if (q) {
        if (q.min === undefined || q.max !== q.min) ok = false;
        else width += lastItem * (q.min - 1);
        i = q.end;
        if (p[i] === "?" || p[i] === "+") i++;
        continue;
      }
      const cp = p.codePointAt(i)!;
      width += 1;
      lastItem = 1;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  branchWidths.push(width);
  // Inside a nested group all alternatives must have the same length; at the top level each may differ.
  if (!topLevel && new Set(branchWidths).size > 1) ok = false;
  return { ok, end: i, width: branchWidths[0] };
}

/**
 * mod_rewrite and mod_redirect normalize their patterns like request URLs before compiling them
 * (keyvalue.c pcre_keyvalue_burl_normalize_key, on by default through server.http-parseopts
 * "url-normalize"): %xx hex digits are upper-cased and every non-ASCII byte becomes %XX.
 * So `[ä-ö]` is compiled as `[%C3%A4-%C3%B6]`.
 */
export function normalizeUrlPattern(pattern: string): string {
  // Nothing to normalize without '%' or non-ASCII (most patterns): the same string.
  if (!/[%\u0080-\uffff]/.test(pattern)) return pattern;
  const upper = pattern.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => `%${h.toUpperCase()}`);
  let out = "";
  for (const ch of upper) {
    if (ch.charCodeAt(0) <= 0x7f) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
