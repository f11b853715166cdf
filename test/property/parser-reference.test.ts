/**
 * The hand-written parser (grammar/parser.ts) against the chevrotain grammar it replaced
 * (grammar/reference-parser.ts): the same tokens give the same tree, strays, missing parts and
 * statement ends, field by field, for real configs, generated, damaged and random texts.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../../grammar/tokenizer.js";
import { parseTokens, type ParsedTokens } from "../../grammar/parser.js";
import { referenceParseTokens } from "../../grammar/reference-parser.js";
import type { Token } from "../../grammar/tokens.js";
import type { Node } from "../../src/ast/nodes.js";
import { configText, damagedConfigText } from "../helpers/generators.js";
import { corpusDir, listSharedFiles } from "../helpers/lighttpd.js";

const runs = Number(process.env.FUZZ_RUNS ?? 300);

/** Every field of the result, tokens by their index in the token list, nodes by kind and range. */
function describeParse(r: ParsedTokens, tokens: Token[]): string[] {
  const index = new Map<Token, number>(tokens.map((t, i) => [t, i]));
  const ref = (v: unknown): string => {
    if (v === undefined) return "-";
    if (Array.isArray(v)) return `[${v.map(ref).join(",")}]`;
    if (index.has(v as Token)) return `#${index.get(v as Token)}`;
    if (v && typeof v === "object" && "kind" in v) return `${(v as Node).kind}@${(v as Node).start}-${(v as Node).end}`;
    return JSON.stringify(v);
  };
  const out: string[] = [];
  const walk = (n: Node): void => {
    const fields = Object.keys(n)
      .filter((k) => k !== "children" && (n as unknown as Record<string, unknown>)[k] !== undefined)
      .sort();
    out.push(`${fields.map((k) => `${k}=${ref((n as unknown as Record<string, unknown>)[k])}`).join(" ")} | ${ref(n.children)}`);
    for (const c of n.children) if (!index.has(c as Token)) walk(c as Node);
  };
  walk(r.config);
  for (const s of r.strays) out.push(`stray ${s.context} ${ref(s.node)}`);
  for (const m of r.missing) out.push(`missing ${m.what} at ${index.has(m.at) ? ref(m.at) : "EOF"}`);
  out.push(`unplaced ${ref(r.unplaced)}`);
  return out;
}

function same(text: string, version = "1.4.69"): void {
  const list = tokenize(text, version).tokens;
  const tokens = list.toArray();
  const ours = describeParse(parseTokens(list), tokens);
  const reference = describeParse(referenceParseTokens(tokens), tokens);
  expect(ours).toEqual(reference);
}

describe("the parser agrees with the chevrotain reference grammar", () => {
  const corpus = listSharedFiles(corpusDir).filter((f) => /\.conf$|\.inc$|lighttpd[^/]*$/.test(path.relative(corpusDir, f)));
  it.skipIf(corpus.length === 0)(`on the shared corpus (${corpus.length} files, two releases' tokenizers)`, () => {
    for (const f of corpus) {
      const text = fs.readFileSync(f, "latin1");
      same(text, "1.4.69");
      same(text, "1.4.59");
    }
  });

  it(`on generated configs (${runs} runs)`, () => {
    fc.assert(
      fc.property(configText(), (t) => same(t)),
      { numRuns: runs },
    );
  });

  it(`on damaged configs (${runs} runs)`, () => {
    fc.assert(
      fc.property(damagedConfigText(), (t) => same(t, "1.4.76")),
      { numRuns: runs },
    );
  });

  const pieces = [
    '"',
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "$",
    "=",
    "==",
    "=~",
    "=>",
    ",",
    "+",
    "+=",
    "#",
    "\n",
    " ",
    "a",
    "else",
    "if",
    "global",
    "include",
    "1",
    '"s"',
    '$HTTP["host"]',
  ];
  it(`on random token soup (${runs} runs)`, () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 120 }), (parts) => same(parts.join(""), "1.4.76")),
      { numRuns: runs },
    );
  });
});
