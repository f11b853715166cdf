/**
 * `--select` / `--ignore`: which rules run, by rule id, by effect (what a finding means for lighttpd:
 * refused, ignored, misread, runtime, risk) or by tag. A rule runs when it matches a --select
 * selector (all rules when there is none) and no --ignore selector: ignore wins, as in Ruff.
 */
import type { Rule, RuleEffect } from "../engine/types.js";
import { UsageError } from "./errors.js";
import { didYouMean } from "../util/suggest.js";

export const EFFECTS: readonly RuleEffect[] = ["refused", "ignored", "misread", "runtime", "risk"];

/** The tags of a rule: its own `meta.tags`, and `fixable` / `suggestion` for what --fix can do. */
export function ruleTags(rule: Rule): string[] {
  const tags = [...(rule.meta.tags ?? [])];
  if (rule.meta.fixable === "fix") tags.push("fixable");
  if (rule.meta.fixable === "suggestion") tags.push("suggestion");
  return tags;
}

export function matchesSelector(rule: Rule, selector: string): boolean {
  return selector === "all" || rule.meta.id === selector || rule.meta.effect === selector || ruleTags(rule).includes(selector);
}

/** Every name a selector may be: "all", rule ids, effects, tags. */
export function selectorNames(rules: readonly Rule[]): Set<string> {
  return new Set(["all", ...EFFECTS, ...rules.map((r) => r.meta.id), ...rules.flatMap(ruleTags)]);
}

/** `--select a,b --select c` → [a, b, c]; unknown names are usage errors with a suggestion. */
export function parseSelectors(values: string[], option: string, rules: readonly Rule[]): string[] {
  const known = selectorNames(rules);
  const out: string[] = [];
  for (const v of values
    .flatMap((x) => x.split(","))
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!known.has(v))
      throw new UsageError(`${option}: unknown rule, effect or tag ${JSON.stringify(v)}${didYouMean(v, known)} (effects: ${EFFECTS.join(", ")}; see 'lighttpd-lint rules')`);
    out.push(v);
  }
  return out;
}

/** The ids of the rules that do NOT run under this selection. */
export function deselectedRules(rules: readonly Rule[], select: string[], ignore: string[]): string[] {
  return rules.filter((r) => (select.length > 0 && !select.some((s) => matchesSelector(r, s))) || ignore.some((s) => matchesSelector(r, s))).map((r) => r.meta.id);
}
