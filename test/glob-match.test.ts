/** The include glob's segment matcher: fnmatch(3) semantics without a backtracking RegExp. */
import { describe, expect, it } from "vitest";
import { segmentMatcher } from "../src/eval/glob.js";

const m = (pattern: string, name: string) => segmentMatcher(pattern)(name);

describe("segmentMatcher", () => {
  it("matches *, ? and brackets like fnmatch", () => {
    expect(m("*.conf", "a.conf")).toBe(true);
    expect(m("*.conf", "a.conf~")).toBe(false);
    expect(m("a?c", "abc")).toBe(true);
    expect(m("a?c", "ac")).toBe(false);
    expect(m("[ab]*", "b1")).toBe(true);
    expect(m("[!ab]*", "b1")).toBe(false);
    expect(m("[^ab]*", "c1")).toBe(true);
    expect(m("[a-c]x", "bx")).toBe(true);
    expect(m("[a-c]x", "dx")).toBe(false);
    expect(m("[]]", "]")).toBe(true);
    expect(m("[[:digit:]][[:alpha:]]", "1z")).toBe(true);
    expect(m("[[:digit:]]", "z")).toBe(false);
    expect(m("\\*", "*")).toBe(true);
    expect(m("\\*", "a")).toBe(false);
    expect(m("[abc", "[abc")).toBe(true); // an unclosed bracket is literal
    expect(m("a*b*c", "aXbYc")).toBe(true);
    expect(m("a*b*c", "aXbYcd")).toBe(false);
    expect(m("*", "")).toBe(true);
    expect(m("?", "é")).toBe(true); // one character, not one UTF-16 unit or byte
  });

  it("does not match a leading dot unless the pattern starts with one (FNM_PERIOD)", () => {
    expect(m("*", ".hidden")).toBe(false);
    expect(m(".*", ".hidden")).toBe(true);
    expect(m("?hidden", ".hidden")).toBe(false);
  });

  it("answers a pathological pattern at once (a RegExp would backtrack for minutes)", () => {
    const pattern = "*a".repeat(30) + "*b";
    const name = "a".repeat(250);
    const t0 = performance.now();
    expect(m(pattern, name)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe("expandBraces", () => {
  it("expands in glob(3)'s order and stops at MAX_BRACE_PATTERNS", async () => {
    const { expandBraces, MAX_BRACE_PATTERNS } = await import("../src/eval/glob.js");
    expect(expandBraces("{b,a}.conf")).toEqual(["b.conf", "a.conf"]);
    expect(expandBraces("x{1,{2,3}}")).toEqual(["x1", "x2", "x3"]);
    const t0 = performance.now();
    expect(expandBraces("{a,b}".repeat(20)).length).toBe(MAX_BRACE_PATTERNS);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
