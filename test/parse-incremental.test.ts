/**
 * The incremental re-parse (src/parse/incremental.ts) gives exactly what a full parse gives: same
 * tokens (all fields), same tree, same strays, same problems, for random edits of generated and
 * real configs; and it takes the fast path for ordinary edits.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Token } from "../grammar/tokens.js";
import * as T from "../grammar/tokens.js";
import { ignoredCommas, parseConfig, type ParseResult } from "../src/parse/parse.js";
import { reparse, reparseStats, reparseWithOutcome } from "../src/parse/incremental.js";
import { isToken, type Child, type Node } from "../src/ast/nodes.js";
import { corpusDir, listSharedFiles } from "./helpers/lighttpd.js";
import { configText } from "./helpers/generators.js";
import { generateConfig } from "../bench/generate.mjs";

const VERSION = "1.4.69";
// Raise for a longer search: REPARSE_RUNS=6000 npx vitest run test/parse-incremental.test.ts
const RUNS = Number(process.env.REPARSE_RUNS ?? 800);

const corpus = listSharedFiles(corpusDir)
  .map((f) => fs.readFileSync(f, "latin1"))
  .filter((t) => t.length < 200_000);

/**
 * A plain-data picture of a parse: every token field, every node's kind, range, own keys and
 * children, what each node field refers to (a token by its index in `tokens`, a node by its index
 * among the children), strays (by token index, with context, and whether the node is the tree's),
 * problems with all their keys.
 */
function canonical(r: ParseResult): unknown {
  const index = new Map<Token, number>();
  r.tokens.forEach((t, i) => index.set(t, i));
  const tokens = r.tokens.map((t) => [
    t.tokenType.name,
    t.image,
    t.startOffset,
    t.endOffset,
    t.startLine,
    t.endLine,
    t.startColumn,
    t.endColumn,
    t.unterminated,
    Object.keys(t).join(","),
  ]);
  const treeStrays = new Set<Node>();
  const seen: number[] = [];
  const ref = (parent: Node, x: unknown): unknown => {
    if (Array.isArray(x)) return x.map((y) => ref(parent, y));
    if (x === undefined) return "undefined";
    if (typeof x !== "object" || x === null) return x;
    if (isToken(x as Child)) return { token: index.get(x as Token) ?? "NOT IN TOKENS" };
    return { child: parent.children.indexOf(x as Node) };
  };
  const node = (c: Child): unknown => {
    if (isToken(c)) {
      const i = index.get(c);
      expect(i).toBeDefined();
      seen.push(i!);
      return i;
    }
    if (c.kind === "stray") treeStrays.add(c);
    const fields: Record<string, unknown> = {};
    for (const k of Object.keys(c)) if (k !== "children" && k !== "start" && k !== "end") fields[k] = ref(c, (c as unknown as Record<string, unknown>)[k]);
    return { range: [c.start, c.end], keys: Object.keys(c).join(","), fields, children: c.children.map(node) };
  };
  const tree = node(r.tree);
  // Tree tokens are the objects of `tokens`, each once (zero-width ones may be out of order).
  expect(new Set(seen).size).toBe(r.tokens.length);
  expect(seen.length).toBe(r.tokens.length);
  const strays = r.strays.map((s) => [index.get(s.node.token), s.context, s.node.start, s.node.end, treeStrays.has(s.node)]);
  const problems = r.problems.map((p) => ({ keys: Object.keys(p).join(","), ...p }));
  // `trivia` and `attachTrivia` are how a full parse keeps its trivia until asked, and
  // `ignoredCommaTokens` and `repairs` what a re-parse carries for the next one (compared below),
  // not what either found.
  const keys = Object.keys(r).filter((k) => k !== "trivia" && k !== "attachTrivia" && k !== "ignoredCommaTokens" && k !== "repairs");
  return { text: r.text, version: r.version, keys: keys.join(","), unreadFrom: r.unreadFrom, tokens, tree, strays, problems };
}

function expectSameAsFullParse(result: ParseResult, text: string): void {
  expect(result.text).toBe(text);
  const full = parseConfig(text, { version: VERSION });
  expect(canonical(result)).toStrictEqual(canonical(full));
  // The commas outside parentheses (stray-token): found from the text in a re-parse, from the trivia in a full one.
  const offsets = (r: ParseResult) => ignoredCommas(r).map((t) => t.startOffset);
  expect(offsets(result)).toEqual(offsets(full));
  // The tokenizer's repairs a re-parse says its tokens hold: those the full parse's tokens hold.
  if (result.repairs)
    expect(result.repairs).toEqual({
      unterminated: full.tokens.some((t) => t.tokenType === T.StringLit && t.unterminated),
      recoveredClose: full.tokens.some((t) => t.tokenType === T.RParen && t.endOffset < t.startOffset),
    });
}

