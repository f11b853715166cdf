/**
 * Root causes before symptoms. A structural problem (a missing comma, `->`, `else if`, a stray
 * token, a dangling `+`) changes what lighttpd reads, and other findings may only be its
 * consequences: a module "missing" because the comma before it is missing, a key "missing" because
 * the comma dropped it. Such a finding keeps pointing at what it sees, names the cause, and offers
 * no fix of its own: the cause's fix is applied first, and the next fix pass sees what is left.
 */
import type { Diagnostic } from "../ast/diagnostics.js";
import { LineIndex } from "../parse/source.js";

/** Rules whose findings are about how the text is read (parser and tokenizer level). */
export const STRUCTURAL_RULES: ReadonlySet<string> = new Set(["syntax-error", "arrow-typo", "missing-comma", "else-if", "stray-token", "dangling-plus", "orphan-else"]);

/** The module a module-not-loaded finding wants ("fastcgi.server needs mod_fastcgi, which ..."). */
function wantedModule(d: Diagnostic): string | undefined {
  return d.ruleId === "module-not-loaded" ? /needs (?:a TLS module \()?(mod_[a-z0-9_]+)/.exec(d.message)?.[1] : undefined;
}

/**
 * Withdraws the fixes of findings caused by a structural finding that has a fix: a structural
 * finding inside the finding's range (it changes the list the finding is about), or a missing
 * comma that drops the very module a module-not-loaded finding asks for. Mutates and returns `diags`.
 */
export function attributeCauses(diags: Diagnostic[], textOf: (file: string) => string | undefined): Diagnostic[] {
  const causes = diags.filter((d) => STRUCTURAL_RULES.has(d.ruleId) && d.fix);
  if (causes.length === 0) return diags;
  const lines = new Map<string, LineIndex | undefined>();
  const lineOf = (c: Diagnostic): number | undefined => {
    if (!lines.has(c.file)) {
      const t = textOf(c.file);
      lines.set(c.file, t === undefined ? undefined : new LineIndex(t));
    }
    return lines.get(c.file)?.position(c.start).line;
  };
  for (const d of diags) {
    if (STRUCTURAL_RULES.has(d.ruleId) || (!d.fix && !d.suggestions)) continue;
    const module = wantedModule(d);
    const cause = causes.find((c) => {
      // inside the list the finding is about (not a whole `{ ... }` block: that is not one list)
      if (c.file === d.file && c.start >= d.start && c.end <= d.end && (c.start !== d.start || c.end !== d.end)) return !textOf(d.file)?.slice(d.start, d.end).includes("{");
      if (module && c.ruleId === "missing-comma") return textOf(c.file)?.slice(c.start, c.end).includes(`"${module}"`) === true;
      return false;
    });
    if (!cause) continue;
    const line = lineOf(cause);
    d.message += ` (caused by the ${cause.ruleId} finding${line !== undefined ? ` on line ${line}` : ""}${cause.file !== d.file ? ` of ${cause.file}` : ""}: fix that first)`;
    d.related = [...(d.related ?? []), { message: `the cause: ${cause.message}`, file: cause.file, start: cause.start, end: cause.end }];
    delete d.fix;
    delete d.suggestions;
  }
  return diags;
}
