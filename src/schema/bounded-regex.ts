/**
 * A small PCRE-subset interpreter with a step budget, for asking "does this config pattern match
 * this short example path, and with which captures" without handing the pattern to a regex engine
 * that could run for hours (`^(a+)+$`). lighttpd-lint never runs a config pattern with RegExp.
 *
 * Understood: literals, escaped punctuation, `.`, classes (`[a-z]`, `[^/?]`, `\d \w \s` and their
 * negations), groups (capturing, `(?:...)`), `|`, the quantifiers `* + ? {n} {n,} {n,m}` and their
 * lazy forms, `^`, `$`, `\b`, and lookahead `(?=...)` / `(?!...)`. Anything else (backreferences,
 * flags, lookbehind, named groups, possessive quantifiers, `\x..`, Unicode properties) answers
 * undefined, as does running out of steps: callers treat undefined as "cannot tell".
 */

type Node =
  | { t: "char"; test: (c: string) => boolean; sample: string }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; alts: Node[] }
  | { t: "group"; index?: number; body: Node }
  | { t: "repeat"; body: Node; min: number; max: number; lazy: boolean }
  | { t: "bol" }
  | { t: "eol" }
  | { t: "wordb" }
  | { t: "look"; negate: boolean; body: Node };

interface Parsed {
  root: Node;
  groups: number;
}

class Unsupported extends Error {}

const isWord = (c: string) => /^[A-Za-z0-9_]$/.test(c);
const CLASS_ESCAPES: Record<string, (c: string) => boolean> = {
  d: (c) => c >= "0" && c <= "9",
  D: (c) => !(c >= "0" && c <= "9"),
  w: isWord,
  W: (c) => !isWord(c),
  s: (c) => /^[ \t\n\r\f\v]$/.test(c),
  S: (c) => !/^[ \t\n\r\f\v]$/.test(c),
};
const CLASS_SAMPLES: Record<string, string> = { d: "0", D: "a", w: "a", W: "-", s: " ", S: "a" };
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v" };

/** A sample character a predicate accepts, preferring the ones a URL path is made of. */
function sampleOf(test: (c: string) => boolean): string {
  for (const c of "abcxyz0123456789ABCXYZ_-./~") if (test(c)) return c;
  for (let i = 32; i < 127; i++) if (test(String.fromCharCode(i))) return String.fromCharCode(i);
  return "";
}

