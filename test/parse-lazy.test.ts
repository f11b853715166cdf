/**
 * A lazy parse (the evaluator's: trivia and values' tokens join the tree on demand) made lossless
 * is the eager parse: same tree, children, fields and tokens; and before `lossless()` its nodes
 * and fields are already those of the eager parse.
 */
import fs from "node:fs";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { isToken, onlyOperand, type ArrayNode, type Child, type ExpressionNode, type Node } from "../src/ast/nodes.js";
import { evaluate } from "../src/eval/evaluate.js";
import { itemLiteral, itemValueType } from "../src/eval/values.js";
import type { ArrayItem, EvaluatedConfig, Origin, Value } from "../src/eval/model.js";
import { print } from "../src/ast/print.js";
import { lossless, parseConfig, type ParseResult } from "../src/parse/parse.js";
import { configText, damagedConfigText } from "./helpers/generators.js";
import { TokenList } from "../grammar/tokens.js";
import { lintText } from "../src/linter.js";
import { generateConfig } from "../bench/generate.mjs";
import { corpusDir, listSharedFiles } from "./helpers/lighttpd.js";

/** The fields of each kind of node (src/ast/nodes.ts), children aside. */
const FIELDS: Record<Node["kind"], string[]> = {
  config: ["body"],
  assignment: ["key", "op", "value"],
  expression: ["operands"],
  string: ["value"],
  integer: [],
  ref: [],
  array: ["open", "close", "elements"],
  element: ["key", "arrow", "value"],
  conditionChain: ["branches"],
  branch: ["elseToken", "condition", "block"],
  condition: ["dollar", "object", "field", "op", "value"],
  block: ["open", "body", "close"],
  include: ["keyword", "shell", "arg"],
  global: ["keyword", "block"],
  stray: ["token"],
};

