/** src/schema/bounded-regex.ts: PCRE's leftmost match and captures for the subset, and "cannot tell" (undefined) outside it or over budget. */
import { describe, expect, it } from "vitest";
import { boundedMatch, regexExamples } from "../src/schema/bounded-regex.js";

describe("boundedMatch", () => {
  it("finds PCRE's leftmost match with its captures", () => {
    expect(boundedMatch("^/(.*)$", "/admin/x")?.groups).toEqual(["/admin/x", "admin/x"]);
    expect(boundedMatch("\\.inc$", "/a.inc.inc")?.groups).toEqual([".inc"]);
    expect(boundedMatch("^/([^?]*)(\\?(.*))?$", "/a/b?c=1")?.groups).toEqual(["/a/b?c=1", "a/b", "?c=1", "c=1"]);
    expect(boundedMatch("^/([^?]*)(\\?(.*))?$", "/a/b")?.groups).toEqual(["/a/b", "a/b", undefined, undefined]);
    expect(boundedMatch("(.*?)x", "aaxbx")?.groups).toEqual(["aax", "aa"]); // lazy
    expect(boundedMatch("^/a{2,3}", "/aaaa")?.groups).toEqual(["/aaa"]);
    expect(boundedMatch("^/(data|conf)/+.*", "/conf//x")?.groups).toEqual(["/conf//x", "conf"]);
    expect(boundedMatch("\\bfoo\\b", "/a/foo.php")?.groups).toEqual(["foo"]);
    expect(boundedMatch("^(a*)+b", "b")?.groups).toEqual(["b", ""]); // an empty iteration counts towards the minimum
    expect(boundedMatch("^(?:x|)*$", "xx")?.groups).toEqual(["xx"]);
  });

  it("answers null for no match, also through lookahead", () => {
    expect(boundedMatch("^/admin/", "/index.php/admin/x")).toBeNull();
    expect(boundedMatch("^/(?!static/)(.*)$", "/static/a.css")).toBeNull();
    expect(boundedMatch("^/(?!static/)(.*)$", "/shop/a")?.groups).toEqual(["/shop/a", "shop/a"]);
    expect(boundedMatch("^/(?=api/)(.*)", "/api/v1")?.groups).toEqual(["/api/v1", "api/v1"]);
  });

  it("answers undefined outside the subset instead of guessing", () => {
    for (const p of ["(a)\\1", "(?i)abc", "(?<=a)b", "(?<n>a)", "a++", "\\x41", "[[:alpha:]]", "[a-", "(a", "a)", "\\p{L}"]) expect(boundedMatch(p, "aaa"), p).toBeUndefined();
  });

  it("stops a catastrophic pattern within its budget", () => {
    const t = Date.now();
    expect(boundedMatch("^(a+)+$", "a".repeat(40) + "b")).toBeUndefined();
    expect(boundedMatch("^(a|aa)*c$", "a".repeat(60))).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe("regexExamples", () => {
  it("builds candidate strings from the literal parts", () => {
    expect(regexExamples("^/admin/")).toEqual(["/admin/"]);
    expect(regexExamples("\\.(ini|log)$")).toEqual([".ini", ".log"]);
    expect(regexExamples("^/(data|conf)/+.*")).toEqual(["/data/", "/data/a", "/conf/", "/conf/a"]);
    for (const p of ["^/(data|conf)/+.*", "\\.(ini|log)$", "^/a[0-9]{2}b"]) for (const e of regexExamples(p)) expect(boundedMatch(p, e), `${p} ${e}`).not.toBeNull();
  });
});