function parse(pattern: string): Parsed {
  let pos = 0;
  let groups = 0;
  const peek = () => pattern[pos];

  function alternation(): Node {
    const alts: Node[] = [sequence()];
    while (peek() === "|") {
      pos++;
      alts.push(sequence());
    }
    return alts.length === 1 ? alts[0] : { t: "alt", alts };
  }

  function sequence(): Node {
    const items: Node[] = [];
    while (pos < pattern.length && peek() !== "|" && peek() !== ")") {
      const atom = atomNode();
      items.push(quantified(atom));
    }
    return { t: "seq", items };
  }

  function quantified(atom: Node): Node {
    const c = peek();
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(pos));
      if (!m) throw new Unsupported("brace"); // PCRE reads a lone "{" as a literal; not worth the doubt
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      pos += m[0].length - 1;
    } else return atom;
    pos++;
    if (atom.t === "bol" || atom.t === "eol" || atom.t === "wordb" || atom.t === "look") throw new Unsupported("quantified assertion");
    let lazy = false;
    if (peek() === "?") {
      lazy = true;
      pos++;
    } else if (peek() === "+") throw new Unsupported("possessive");
    if (peek() === "*" || peek() === "+" || peek() === "?" || peek() === "{") throw new Unsupported("nested quantifier");
    return { t: "repeat", body: atom, min, max, lazy };
  }

  function atomNode(): Node {
    const c = pattern[pos++];
    switch (c) {
      case "^":
        return { t: "bol" };
      case "$":
        return { t: "eol" };
      case ".":
        return { t: "char", test: (x) => x !== "\n", sample: "a" };
      case "(":
        return group();
      case "[":
        return charClass();
      case "\\":
        return escape();
      case "*":
      case "+":
      case "?":
      case "{":
        throw new Unsupported("quantifier without atom");
      default:
        return { t: "char", test: (x) => x === c, sample: c };
    }
  }

  function group(): Node {
    let index: number | undefined;
    let look: { negate: boolean } | undefined;
    if (peek() === "?") {
      const kind = pattern[pos + 1];
      if (kind === ":") pos += 2;
      else if (kind === "=" || kind === "!") {
        look = { negate: kind === "!" };
        pos += 2;
      } else throw new Unsupported("group kind");
    } else index = ++groups;
    const body = alternation();
    if (peek() !== ")") throw new Unsupported("unclosed group");
    pos++;
    return look ? { t: "look", negate: look.negate, body } : { t: "group", index, body };
  }

  function escape(): Node {
    const e = pattern[pos++];
    if (e === undefined) throw new Unsupported("trailing backslash");
    if (e in CLASS_ESCAPES) return { t: "char", test: CLASS_ESCAPES[e], sample: CLASS_SAMPLES[e] };
    if (e === "b") return { t: "wordb" };
    if (e in SIMPLE_ESCAPES) {
      const ch = SIMPLE_ESCAPES[e];
      return { t: "char", test: (x) => x === ch, sample: ch };
    }
    if (/[A-Za-z0-9]/.test(e)) throw new Unsupported(`\\${e}`);
    return { t: "char", test: (x) => x === e, sample: e };
  }

  function charClass(): Node {
    let negate = false;
    if (peek() === "^") {
      negate = true;
      pos++;
    }
    const parts: ((c: string) => boolean)[] = [];
    let first = true;
    for (;;) {
      if (pos >= pattern.length) throw new Unsupported("unclosed class");
      let c = pattern[pos++];
      if (c === "]" && !first) break;
      first = false;
      if (c === "[" && peek() === ":") throw new Unsupported("POSIX class");
      if (c === "\\") {
        const e = pattern[pos++];
        if (e === undefined) throw new Unsupported("trailing backslash");
        if (e in CLASS_ESCAPES) {
          parts.push(CLASS_ESCAPES[e]);
          continue;
        }
        if (e in SIMPLE_ESCAPES) c = SIMPLE_ESCAPES[e];
        else if (/[A-Za-z0-9]/.test(e)) throw new Unsupported(`\\${e} in class`);
        else c = e;
      }
      if (peek() === "-" && pattern[pos + 1] !== undefined && pattern[pos + 1] !== "]") {
        const hi = pattern[pos + 1];
        if (hi === "\\" || hi === "[") throw new Unsupported("range end");
        pos += 2;
        const lo = c;
        if (hi < lo) throw new Unsupported("bad range");
        parts.push((x) => x >= lo && x <= hi);
        continue;
      }
      const ch = c;
      parts.push((x) => x === ch);
    }
    const inClass = (x: string) => parts.some((p) => p(x));
    const test = negate ? (x: string) => !inClass(x) && x !== "\n" : inClass;
    return { t: "char", test, sample: sampleOf(test) };
  }

  const root = alternation();
  if (pos !== pattern.length) throw new Unsupported("unbalanced )");
  return { root, groups };
}

class OutOfSteps extends Error {}

/** A match: the captures by number (0 is the whole match; undefined for a group that did not take part). */
export interface BoundedMatch {
  groups: (string | undefined)[];
}

const parsedCache = new Map<string, Parsed | null>();
/** Patterns that once ran out of steps: they answer undefined from then on, so a config full of them costs one budget each. */
const exhausted = new Set<string>();

function parsed(pattern: string): Parsed | undefined {
  let p = parsedCache.get(pattern);
  if (p === undefined) {
    try {
      p = parse(pattern);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      p = null;
    }
    if (parsedCache.size > 1000) parsedCache.clear();
    parsedCache.set(pattern, p);
  }
  return p ?? undefined;
}

/**
 * PCRE's search: the leftmost match, alternatives and quantifiers tried in PCRE's order (greedy
 * first, lazy last). null: no match; undefined: outside the subset, or more than `budget` steps.
 */
