/**
 * --fix: lint, apply non-overlapping fixes to every file in memory, re-lint, repeat (bounded).
 * Nothing touches the disk here; see write.ts.
 *
 * Safety, in each pass:
 * - root causes first: when structural fixes (missing comma, `->`, ...) are on offer, a pass applies
 *   only those, and the next lint sees what is left of the other findings (root-cause.ts);
 * - the whole config is linted again with the pass's fixes (full evaluation, not only syntax), and
 *   a fix is dropped when it brings a new error-severity finding (e.g. the duplicate key a fix
 *   collides into: lighttpd refuses the config), or a new finding within the text it wrote (a
 *   fix that says it was pointless). A fix with a new finding on its own text is dropped at once;
 *   the others that spoil a pass are found by bisection, so a clean pass costs one lint;
 * - findings that offer the very same edits (a module missing for 2,000 vhosts) are one fix;
 * - only files inside the fix root (the main config's directory, or --fix-root) that look like
 *   lighttpd configuration are changed, never through a symlink leaving the root (scope.ts).
 */
import { defaultReadFile } from "../util/read-file.js";
import path from "node:path";
import type { Diagnostic, Fix, TextEdit } from "../ast/diagnostics.js";
import { lint, type LintOptions, type LintResult } from "../linter.js";
import { capFile, findingGroup, RAW_FINDINGS_PER_RULE } from "../engine/lint.js";
import { decodeSource, encodeSource } from "../parse/source.js";
import { applyFixes } from "./apply.js";
import { STRUCTURAL_RULES } from "../engine/root-cause.js";
import { fixScope } from "./scope.js";

export const MAX_FIX_PASSES = 10;

export interface FixedFile {
  path: string;
  /** The bytes as read before any fix. */
  originalBytes: Uint8Array;
  original: string;
  fixed: string;
  encoding: "utf8" | "latin1";
  appliedFixes: number;
}

export interface FixResult {
  /** Files whose text changed. */
  changed: FixedFile[];
  /** The lint of the final, fixed texts. */
  result: LintResult;
  passes: number;
  /** Files with fixes on offer that --fix does not change, and why (outside the fix root, not a config, ...). */
  refused: { path: string; reason: string }[];
  /** Fixes left out because they would have made things worse (a new error, or a finding on their own text). */
  dropped: { file: string; ruleId: string; description: string }[];
}

export interface FixOptions {
  /** Only files under this directory are changed (default: the main config's directory). */
  fixRoot?: string;
}

/** One fix on offer: the finding it belongs to, and its edits by (resolved) file. */
interface Candidate {
  diag: Diagnostic;
  fix: Fix;
  files: Map<string, TextEdit[]>;
  /** Other findings whose fix makes exactly these edits: applied, counted and dropped with this one. */
  twins: Diagnostic[];
}

/** Where a pass's fixes wrote, per file: [start, end) in the new text, and the fix that wrote it. */
type Written = Map<string, [number, number, Candidate][]>;