/** Text pieces an edit may insert: syntax characters, whole lines, things that must make it fall back. */
const snippets = [
  "",
  "a",
  "x",
  "1",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  '"',
  "'",
  "#",
  "$",
  "=",
  "==",
  "+",
  "+=",
  ":=",
  ",",
  "=>",
  "->",
  "else",
  "else ",
  "\0",
  "\ufeff",
  ";",
  "\u00a0",
  "if ",
  "elif",
  "include",
  "global",
  "x = 1\n",
  'var.a = "b"\n',
  '$HTTP["host"] == "a" {\n',
  "}\n",
  "} else {\n",
  '} else $HTTP["url"] =~ "^/x" {\n',
  "# comment\n",
  "\n\n",
  "( \n",
  ' "x" => "y",\n',
];

interface Edit {
  at: number;
  del: number;
  ins: string;
  line: boolean;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  del: fc.oneof(fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 40 })),
  ins: fc.oneof(fc.constantFrom(...snippets), fc.string({ maxLength: 3 })),
  line: fc.boolean(),
});

/** Applies an edit: at a random character, or (line edits) replacing whole lines. */
function applyEdit(text: string, e: Edit): string {
  if (text.length === 0) return e.ins;
  let at = e.at % (text.length + 1);
  let end = Math.min(text.length, at + e.del);
  if (e.line) {
    at = text.lastIndexOf("\n", at - 1) + 1;
    end = text.indexOf("\n", end);
    end = end < 0 ? text.length : Math.min(text.length, end + 1);
    if (e.del === 0) end = at;
  }
  return text.slice(0, at) + e.ins + text.slice(end);
}

/**
 * Applies the edits one after the other, re-parsing incrementally from the last result each time;
 * with `consume`, each previous result is given up (moved in place), as the language server does.
 */
function checkEdits(text: string, edits: Edit[], counts: { fast: number; all: number }, consume = false): void {
  let current = parseConfig(text, { version: VERSION });
  for (const e of edits) {
    const next = applyEdit(current.text, e);
    const outcome = reparseWithOutcome(current, next, { consumePrevious: consume });
    counts.all++;
    if (outcome.incremental) counts.fast++;
    expectSameAsFullParse(outcome.result, next);
    current = outcome.result;
  }
}

describe("incremental re-parse equals a full parse", () => {
  it("for random edits of generated configs", () => {
    const counts = { fast: 0, all: 0 };
    fc.assert(
      fc.property(configText(), fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), (text, edits, consume) => checkEdits(text, edits, counts, consume)),
      { numRuns: RUNS },
    );
    console.log(`generated configs: fast path ${counts.fast} of ${counts.all} edits`);
    expect(counts.fast).toBeGreaterThan(counts.all * 0.2);
  }, 300_000);

  it("for random edits of real configs", () => {
    expect(corpus.length).toBeGreaterThan(100);
    const counts = { fast: 0, all: 0 };
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (i, edits, consume) => checkEdits(corpus[i], edits, counts, consume)),
      { numRuns: Math.ceil(RUNS / 3) },
    );
    console.log(`real configs: fast path ${counts.fast} of ${counts.all} edits`);
    expect(counts.fast).toBeGreaterThan(counts.all * 0.2);
  }, 300_000);

  it("for CRLF files", () => {
    const counts = { fast: 0, all: 0 };
    fc.assert(
      fc.property(configText(), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (text, edits, consume) =>
        checkEdits(text.replace(/\r?\n/g, "\r\n"), edits, counts, consume),
      ),
      { numRuns: Math.ceil(RUNS / 3) },
    );
    expect(counts.fast).toBeGreaterThan(0);
  });

  it("does not change the previous result", () => {
    const text = generateConfig(200);
    const previous = parseConfig(text, { version: VERSION });
    const before = canonical(previous);
    const at = text.indexOf("server.port = 808") + 17;
    const next = reparse(previous, text.slice(0, at) + "1\n# new line\n" + text.slice(at + 1));
    expect(next).not.toBe(previous);
    expect(canonical(previous)).toStrictEqual(before);
  });
});

