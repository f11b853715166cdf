/**
 * capture-reference: a `$N` or `%N` in a url.rewrite-* / url.redirect target that can only ever be
 * empty. keyvalue.c (pcre_keyvalue_buffer_subst) replaces `$N` with group N of the rule's own
 * pattern and `%N` with group N of the condition of the block the rule is set in (mod_rewrite.c:
 * config_capture(srv, condidx)); a group that does not exist gives "". Only one digit is read, so
 * a URL-encoded `%20` in a target is capture `%2` followed by "0", not a space: `%%20` is.
 */
import type { Rule } from "../src/engine/types.js";
import type { Context } from "../src/eval/model.js";
import { hasUnknown, itemValueRange, settingsNamed } from "../src/engine/config-query.js";
import { capturesAtLeast, checkPcre, normalizeUrlPattern } from "../src/schema/pcre.js";
import { itemLiteral } from "../src/eval/values.js";

const TARGET_KEYS = ["url.rewrite-once", "url.rewrite", "url.rewrite-final", "url.rewrite-repeat", "url.rewrite-if-not-file", "url.rewrite-repeat-if-not-file", "url.redirect"];

export interface Reference {
  kind: "$" | "%";
  n: number;
  offset: number;
  /** The character after the digit (to tell `%20` from `%2`). */
  next: string;
}

/** The `$N` / `%N` references of a target, as keyvalue.c reads them (`$$` and `%%` are escapes; `${...}` is skipped). */
export function references(target: string): Reference[] {
  const out: Reference[] = [];
  for (let k = nextReference(target, 0); k >= 0; k = nextReference(target, k + 2))
    out.push({ kind: target[k] as Reference["kind"], n: target.charCodeAt(k + 1) - 48, offset: k, next: target[k + 2] ?? "" });
  return out;
}

/** Where the first reference at or after `from` starts (see references), -1 when none does: no object made. */
function nextReference(target: string, from: number): number {
  for (let k = from; k + 1 < target.length; k++) {
    const c = target[k];
    if (c !== "$" && c !== "%") continue;
    const d = target[k + 1];
    if (d === "{") {
      const close = target.indexOf("}", k);
      if (close < 0) return -1;
      k = close;
      continue;
    }
    if (d >= "0" && d <= "9") return k;
    k++;
  }
  return -1;
}

/** Capture groups of the regex condition a `%N` reads, or undefined when it cannot be known. */
function conditionCaptures(ctx: Context): number | undefined {
  const c = ctx.condition;
  if (!c) return 0; // the global scope: no enclosing match, every %N is empty
  if ((c.writtenOp ?? c.op) !== "=~" || c.unknown || ctx.isElse) return undefined;
  return checkPcre(c.value).captures;
}

const rule: Rule = {
  meta: {
    id: "capture-reference",
    description: "A $N or %N in a rewrite/redirect target that refers to a capture group that does not exist (e.g. %20 read as %2)",
    severity: "warning",
    fixable: false,
    effect: "misread",
  },
  check(context) {
    for (const { context: ctx, setting } of settingsNamed(context.config, ...TARGET_KEYS)) {
      if (setting.value.type !== "array") continue;
      // The enclosing condition's groups: the same for every item of the setting, looked up once.
      let condCaptures: number | undefined | null = null;
      for (const item of setting.value.items) {
        const pattern = item.key; // read once: a folded item slices it from the text on each read
        if (pattern === undefined) continue;
        // A literal's string is read without making its value object (src/eval/values.ts itemLiteral).
        let target = itemLiteral(item);
        if (target === undefined) {
          const value = item.value;
          if (value.type !== "string" || hasUnknown(value)) continue;
          target = value.value;
        }
        // The highest group each kind refers to: a target nearly always refers to groups that
        // exist, and then no object is made for its references.
        let highestOwn = -1;
        let highestCond = -1;
        for (let k = nextReference(target, 0); k >= 0; k = nextReference(target, k + 2)) {
          const n = target.charCodeAt(k + 1) - 48;
          if (target[k] === "$") highestOwn = Math.max(highestOwn, n);
          else highestCond = Math.max(highestCond, n);
        }
        if (highestOwn < 0 && highestCond < 0) continue;
        // The pattern's groups, unless it surely has enough for every $N (nearly always: a lookup saved per rule).
        const own = capturesAtLeast(pattern, highestOwn) ? undefined : checkPcre(normalizeUrlPattern(pattern));
        const ownCaptures = own?.valid ? own.captures : undefined;
        if (condCaptures === null) condCaptures = conditionCaptures(ctx);
        // Each reference is looked at only when one of them can be empty.
        const ownEmpty = ownCaptures !== undefined && highestOwn > ownCaptures;
        const condEmpty = condCaptures !== undefined && highestCond > condCaptures;
        if (!ownEmpty && !condEmpty) continue;
        for (const r of references(target)) {
          const empty = r.kind === "$" ? ownCaptures !== undefined && r.n > ownCaptures : condCaptures !== undefined && r.n > condCaptures;
          if (!empty) continue;
          const ref = `${r.kind}${r.n}`;
          let message: string | undefined;
          if (r.kind === "$" && ownCaptures !== undefined && r.n > ownCaptures) {
            message = `${ref} in target "${target}" is always empty: the pattern "${pattern}" has ${ownCaptures === 0 ? "no capture group" : ownCaptures === 1 ? "1 capture group" : `${ownCaptures} capture groups`}${r.n === 1 ? " (add parentheses around the part to copy)" : ""}`;
          } else if (r.kind === "%" && condCaptures !== undefined && r.n > condCaptures) {
            const encoded = /[0-9A-Fa-f]/.test(r.next)
              ? `; "${ref}${r.next}" looks like a URL-encoded character, which lighttpd reads as capture ${ref} followed by "${r.next}": write "%${ref}${r.next}"`
              : "";
            const cond = ctx.condition
              ? `the condition ${ctx.condition.text} has ${condCaptures === 0 ? "no capture group" : `${condCaptures} capture group${condCaptures > 1 ? "s" : ""}`}`
              : "the rule is not inside a regex condition";
            message = `${ref} in target "${target}" is always empty: %N copies a group of the enclosing condition's regex, and ${cond}${encoded}`;
          }
          if (message === undefined) continue;
          const where = itemValueRange(item);
          if (where) context.report({ message, file: where.file, start: where.start, end: where.end });
        }
      }
    }
  },
};

export default rule;