export function fixConfig(mainPath: string, options: LintOptions, includeSuggestions = false, fixOptions: FixOptions = {}): FixResult {
  const diskRead = options.readFile ?? defaultReadFile;
  // Every pass (and every trial) sees the bytes first read: the write later checks the disk still has them.
  const snapshot = new Map<string, Uint8Array | undefined>();
  const baseRead = (f: string): Uint8Array | undefined => {
    const key = path.resolve(f);
    if (!snapshot.has(key)) snapshot.set(key, diskRead(f));
    return snapshot.get(key);
  };
  const scope = fixScope(fixOptions.fixRoot ?? path.dirname(path.resolve(mainPath)));
  const files = new Map<string, FixedFile>();
  const read =
    (overlay: Map<string, string> | undefined) =>
    (f: string): Uint8Array | undefined => {
      const key = path.resolve(f);
      const o = overlay?.get(key);
      const known = files.get(key);
      if (o !== undefined) return encodeSource(o, known?.encoding ?? decodeSource(baseRead(f) ?? new Uint8Array()).encoding);
      return known ? encodeSource(known.fixed, known.encoding) : baseRead(f);
    };
  // Passes see every finding (the output's cap of MAX_FINDINGS_PER_RULE per rule would leave the rest for later passes).
  const lintWith = (overlay?: Map<string, string>) => lint(mainPath, { ...options, readFile: read(overlay), allFindings: true });
  const refused = new Map<string, string>();
  const dropped: FixResult["dropped"] = [];
  const droppedKeys = new Set<string>();

  let result = lintWith();
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const texts = new Map(result.files.map((f) => [path.resolve(f.filePath), f.text]));
    // Once per file and pass, not per fix: the check reads the whole text and resolves symlinks.
    const refusals = new Map<string, string | undefined>();
    const refusal = (f: string) => {
      if (!refusals.has(f)) refusals.set(f, texts.has(f) ? scope.refusal(f, texts.get(f)!) : "the file was not read");
      return refusals.get(f);
    };
    const all = candidates(result, includeSuggestions).filter((c) => {
      for (const f of c.files.keys()) {
        const why = refusal(f);
        if (why) {
          refused.set(f, why);
          return false;
        }
      }
      return !droppedKeys.has(fixKey(c.diag, c.fix));
    });
    if (all.length === 0) break;
    const baseline = { counts: findingCounts(result), reported: result.reported };
    const structural = all.filter((c) => STRUCTURAL_RULES.has(c.diag.ruleId));
    let accepted: Candidate[] = [];
    for (const stage of structural.length && structural.length < all.length ? [structural, all.filter((c) => !structural.includes(c))] : [all]) {
      const trial = (group: Candidate[]): true | Set<Candidate> => {
        const applied = applyCandidates(texts, group);
        if (applied.applied.length === 0) return new Set();
        return worsens(baseline, lintWith(applied.texts), applied.written) ?? true;
      };
      const bad: Candidate[] = [];
      accepted = bisect(stage, trial, bad);
      for (const c of bad) {
        for (const d of [c.diag, ...c.twins]) droppedKeys.add(fixKey(d, c.fix));
        dropped.push({ file: c.diag.file, ruleId: c.diag.ruleId, description: c.fix.description });
      }
      if (accepted.length) break;
    }
    if (accepted.length === 0) break;
    const applied = applyCandidates(texts, accepted);
    for (const [key, text] of applied.texts) {
      if (text === texts.get(key)) continue;
      let entry = files.get(key);
      if (!entry) {
        const originalBytes = baseRead(key) ?? new Uint8Array();
        const decoded = decodeSource(originalBytes);
        entry = {
          path: result.files.find((f) => path.resolve(f.filePath) === key)?.filePath ?? key,
          originalBytes,
          original: decoded.text,
          fixed: decoded.text,
          encoding: decoded.encoding,
          appliedFixes: 0,
        };
        files.set(key, entry);
      }
      entry.fixed = text;
      for (const c of applied.applied) if (c.files.has(key)) entry.appliedFixes += 1 + c.twins.length;
    }
    passes++;
    result = lintWith();
  }
  // What is shown is capped as a plain lint caps it.
  for (const f of result.files) f.diagnostics = capFile(f.diagnostics, f.filePath, result.reported);
  return {
    changed: [...files.values()].filter((f) => f.fixed !== f.original),
    result,
    passes,
    refused: [...refused].map(([p, reason]) => ({ path: p, reason })),
    dropped,
  };
}