describe("fast path", () => {
  /** Replaces one letter or digit of an assignment line by another: what typing mostly does. */
  const typing = fc.record({ at: fc.nat(), ch: fc.constantFrom("a", "z", "0", "7", "_") });

  function typedEdit(text: string, at: number, ch: string): string | undefined {
    const lines = text.split("\n");
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[a-z][\w.-]* = "[a-z0-9/]/.test(l));
    if (candidates.length === 0) return undefined;
    const [line, i] = candidates[at % candidates.length];
    const col = line.indexOf('"') + 1;
    lines[i] = line.slice(0, col) + ch + line.slice(col + 1);
    return lines.join("\n");
  }

  it("is taken for typing inside a value of real configs", () => {
    let fast = 0;
    let all = 0;
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), typing, (f, { at, ch }) => {
        const text = corpus[f];
        const next = typedEdit(text, at, ch);
        if (next === undefined || next === text) return;
        const outcome = reparseWithOutcome(parseConfig(text, { version: VERSION }), next);
        all++;
        if (outcome.incremental) fast++;
        expectSameAsFullParse(outcome.result, next);
      }),
      { numRuns: 300 },
    );
    console.log(`typing in real configs: fast path ${fast} of ${all}`);
    expect(all).toBeGreaterThan(100);
    expect(fast).toBeGreaterThan(all * 0.9);
  });

  it("consumes the previous token list in place, and copies it when the region has too many tokens to splice in", () => {
    const small = 'server.port = 80\nx = ("a" => "b")\n';
    const previous = parseConfig(small, { version: VERSION });
    const next = small.replace("80", "8080");
    const outcome = reparseWithOutcome(previous, next, { consumePrevious: true });
    expect(outcome.incremental).toBe(true);
    expect(outcome.result.tokens).toBe(previous.tokens);
    expectSameAsFullParse(outcome.result, next);
    // One statement of 30,000 tokens (a list), edited: its tokens are spliced into a new list.
    const items = Array.from({ length: 6000 }, (_, i) => `"k${i}" => "v"`).join(", ");
    const big = `server.port = 80\nx = (${items})\nserver.tag = "t"\n`;
    const before = parseConfig(big, { version: VERSION });
    const edited = big.replace('"k5" => "v"', '"k5" => "w"');
    const result = reparseWithOutcome(before, edited, { consumePrevious: true });
    expect(result.incremental).toBe(true);
    expect(result.result.tokens).not.toBe(before.tokens);
    expectSameAsFullParse(result.result, edited);
  });

  it("is taken on the benchmark's edit (the port line of a large config)", () => {
    const text = generateConfig(2000);
    const at = text.indexOf("server.port = 808") + 17;
    const previous = parseConfig(text, { version: VERSION });
    const next = text.slice(0, at) + "1" + text.slice(at + 1);
    const outcome = reparseWithOutcome(previous, next, { consumePrevious: true });
    expect(outcome.reason).toBeUndefined();
    expect(outcome.incremental).toBe(true);
    expectSameAsFullParse(outcome.result, next);
    // The text before the edit is not parsed again: its nodes are the previous ones.
    expect(outcome.result.tree.body[0]).toBe(previous.tree.body[0]);
  });

  it("finds the changed span wherever the edit is, chunk boundaries included", () => {
    // The common prefix and suffix are compared 256 characters at a time, then character by character.
    const text = generateConfig(60);
    const len = text.length;
    const places = [0, 1, 255, 256, 257, 511, 512, 513, 767, 768, 769, len - 769, len - 768, len - 513, len - 512, len - 257, len - 256, len - 255, len - 1];
    for (const at of places) {
      for (const next of [text.slice(0, at) + "#" + text.slice(at + 1), text.slice(0, at) + text.slice(at + 1), text.slice(0, at) + "x" + text.slice(at)]) {
        expectSameAsFullParse(reparse(parseConfig(text, { version: VERSION }), next), next);
      }
    }
  });

  it("is taken for edits in the first and in the last statement, and inside a block", () => {
    const text = 'server.port = 80\nvar.a = "x"\n$HTTP["host"] == "a" {\n  var.b = "y"\n}\nserver.tag = "t"\n';
    for (const [from, to] of [
      ["80", "81"],
      ['"t"', '"tt"'],
      ['"y"', '"yy"'],
      ['var.a = "x"\n', ""],
      ["server.tag", "server.name"],
    ] as const) {
      const next = text.replace(from, to);
      const outcome = reparseWithOutcome(parseConfig(text, { version: VERSION }), next);
      expect(outcome.incremental, `${from} → ${to}`).toBe(true);
      expectSameAsFullParse(outcome.result, next);
    }
  });
});

describe("commas outside parentheses (ignoredCommas)", () => {
  it("are found in a re-parse as in a full parse, one after a zero-width statement end included", () => {
    const text = 'a = 1\n$HTTP["host"] == "a" { x = 1 },\nb = (1, 2),\n';
    const next = text.replace("a = 1", "a = 12");
    const outcome = reparseWithOutcome(parseConfig(text, { version: VERSION }), next);
    expect(outcome.incremental).toBe(true);
    // After `}` lighttpd ends the statement (a zero-width token at the comma's offset), then skips the comma.
    expect(ignoredCommas(outcome.result).map((t) => [t.tokenType.name, t.startOffset])).toEqual([
      ["IgnoredComma", 37],
      ["IgnoredComma", 49],
    ]);
    expectSameAsFullParse(outcome.result, next);
  });
});