export function boundedMatch(pattern: string, input: string, budget = 20_000): BoundedMatch | null | undefined {
  const p = parsed(pattern);
  if (!p || input.length > 1000 || exhausted.has(pattern)) return undefined;
  let steps = 0;
  const caps: (number | undefined)[] = new Array<number | undefined>(2 * (p.groups + 1)).fill(undefined);
  const step = () => {
    if (++steps > budget) throw new OutOfSteps();
  };

  function m(node: Node, i: number, k: (j: number) => boolean): boolean {
    step();
    switch (node.t) {
      case "char":
        return i < input.length && node.test(input[i]) && k(i + 1);
      case "seq":
        return seq(node.items, 0, i, k);
      case "alt":
        for (const a of node.alts) if (m(a, i, k)) return true;
        return false;
      case "group": {
        if (node.index === undefined) return m(node.body, i, k);
        const s = 2 * node.index;
        const old0 = caps[s];
        const old1 = caps[s + 1];
        const ok = m(node.body, i, (j) => {
          const b0 = caps[s];
          const b1 = caps[s + 1];
          caps[s] = i;
          caps[s + 1] = j;
          if (k(j)) return true;
          caps[s] = b0;
          caps[s + 1] = b1;
          return false;
        });
        if (!ok) {
          caps[s] = old0;
          caps[s + 1] = old1;
        }
        return ok;
      }
      case "repeat":
        return rep(node, i, 0, k);
      case "bol":
        return i === 0 && k(i);
      case "eol":
        return (i === input.length || (i === input.length - 1 && input[i] === "\n")) && k(i);
      case "wordb": {
        const before = i > 0 && isWord(input[i - 1]);
        const after = i < input.length && isWord(input[i]);
        return before !== after && k(i);
      }
      case "look": {
        const saved = caps.slice();
        const found = m(node.body, i, () => true);
        if (node.negate) {
          caps.splice(0, caps.length, ...saved);
          return !found && k(i);
        }
        if (!found) return false;
        if (k(i)) return true;
        caps.splice(0, caps.length, ...saved);
        return false;
      }
    }
  }

  function seq(items: Node[], at: number, i: number, k: (j: number) => boolean): boolean {
    if (at === items.length) return k(i);
    return m(items[at], i, (j) => seq(items, at + 1, j, k));
  }

  function rep(node: Extract<Node, { t: "repeat" }>, i: number, count: number, k: (j: number) => boolean): boolean {
    step();
    const more = () => count < node.max && m(node.body, i, (j) => (j === i && count >= node.min ? false : rep(node, j, count + 1, k)));
    const done = () => count >= node.min && k(i);
    // Once the minimum is reached, an iteration that consumes nothing ends the loop (as in PCRE).
    return node.lazy ? done() || more() : more() || done();
  }

  try {
    for (let start = 0; start <= input.length; start++) {
      caps.fill(undefined);
      let end = -1;
      if (
        m(p.root, start, (j) => {
          end = j;
          return true;
        })
      ) {
        const groups: (string | undefined)[] = [input.slice(start, end)];
        for (let g = 1; g <= p.groups; g++) {
          const a = caps[2 * g];
          const b = caps[2 * g + 1];
          groups.push(a === undefined || b === undefined ? undefined : input.slice(a, b));
        }
        return { groups };
      }
    }
    return null;
  } catch (e) {
    if (!(e instanceof OutOfSteps)) throw e;
    if (exhausted.size > 1000) exhausted.clear();
    exhausted.add(pattern);
    return undefined;
  }
}

/**
 * A few strings the pattern may match, built from its literal parts (first choices of classes and
 * alternatives, zero and one repetitions). Candidates only: check each with boundedMatch.
 */
export function regexExamples(pattern: string, max = 16): string[] {
  const p = parsed(pattern);
  if (!p) return [];
  const gen = (node: Node): string[] => {
    switch (node.t) {
      case "char":
        return node.sample ? [node.sample] : [];
      case "seq": {
        let out = [""];
        for (const item of node.items) {
          const next: string[] = [];
          for (const a of out) for (const b of gen(item)) if (next.length < max) next.push(a + b);
          out = next;
        }
        return out;
      }
      case "alt":
        return node.alts.flatMap(gen).slice(0, max);
      case "group":
        return gen(node.body);
      case "repeat": {
        const body = gen(node.body);
        const once = node.min === 0 ? [""] : [];
        const reps = body.map((b) => b.repeat(Math.max(1, node.min)));
        return [...once, ...reps].slice(0, max);
      }
      default:
        return [""];
    }
  };
  return [...new Set(gen(p.root))];
}