function candidates(result: LintResult, includeSuggestions: boolean): Candidate[] {
  const out: Candidate[] = [];
  const byEdits = new Map<string, Candidate>();
  for (const fr of result.files) {
    for (const d of fr.diagnostics) {
      const fix = d.fix ?? (includeSuggestions ? d.suggestions?.[0] : undefined);
      if (!fix || fix.edits.length === 0) continue;
      const files = new Map<string, TextEdit[]>();
      for (const e of fix.edits) {
        const f = path.resolve(e.file ?? d.file);
        (files.get(f) ?? files.set(f, []).get(f)!).push({ range: e.range, text: e.text });
      }
      const edits = JSON.stringify([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const same = byEdits.get(edits);
      if (same) {
        same.twins.push(d);
        continue;
      }
      const candidate: Candidate = { diag: d, fix, files, twins: [] };
      byEdits.set(edits, candidate);
      out.push(candidate);
    }
  }
  return out;
}

/** A finding's fix, recognisable in the next pass (by rule, place and description). */
function fixKey(d: Diagnostic, fix: Fix): string {
  return `${d.ruleId}\0${d.file}\0${d.start}\0${fix.description}`;
}

/**
 * Applies the candidates to the texts, each file's edits with applyFixes; a candidate spanning
 * several files goes in only when all its parts do (else it waits for the next pass).
 */
function applyCandidates(texts: Map<string, string>, group: Candidate[]): { texts: Map<string, string>; applied: Candidate[]; written: Written } {
  let active = group;
  for (let round = 0; round < 4; round++) {
    const out = new Map(texts);
    const written: Written = new Map();
    const partsApplied = new Map<Candidate, number>();
    const byFile = new Map<string, { fix: Fix; cand: Candidate }[]>();
    for (const c of active) for (const [f, edits] of c.files) (byFile.get(f) ?? byFile.set(f, []).get(f)!).push({ fix: { description: c.fix.description, edits }, cand: c });
    for (const [f, parts] of byFile) {
      const text = texts.get(f);
      if (text === undefined) continue;
      const owner = new Map(parts.map((p) => [p.fix, p.cand]));
      const r = applyFixes(
        text,
        parts.map((p) => p.fix),
      );
      for (const fx of r.applied) partsApplied.set(owner.get(fx)!, (partsApplied.get(owner.get(fx)!) ?? 0) + 1);
      out.set(f, r.text);
      written.set(
        f,
        r.written.map(([start, end], i) => [start, end, owner.get(r.writtenBy[i])!]),
      );
    }
    const applied = active.filter((c) => partsApplied.get(c) === c.files.size);
    const partial = active.filter((c) => (partsApplied.get(c) ?? 0) > 0 && partsApplied.get(c) !== c.files.size);
    if (partial.length === 0 || round === 3) return { texts: partial.length ? texts : out, applied: partial.length ? [] : applied, written };
    active = active.filter((c) => !partial.includes(c));
  }
  return { texts, applied: [], written: new Map() };
}

/**
 * Finding keys (rule, message with numbers blurred: line numbers move when text is inserted) per
 * file. Structural findings count per rule only: a comma fix that reveals the next missing comma
 * of the same list ("missing ',' before "mod_setenv"") is progress, one more of them is not.
 */
function findingKey(d: Diagnostic): string {
  if (STRUCTURAL_RULES.has(d.ruleId)) return `${d.ruleId}\0${d.severity}`;
  return `${d.ruleId}\0${d.severity}\0${d.message.replace(/\d+/g, "#")}`;
}

function findingCounts(result: LintResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of result.files)
    for (const d of f.diagnostics) {
      const k = `${path.resolve(f.filePath)}\0${findingKey(d)}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  return counts;
}

/**
 * Does the fixed config have a new error-severity finding, or a new finding on the text the fixes
 * wrote? (New: more findings of that rule and message in that file than before.) Undefined when it
 * does not; else the fixes with a new finding on their own text (empty when no fix can be named).
 */
function worsens(baseline: { counts: Map<string, number>; reported: Map<string, number> }, after: LintResult, written: Written): Set<Candidate> | undefined {
  const seen = new Map<string, number>();
  let worse: Set<Candidate> | undefined;
  for (const f of after.files) {
    const file = path.resolve(f.filePath);
    const ranges = written.get(file) ?? [];
    for (const d of f.diagnostics) {
      const k = `${file}\0${findingKey(d)}`;
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      if (n <= (baseline.counts.get(k) ?? 0)) continue;
      // Past the memory bound the lists hold only a rule's first findings: which ones changes with
      // the text, so only the rule's total says whether there are more (a module added for 1,250
      // vhosts leaves 1,250 findings of another module where 500 of each were listed).
      const group = findingGroup(d.ruleId, f.filePath);
      const [before, now] = [baseline.reported.get(group) ?? 0, after.reported.get(group) ?? 0];
      if ((before > RAW_FINDINGS_PER_RULE || now > RAW_FINDINGS_PER_RULE) && now <= before) continue;
      // a finding on the token a fix wrote (its quotes included) is about the fix itself (e.g. "max-procs has no effect" after a rename)
      const own = ranges.filter(([s, e]) => e > s && d.start >= s - 1 && d.end <= e + 1);
      if (d.severity !== "error" && own.length === 0) continue;
      worse ??= new Set();
      for (const [, , c] of own) worse.add(c);
    }
  }
  return worse;
}

/**
 * The largest prefix-greedy subset of `list` that passes `check`, found by halving: a group that
 * passes as a whole costs one check; fixes the check names as culprits are dropped without a split;
 * only groups with an unnamed bad fix are split (by rule, then in halves). Bad single fixes go to `bad`.
 */
function bisect(list: Candidate[], check: (group: Candidate[]) => true | Set<Candidate>, bad: Candidate[]): Candidate[] {
  const accepted: Candidate[] = [];
  let checks = 0;
  const rec = (group: Candidate[]): void => {
    if (group.length === 0) return;
    if (checks++ > 200) return; // bounded: what is left waits for the next pass
    const verdict = check([...accepted, ...group]);
    if (verdict === true) {
      accepted.push(...group);
      return;
    }
    const named = group.filter((c) => verdict.has(c));
    if (named.length) {
      bad.push(...named);
      rec(group.filter((c) => !verdict.has(c)));
      return;
    }
    if (group.length === 1) {
      bad.push(group[0]);
      return;
    }
    // A bad fix usually comes with the others of its rule (a module that adds findings wherever it
    // is missing): split by rule first, then in halves.
    const byRule = new Map<string, Candidate[]>();
    for (const c of group) (byRule.get(c.diag.ruleId) ?? byRule.set(c.diag.ruleId, []).get(c.diag.ruleId)!).push(c);
    if (byRule.size > 1) {
      for (const part of byRule.values()) rec(part);
      return;
    }
    const mid = group.length >> 1;
    rec(group.slice(0, mid));
    rec(group.slice(mid));
  };
  rec(list);
  return accepted;
}
