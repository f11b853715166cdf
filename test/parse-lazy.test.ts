/**
 * A lazy parse (the evaluator's: trivia and values' tokens join the tree on demand) made lossless
 * is the eager parse: same tree, children, fields and tokens; and before `lossless()` its nodes
 * and fields are already those of the eager parse.
 */
import fs from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isToken, type Child, type Node } from "../src/ast/nodes.js";
import { print } from "../src/ast/print.js";
import { lossless, parseConfig, type ParseResult } from "../src/parse/parse.js";
import { configText, damagedConfigText } from "./helpers/generators.js";
import { corpusDir, listSharedFiles } from "./helpers/lighttpd.js";

/** Every node (kind, range, fields) and, with `children`, its children as token types and offsets. */
function shape(r: ParseResult, children: boolean): string[] {
  const ref = (c: Child): string => (isToken(c) ? `${c.tokenType.name}@${c.startOffset}` : `${c.kind}@${c.start}-${c.end}`);
  const out: string[] = [];
  const walk = (n: Node): void => {
    const fields = Object.entries(n)
      .filter(([k, v]) => k !== "children" && v !== undefined)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(ref).join(",") : v && typeof v === "object" ? ref(v as Child) : String(v)}`);
    out.push(`${ref(n)} ${fields.join(" ")}${children ? ` | ${n.children.map(ref).join(",")}` : ""}`);
    for (const c of n.children) if (!isToken(c)) walk(c);
  };
  walk(r.tree);
  return out;
}

function same(text: string, version = "1.4.69"): void {
  const eager = parseConfig(text, { version });
  const lazy = parseConfig(text, { version, lazy: true });
  expect(lazy.problems).toEqual(eager.problems);
  expect(lazy.strays.map((s) => `${s.context} ${s.node.start}`)).toEqual(eager.strays.map((s) => `${s.context} ${s.node.start}`));
  expect(lazy.tree.body.map((s) => `${s.kind}@${s.start}-${s.end}`)).toEqual(eager.tree.body.map((s) => `${s.kind}@${s.start}-${s.end}`));
  const tree = lossless(lazy);
  expect(print(tree)).toBe(text);
  expect(shape(lazy, true)).toEqual(shape(eager, true));
  expect(lazy.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}-${t.endOffset}`)).toEqual(eager.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}-${t.endOffset}`));
}

describe("a lazy parse made lossless equals the eager parse", () => {
  const corpus = listSharedFiles(corpusDir).filter((f) => fs.statSync(f).size < 200_000);
  it.skipIf(corpus.length === 0)(`on the shared corpus (${corpus.length} files)`, () => {
    for (const f of corpus) same(fs.readFileSync(f, "latin1"));
  });
  it("on generated and damaged configs", () => {
    fc.assert(
      fc.property(configText(), (t) => same(t)),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(damagedConfigText(), (t) => same(t, "1.4.59")),
      { numRuns: 100 },
    );
  });
});
