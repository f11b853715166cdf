/**
 * The fast parse path: the streamed `parse` JSON (docs/parse-format.md) is complete and exact,
 * problem ranges stay inside the file, and parsing stays linear (a hang guard, not a benchmark:
 * see `npm run bench` and bench/parse-phases.mjs).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/parse/parse.js";
import { PARSE_FORMAT, PARSE_FORMAT_VERSION, writeParseJson } from "../src/ast/json.js";
import { SourceText } from "../grammar/tokens.js";
import { configText, damagedConfigText } from "./helpers/generators.js";
import { generateConfig } from "../bench/generate.mjs";

const v = { version: "1.4.69" };

type JsonToken = [string, number, string];
interface JsonNode {
  kind: string;
  start: number;
  end: number;
  children: (JsonNode | JsonToken)[];
}
interface JsonDoc {
  format: string;
  formatVersion: number;
  file: string;
  version: string;
  problems: { start: number; end: number; line: number; column: number; message: string }[];
  lineStarts: number[];
  tree: JsonNode;
}

function parseJson(text: string): { doc: JsonDoc; chunks: string[] } {
  const parsed = parseConfig(text, v);
  const chunks: string[] = [];
  writeParseJson({ file: "x.conf", version: parsed.version, text, tree: parsed.tree, problems: parsed.problems }, (c) => chunks.push(c));
  return { doc: JSON.parse(chunks.join("")) as JsonDoc, chunks };
}

/** Tokens rebuild the text and each node's children cover exactly its range. Returns the text. */
function checkNode(node: JsonNode, text: string): string {
  let pos = node.start;
  let out = "";
  for (const c of node.children) {
    if (Array.isArray(c)) {
      const [type, start, image] = c;
      expect(typeof type).toBe("string");
      expect(start).toBe(pos);
      expect(text.slice(start, start + image.length)).toBe(image);
      pos = start + image.length;
      out += image;
    } else {
      expect(c.start).toBe(pos);
      out += checkNode(c, text);
      pos = c.end;
    }
  }
  expect(pos).toBe(node.end);
  return out;
}

function checkDocument(text: string): JsonDoc {
  const { doc } = parseJson(text);
  expect(doc.format).toBe(PARSE_FORMAT);
  expect(doc.formatVersion).toBe(PARSE_FORMAT_VERSION);
  expect(doc.tree.kind).toBe("config");
  expect(doc.tree.start).toBe(0);
  expect(doc.tree.end).toBe(text.length);
  expect(checkNode(doc.tree, text)).toBe(text);
  const lines = new SourceText(text);
  expect(doc.lineStarts.length).toBe(lines.lineCount);
  for (const p of doc.problems) expect({ line: p.line, column: p.column }).toEqual(lines.position(p.start));
  return doc;
}

describe("parse JSON (docs/parse-format.md)", () => {
  it("rebuilds a file with every kind of token, and covers each node's range", () => {
    const text = '\ufeffserver.port = 80 ;\r\n$HTTP["host"] == "a\\"b" { a = ("x" => 1, "é😀" -> 2,) } else { }\rb = c + 1 2\n\n, \n#end\0tail';
    const doc = checkDocument(text);
    const kinds = new Set<string>();
    const types = new Set<string>();
    const walk = (n: JsonNode): void => {
      kinds.add(n.kind);
      for (const c of n.children)
        if (Array.isArray(c)) types.add(c[0]);
        else walk(c);
    };
    walk(doc.tree);
    for (const k of ["assignment", "expression", "string", "integer", "ref", "array", "element", "conditionChain", "branch", "condition", "block", "stray"])
      expect(kinds).toContain(k);
    for (const t of ["Key", "StringLit", "WhiteSpace", "Newline", "Eol", "Invalid", "NulTail", "IgnoredComma", "Comment"]) expect(types).toContain(t);
    expect(doc.problems.length).toBeGreaterThan(0);
  });

  it("rebuilds generated and damaged configs", () => {
    fc.assert(
      fc.property(fc.oneof(configText(), damagedConfigText()), (text) => {
        checkDocument(text);
      }),
      { numRuns: 150 },
    );
  });

  it("is written in chunks, never as one string", () => {
    const text = generateConfig(5000) as string;
    const { chunks } = parseJson(text);
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(200_000);
  });
});

describe("problem ranges", () => {
  it("stay inside the file when the input ends inside an unclosed list in a condition", () => {
    // The parser consumes end of input (EOF_TOKEN, offsets NaN) inside the list; the missing '{' is reported at the end.
    const text = '$HTTP[(+" {\n\n} else $HTTP["host"] == "*0A0Aa" {\n\n}\n\n# just a comment\n\n';
    const r = parseConfig(text, v);
    const missing = r.problems.find((p) => p.message === "the file ends before '{'");
    expect(missing).toMatchObject({ start: text.length, end: text.length });
    for (const p of r.problems) {
      expect(p.start).toBeGreaterThanOrEqual(0);
      expect(p.end).toBeLessThanOrEqual(text.length);
    }
  });
});

describe("parse time", () => {
  it("parses a 1 MB generated config quickly (hang guard)", () => {
    const text = generateConfig(20_000) as string;
    expect(text.length).toBeGreaterThan(900_000);
    const started = Date.now();
    const r = parseConfig(text, v);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.problems).toEqual([]);
    expect(r.tree.children.length).toBeGreaterThan(600);
  });
});
