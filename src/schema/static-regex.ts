/**
 * Whether a config's regex matches a string, decided WITHOUT running the regex: a pattern from a
 * pull request may be catastrophic (`^(a+)+$`), and lighttpd-lint never executes config patterns.
 *
 * Only a small, common subset is understood: literal characters, escaped punctuation, `.`, `.*`,
 * `.+`, a leading `^`, a trailing `$`, and top-level `|` between such alternatives. It is matched
 * with the include glob's iterative wildcard matcher (O(pattern × input), no backtracking). Anything
 * else (groups, classes, quantifiers, flags) answers undefined, and callers treat that as unknown.
 */
import { matchTokens, type Token } from "../eval/glob.js";

const META = new Set(["\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "^", "$"]);

function alternative(p: string): Token[] | undefined {
  let i = 0;
  const tokens: Token[] = [];
  const anchoredStart = p.startsWith("^");
  if (anchoredStart) i++;
  let anchoredEnd = false;
  if (!anchoredStart) tokens.push({ kind: "star" });
  while (i < p.length) {
    const c = p[i];
    if (c === "$" && i === p.length - 1) {
      anchoredEnd = true;
      i++;
    } else if (c === "\\") {
      const next = p[i + 1];
      // Only escaped punctuation is a plain character (\d, \w, \b, \1 ... are not).
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      tokens.push({ kind: "char", c: next.codePointAt(0)! });
      i += 2;
    } else if (c === ".") {
      const q = p[i + 1];
      if (q === "*") {
        tokens.push({ kind: "star" });
        i += 2;
      } else if (q === "+") {
        tokens.push({ kind: "any" }, { kind: "star" });
        i += 2;
      } else {
        tokens.push({ kind: "any" });
        i++;
      }
      if (p[i] === "?" || p[i] === "+" || p[i] === "*") return undefined; // lazy/possessive/nested: not in the subset
    } else if (META.has(c)) {
      return undefined;
    } else {
      const cp = p.codePointAt(i)!;
      const q = p[i + (cp > 0xffff ? 2 : 1)];
      if (q === "*" || q === "+" || q === "?" || q === "{") return undefined; // a quantified character
      tokens.push({ kind: "char", c: cp });
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (!anchoredEnd) tokens.push({ kind: "star" });
  return tokens;
}

/** true/false when the pattern is in the understood subset, else undefined. Never runs a RegExp. */
export function staticRegexTest(pattern: string, input: string): boolean | undefined {
  // Top-level alternatives, split on unescaped `|` (groups are outside the subset anyway).
  const alternatives: string[] = [];
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "|") {
      alternatives.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  alternatives.push(pattern.slice(start));
  const name: number[] = [];
  for (const ch of input) name.push(ch.codePointAt(0)!);
  let anyMatch = false;
  for (const alt of alternatives) {
    const tokens = alternative(alt);
    if (!tokens) return undefined;
    if (matchTokens(collapse(tokens), name)) anyMatch = true;
  }
  return anyMatch;
}

/** Adjacent stars are one star (keeps the matcher's bound). */
function collapse(tokens: Token[]): Token[] {
  return tokens.filter((t, i) => !(t.kind === "star" && tokens[i - 1]?.kind === "star"));
}
