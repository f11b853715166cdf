/**
 * attributeCauses finds each finding's cause through an index by file and position. It must name
 * the same cause as the plain definition (the first structural finding with a fix, in finding
 * order, inside the finding's list, or a missing comma that drops the module the finding wants),
 * which this test states as a scan over every cause and compares on seeded random findings.
 */
import { expect, it } from "vitest";
import type { Diagnostic } from "../src/ast/diagnostics.js";
import { attributeCauses, STRUCTURAL_RULES } from "../src/engine/root-cause.js";

/** The definition, one scan of every cause per finding (the implementation before the index). */
function expectedCause(d: Diagnostic, causes: Diagnostic[], textOf: (f: string) => string | undefined): Diagnostic | undefined {
  if (STRUCTURAL_RULES.has(d.ruleId) || (!d.fix && !d.suggestions)) return undefined;
  const module = d.ruleId === "module-not-loaded" ? /needs (?:a TLS module \()?(mod_[a-z0-9_]+)/.exec(d.message)?.[1] : undefined;
  return causes.find((c) => {
    if (c.file === d.file && c.start >= d.start && c.end <= d.end && (c.start !== d.start || c.end !== d.end)) return !textOf(d.file)?.slice(d.start, d.end).includes("{");
    if (module && c.ruleId === "missing-comma") return textOf(c.file)?.slice(c.start, c.end).includes(`"${module}"`) === true;
    return false;
  });
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

it("names the same cause as a scan of every cause, on random findings", () => {
  const r = rng(11);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const words = ["{", "}", '"mod_fastcgi"', '"mod_alias"', "x", " ", ",", "(", ")"];
  let named = 0;
  for (let round = 0; round < 200; round++) {
    const texts = new Map<string, string>();
    for (const f of ["a.conf", "b.conf"]) texts.set(f, Array.from({ length: 60 }, () => pick(words)).join(""));
    const textOf = (f: string) => texts.get(f);
    const diags: Diagnostic[] = [];
    for (let i = 0; i < 40; i++) {
      const file = pick(["a.conf", "b.conf"]);
      const len = texts.get(file)!.length;
      const start = Math.floor(r() * len);
      const end = Math.min(len, start + Math.floor(r() * (r() < 0.3 ? len : 30)));
      const ruleId = pick(["missing-comma", "syntax-error", "stray-token", "module-not-loaded", "module-not-loaded", "unknown-key", "check-local"]);
      const fix = r() < 0.7 ? { description: "f", edits: [] } : undefined;
      const message = ruleId === "module-not-loaded" ? `fastcgi.server needs ${pick(["mod_fastcgi", "mod_alias", "mod_proxy"])}, which is not loaded` : `finding ${i}`;
      diags.push({ ruleId, severity: "error", message, file, start, end, ...(fix ? { fix } : {}) });
    }
    const causes = diags.filter((d) => STRUCTURAL_RULES.has(d.ruleId) && d.fix);
    const expected = diags.map((d) => expectedCause(d, causes, textOf));
    const out = attributeCauses(
      diags.map((d) => ({ ...d })),
      textOf,
    );
    out.forEach((d, i) => {
      const cause = expected[i];
      if (cause) named++;
      expect(d.related?.at(-1)?.message, `round ${round} finding ${i}`).toBe(cause ? `the cause: ${cause.message}` : undefined);
      expect(d.fix === undefined, `round ${round} finding ${i}`).toBe(cause ? true : diags[i].fix === undefined);
    });
  }
  expect(named).toBeGreaterThan(100);
});
