/** Bad input never crashes the parser: it returns diagnostics instead. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/parse/parse.js";
import { print } from "../src/ast/print.js";
import { decodeSource } from "../src/parse/source.js";
import { lintText } from "../src/linter.js";
import { configText, damagedConfigText } from "./helpers/generators.js";

const v = { version: "1.4.69" };

describe("the parser never throws", () => {
  it("on random bytes (decoded as the CLI does)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const { text } = decodeSource(bytes);
        const r = parseConfig(text, v);
        expect(print(r.tree)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("on damaged valid configs, and reports each problem with a range inside the file", () => {
    fc.assert(
      fc.property(damagedConfigText(), (text) => {
        const r = parseConfig(text, v);
        for (const p of r.problems) {
          expect(p.start).toBeGreaterThanOrEqual(0);
          expect(p.end).toBeLessThanOrEqual(text.length);
          expect(p.message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("the whole lint never throws on damaged configs", () => {
    fc.assert(
      fc.property(damagedConfigText(), (text) => {
        const r = lintText(text, "/nonexistent-dir/fuzz.conf", { project: { lighttpdVersion: "1.4.69", rules: {} } });
        expect(r.files.length).toBeGreaterThan(0);
        expect(r.files.flatMap((f) => f.diagnostics).filter((d) => d.ruleId === "internal-error")).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("accepts what it generates as valid without syntax errors", () => {
    fc.assert(
      fc.property(configText(), (text) => {
        expect(parseConfig(text, v).problems).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("handles 10,000 nested conditions without a stack overflow", () => {
    const depth = 10_000;
    const text = 'server.document-root = "/tmp"\n' + '$HTTP["url"] =^ "/a" {\n'.repeat(depth) + "}\n".repeat(depth);
    const r = parseConfig(text, v);
    expect(print(r.tree)).toBe(text);
    expect(r.problems.some((p) => /nested/.test(p.message))).toBe(true);
  });

  it("handles 100,000 array elements", () => {
    const text = "var.a = (" + Array.from({ length: 100_000 }, (_, i) => `"e${i}"`).join(", ") + ")\n";
    const r = parseConfig(text, v);
    expect(r.problems).toEqual([]);
    const stmt = r.tree.body[0];
    expect(stmt.kind === "assignment" && stmt.value?.operands[0].kind === "array" && stmt.value.operands[0].elements.length).toBe(100_000);
  });

  it("parses 1 MB of junk (a hang guard, not a benchmark: see npm run bench)", () => {
    const junk = Array.from({ length: 1 << 20 }, (_, i) => "{}()[]$=>,+\"'#;a1 \n"[(i * 7919) % 20]).join("");
    const started = Date.now();
    const r = parseConfig(junk, v);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
