/**
 * Root causes before symptoms. A structural problem (a missing comma, `->`, `else if`, a stray
 * token, a dangling `+`) changes what lighttpd reads, and other findings may only be its
 * consequences: a module "missing" because the comma before it is missing, a key "missing" because
 * the comma dropped it. Such a finding keeps pointing at what it sees, names the cause, and offers
 * no fix of its own: the cause's fix is applied first, and the next fix pass sees what is left.
 */
import type { Diagnostic } from "../ast/diagnostics.js";
import { SourceText } from "../../grammar/tokens.js";

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
  const lines = new Map<string, SourceText | undefined>();
  const lineOf = (c: Diagnostic): number | undefined => {
    if (!lines.has(c.file)) {
      const t = textOf(c.file);
      lines.set(c.file, t === undefined ? undefined : new SourceText(t));
    }
    return lines.get(c.file)?.position(c.start).line;
  };
  const inFile = causesByFile(causes);
  // The missing commas whose text holds `"<module>"`, by module (few modules, asked for again and again).
  const commasFor = new Map<string, number[]>();
  const commasNaming = (module: string): number[] => {
    let list = commasFor.get(module);
    if (!list) {
      list = [];
      for (let i = 0; i < causes.length; i++) {
        const c = causes[i];
        if (c.ruleId === "missing-comma" && textOf(c.file)?.slice(c.start, c.end).includes(`"${module}"`) === true) list.push(i);
      }
      commasFor.set(module, list);
    }
    return list;
  };
  for (const d of diags) {
    if (STRUCTURAL_RULES.has(d.ruleId) || (!d.fix && !d.suggestions)) continue;
    const module = wantedModule(d);
    // The first cause (in finding order) that is inside the list the finding is about (not a whole
    // `{ ... }` block: that is not one list), or a missing comma that drops the very module asked for.
    // Indexed by file and position: a scan of every cause per finding is quadratic on a damaged file.
    const inside = insideCauses(inFile.get(d.file), d);
    const braces = inside.length > 0 && textOf(d.file)?.slice(d.start, d.end).includes("{") === true;
    let first = Infinity;
    if (!braces) for (const i of inside) if (i < first) first = i;
    if (module) {
      // An inside cause under braces is not a cause, even when it is such a comma.
      const excluded = braces ? new Set(inside) : undefined;
      const comma = commasNaming(module).find((i) => !excluded?.has(i));
      if (comma !== undefined && comma < first) first = comma;
    }
    const cause = first === Infinity ? undefined : causes[first];
    if (!cause) continue;
    const line = lineOf(cause);
    d.message += ` (caused by the ${cause.ruleId} finding${line !== undefined ? ` on line ${line}` : ""}${cause.file !== d.file ? ` of ${cause.file}` : ""}: fix that first)`;
    d.related = [...(d.related ?? []), { message: `the cause: ${cause.message}`, file: cause.file, start: cause.start, end: cause.end }];
    delete d.fix;
    delete d.suggestions;
  }
  return diags;
}

interface Indexed {
  start: number;
  end: number;
  /** The cause's index in the list of causes. */
  at: number;
}

/** The causes of each file, by start offset. */
function causesByFile(causes: Diagnostic[]): Map<string, Indexed[]> {
  const out = new Map<string, Indexed[]>();
  causes.forEach((c, at) => {
    let list = out.get(c.file);
    if (!list) out.set(c.file, (list = []));
    list.push({ start: c.start, end: c.end, at });
  });
  for (const list of out.values()) list.sort((a, b) => a.start - b.start || a.at - b.at);
  return out;
}

/** The indexes of the causes within `d`'s range (and not exactly its range). */
function insideCauses(list: Indexed[] | undefined, d: Diagnostic): number[] {
  if (!list) return [];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start < d.start) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < list.length && list[i].start <= d.end; i++) {
    const c = list[i];
    if (c.end <= d.end && (c.start !== d.start || c.end !== d.end)) out.push(c.at);
  }
  return out;
}