/** Every node (kind, range, fields) and, with `children`, its children as token types and offsets. */
function shape(r: ParseResult, children: boolean): string[] {
  const ref = (c: Child): string => (isToken(c) ? `${c.tokenType.name}@${c.startOffset}` : `${c.kind}@${c.start}-${c.end}`);
  const out: string[] = [];
  const walk = (n: Node): void => {
    // Named fields, not own properties: a lazy parse may keep a field as an accessor (a folded list element's key and value).
    const fields = (FIELDS[n.kind] ?? [])
      .map((k) => [k, (n as unknown as Record<string, unknown>)[k]] as const)
      .filter(([, v]) => v !== undefined)
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

/** Every setting of every context with its value: strings, integers, list items, and where each is written. */
function settingsOf(config: EvaluatedConfig): string[] {
  const at = (o: Origin | undefined) => (o ? `@${o.file}:${o.start}-${o.end}` : "");
  const show = (v: Value): string => {
    const own =
      v.type === "array"
        ? `(${v.items.map((i) => `${i.key === undefined ? "" : `${JSON.stringify(i.key)}${at(i.keyOrigin)}=>`}${show(i.value)}`).join(",")})`
        : v.type === "unknown"
          ? `?${v.reason}`
          : JSON.stringify(v.value);
    return `${own}${at(v.origin)}${v.parts ? `[${v.parts.map(show).join("+")}]` : ""}${v.fromVariable ? `<${v.fromVariable}` : ""}`;
  };
  return config.contexts.flatMap((c) => [...c.settings.values()].map((s) => `${c.id} ${s.key} = ${show(s.value)}`));
}

describe("evaluating a lazy parse (literals not made as nodes) equals evaluating the eager parse", () => {
  const evaluateWith = (text: string, lazy: boolean) =>
    evaluate("/cfg/lighttpd.conf", {
      version: "1.4.69",
      cwd: "/cfg",
      env: { HOME: "/home/x" },
      pid: 1,
      readFile: (f) => (f === "/cfg/lighttpd.conf" ? Buffer.from(text) : undefined),
      parse: (_f, t, version) => parseConfig(t, { version, lazy }),
    });
  const same = (text: string) => {
    const eager = evaluateWith(text, false);
    const lazy = evaluateWith(text, true);
    expect(settingsOf(lazy)).toEqual(settingsOf(eager));
    expect(lazy.diagnostics).toEqual(eager.diagnostics);
    for (const config of [lazy, eager]) for (const c of config.contexts) for (const s of c.settings.values()) itemsAgree(s.value);
  };
  /** What rules ask of an item without making its value (itemValueType, itemLiteral) is what the value says. */
  const itemsAgree = (v: Value): void => {
    if (v.type !== "array") return;
    for (const item of v.items) {
      const value = item.value;
      expect(itemValueType(item)).toBe(value.type);
      const literal = itemLiteral(item);
      if (literal !== undefined) expect([value.type, value.type === "string" && value.value, value.parts, value.fromVariable]).toEqual(["string", literal, undefined, undefined]);
      itemsAgree(value);
    }
  };
  it("on generated and damaged configs", () => {
    fc.assert(fc.property(configText(), same), { numRuns: 100 });
    fc.assert(fc.property(damagedConfigText(), same), { numRuns: 100 });
  });
  it("on strings with escapes, integers, names and lists", () => {
    same('var.x = "a\\"b"\nserver.port = 80\nvar.y = var.x\nvar.z = server.port + 1\nx.a = ("k" => "v", "e" => "", "", "K2" => 12, var.y => var.x, "u")\nx.b = env.HOME\n');
  });

  it("keeps an item of string literals as its element and file only, and reads its strings from the element, made or not", () => {
    const config = evaluateWith('x.a = ("k" => "v", "u", "q\\"k" => "q\\"v", "" => "", "n" => 12)\n', true);
    const items = (config.contexts[0].settings.get("x.a")!.value as { items: ArrayItem[] }).items;
    const read = () => items.map((i) => [i.key, itemLiteral(i), itemValueType(i), i.value.type === "string" || i.value.type === "integer" ? i.value.value : undefined]);
    const expected = [
      ["k", "v", "string", "v"],
      [undefined, "u", "string", "u"],
      ['q"k', 'q"v', "string", 'q"v'],
      ["", "", "string", ""],
      ["n", undefined, "integer", 12],
    ];
    expect(read()).toEqual(expected);
    // A plain literal's string is sliced from the text when read, not kept (src/eval/values.ts FoldedItem).
    for (const item of items.slice(0, 4)) expect(Object.getOwnPropertyNames(item).sort()).toEqual(["element", "file"]);
    // Making the element's key and value nodes (a rule asking for them) changes nothing the item says.
    for (const { element } of items) {
      if (element?.key) onlyOperand(element.key);
      if (element?.value) onlyOperand(element.value);
    }
    expect(read()).toEqual(expected);
  });

  it("places a list value at its string, not at a token dropped before it (lazy and full parses)", () => {
    // lighttpd 1.4.69 drops the stray '=': the value is "v", written at 16-19.
    for (const lazy of [true, false]) {
      const config = evaluateWith('x.a = ("k" => = "v")\n', lazy);
      const [item] = (config.contexts[0].settings.get("x.a")!.value as { items: ArrayItem[] }).items;
      const { value } = item;
      expect([item.key, value.type === "string" && value.value, value.origin?.start, value.origin?.end]).toEqual(["k", "v", 16, 19]);
    }
  });

  it("makes a literal's node only when asked, once, as the eager parse has it", () => {
    const text = 'a.b = "x\\"y"\na.c = 12\na.d = var.e\n';
    const lazy = parseConfig(text, { version: "1.4.69", lazy: true });
    const eager = parseConfig(text, { version: "1.4.69" });
    lazy.tree.body.forEach((statement, i) => {
      const value = (statement as { value: ExpressionNode }).value;
      const made = onlyOperand(value)!;
      expect(onlyOperand(value)).toBe(made);
      expect(value.operands).toEqual([made]);
      const { children: _lazyChildren, ...fields } = made;
      const { children: _eagerChildren, ...eagerFields } = onlyOperand((eager.tree.body[i] as { value: ExpressionNode }).value)!;
      expect(fields).toEqual(eagerFields);
    });
  });

  it("makes a list element's key and value only when asked, once, as the eager parse has them", () => {
    const text = 'x = ("k" => "v", "u", 1 => var.a, "s" => "a" + "b")\n';
    const elementsOf = (r: ParseResult) => (onlyOperand((r.tree.body[0] as { value: ExpressionNode }).value) as ArrayNode).elements;
    const lazy = elementsOf(parseConfig(text, { version: "1.4.69", lazy: true }));
    const eager = elementsOf(parseConfig(text, { version: "1.4.69" }));
    const span = (e: ExpressionNode | undefined) =>
      e && `${e.start}-${e.end} ${e.operands.map((o) => `${o.kind}@${o.start}-${o.end}${o.kind === "string" ? `=${o.value}` : ""}`).join("+")}`;
    expect(lazy.map((el) => `${el.start}-${el.end}`)).toEqual(eager.map((el) => `${el.start}-${el.end}`));
    lazy.forEach((el, i) => {
      const { key, value } = el;
      expect(el.key).toBe(key);
      expect(el.value).toBe(value);
      expect(span(key)).toEqual(span(eager[i].key));
      expect(span(value)).toEqual(span(eager[i].value));
    });
  });
});

describe("a lint reads a lazy parse's tokens without making them", () => {
  // Assignments' keys and operators, conditions' headers, lists' and blocks' brackets and `+` stay
  // indexes into the token list (src/ast/nodes.ts pendingAssignment ...): a large config's lint
  // makes no token object at all (they were 45,000 objects, about 3 MB, for 100,000 lines).
  for (const version of ["1.4.69", "1.4.85"]) {
    it(`of a clean mass-vhost config, for ${version}`, () => {
      const made = vi.spyOn(TokenList.prototype, "token");
      try {
        const result = lintText(generateConfig(2000), "/cfg/lighttpd.conf", { project: { rules: {}, lighttpdVersion: version }, cwd: "/cfg" });
        expect(result.config.contexts.length).toBeGreaterThan(50);
        expect(result.files[0].diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(made).not.toHaveBeenCalled();
      } finally {
        made.mockRestore();
      }
    });
  }
});
