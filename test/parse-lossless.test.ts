/** The tree is lossless: printing it gives back the input, byte for byte, for real and generated configs. */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/parse/parse.js";
import { print } from "../src/ast/print.js";
import { isToken, type Child } from "../src/ast/nodes.js";
import { corpusDir, oracleCasesDir, listSharedFiles } from "./helpers/lighttpd.js";
import { configText } from "./helpers/generators.js";

const realFiles = [...listSharedFiles(corpusDir), ...listSharedFiles(oracleCasesDir)];

/** Children must be in source order and cover each node's range without gaps or overlaps. */
function checkCoverage(node: Child, text: string): void {
  if (isToken(node)) {
    expect(text.slice(node.startOffset, node.startOffset + node.image.length)).toBe(node.image);
    return;
  }
  let pos = node.start;
  for (const c of node.children) {
    const start = isToken(c) ? c.startOffset : c.start;
    expect(start).toBe(pos);
    checkCoverage(c, text);
    pos = isToken(c) ? c.startOffset + c.image.length : c.end;
  }
  if (node.kind !== "config") expect(pos).toBe(node.end);
}

describe("lossless tree", () => {
  it("has real files to check", () => {
    expect(realFiles.length).toBeGreaterThan(150);
  });

  it.each(realFiles.map((f) => [path.relative(path.dirname(corpusDir), f), f]))("print(parse(%s)) === text", (_name, file) => {
    const text = fs.readFileSync(file, "latin1");
    const result = parseConfig(text, { version: "1.4.69" });
    expect(print(result.tree)).toBe(text);
    checkCoverage(result.tree, text);
  });

  it("holds for generated configs", () => {
    fc.assert(
      fc.property(configText(), fc.constantFrom("1.4.69", "1.4.74", "1.4.77"), (text, version) => {
        const result = parseConfig(text, { version });
        expect(print(result.tree)).toBe(text);
        checkCoverage(result.tree, text);
      }),
      { numRuns: 300 },
    );
  });

  it("holds for arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => {
        expect(print(parseConfig(text, { version: "1.4.69" }).tree)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