describe("falls back when the edit reaches beyond its statement", () => {
  // More statements after the edit than the region may grow by: the fast path cannot reach the end.
  const tail = Array.from({ length: 12 }, (_, i) => `var.t${i} = ${i}\n`).join("");
  const text = 'var.a = "x"\nvar.b = "y"\n$HTTP["host"] == "a" {\n  var.c = "z"\n}\nvar.d = 4\n' + tail;
  const cases: [string, string, string][] = [
    ["opens a list", 'var.b = "y"', "var.b = ("],
    ["opens a block", 'var.b = "y"', '$HTTP["url"] == "/" {'],
    ["opens a string", 'var.b = "y"', 'var.b = "y'],
    ["inserts a NUL", 'var.b = "y"', 'var.b = "y"\0'],
  ];
  it.each(cases)("%s", (_name, from, to) => {
    const next = text.replace(from, to);
    expect(next).not.toBe(text);
    const outcome = reparseWithOutcome(parseConfig(text, { version: VERSION }), next);
    expectSameAsFullParse(outcome.result, next);
    expect(outcome.incremental).toBe(false);
  });

  it.each([
    ["an unterminated string", 'var.a = "abc\nvar.b = "x"\nvar.c = 1\n'],
    ["a list closed by recovery", 'var.a = ("x", "y"\nvar.b = 1\nvar.c = 2\n'],
  ])("after %s anywhere in the previous parse", (reason, before) => {
    const next = before.replace("var.c = ", "var.cc = ");
    const outcome = reparseWithOutcome(parseConfig(before, { version: VERSION }), next);
    expect(outcome.incremental).toBe(false);
    expect(outcome.reason).toBe(reason);
    expectSameAsFullParse(outcome.result, next);
  });

  it("re-reads the condition chain an added 'else' continues", () => {
    const next = text.replace("}\nvar.d", "}\nelse {\n}\nvar.d");
    const outcome = reparseWithOutcome(parseConfig(text, { version: VERSION }), next);
    expectSameAsFullParse(outcome.result, next);
    expect(outcome.result.tree.body[2].kind).toBe("conditionChain");
  });

  it("keeps the tokenizer's condition mode after a dropped '$'", () => {
    const t = 'x = $\n"a"\nz == 1\ny = 2\n';
    for (const next of [t.replace("y = 2", "y = 3"), t.replace("z == 1", "z == 2")]) expectSameAsFullParse(reparse(parseConfig(t, { version: VERSION }), next), next);
  });

  it("handles a '\\r' before the boundary meeting an inserted '\\n'", () => {
    const t = "x = 1\ry = 2\r";
    for (const next of ["x = 1\r\ny = 2\r", "x = 1\r\n", "x = 1\ry = 2\r\n"]) expectSameAsFullParse(reparse(parseConfig(t, { version: VERSION }), next), next);
  });
});

describe("language server", () => {
  it("lints an edited buffer as a fresh lint does, with the buffer's parse kept across edits", async () => {
    const os = await import("node:os");
    const { Workspace } = await import("../src/lsp/workspace.js");
    const { lint } = await import("../src/linter.js");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reparse-lsp-"));
    try {
      const file = path.join(dir, "lighttpd.conf");
      let text = 'server.document-root = "/tmp"\nserver.port = 80\nvar.x = "a"\n$HTTP["host"] == "a" {\n  server.name = var.x\n}\n';
      fs.writeFileSync(file, text);
      const ws = new Workspace();
      ws.client = { lighttpdVersion: VERSION };
      ws.open({ path: file, uri: `file://${file}`, text, version: 1 });
      const edits: [string, string][] = [
        ["80", "8080"],
        ['"a"\n$', '"b"\n$'],
        ["server.name", "server.nmae"],
        ["var.x = ", "var.x = (\n"],
        ["(\n", ""],
        ["}\n", '} else {\n  server.tag = ""\n}\n'],
      ];
      let version = 1;
      const fastBefore = reparseStats.incremental;
      for (const [from, to] of edits) {
        text = text.replace(from, to);
        ws.change(file, text, ++version);
        const got = ws.lintMain(ws.mainFor(file)).result.files.map((f) => f.diagnostics);
        const readFile = (f: string) => (path.resolve(f) === file ? Buffer.from(text) : undefined);
        const want = lint(file, { project: { lighttpdVersion: VERSION, rules: {} }, readFile, cwd: dir }).files.map((f) => f.diagnostics);
        expect(got, `${from} → ${to}`).toStrictEqual(want);
      }
      expect(reparseStats.incremental - fastBefore).toBeGreaterThanOrEqual(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
