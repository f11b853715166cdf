/**
 * The engine: evaluate a main config, run every enabled rule, apply severities and suppressions.
 * The CLI and the LSP both call `lint`; neither has rule logic of its own.
 */
import { defaultReadFile } from "../util/read-file.js";
import path from "node:path";
import { refusedOnLoad, type Diagnostic, type Severity } from "../ast/diagnostics.js";
import { tokenEnd } from "../ast/nodes.js";
import { conditionsAround } from "../ast/conditions.js";
import { evaluate } from "../eval/evaluate.js";
import type { EvaluateOptions, EvaluatedConfig } from "../eval/model.js";
import { SourceText } from "../../grammar/tokens.js";
import { resolveTargetVersion } from "../util/version.js";
import type { ProjectConfig, RuleConfig } from "./types.js";
import { redact } from "./redact.js";
import { attributeCauses, STRUCTURAL_RULES } from "./root-cause.js";
import { applySuppressions, findSuppressions } from "./suppressions.js";
import { internalError } from "./internal-error.js";
import type { LintSettings, Report, Rule } from "./types.js";

export interface LintOptions {
  /** Project configuration (.lighttpd-lint.json merged with command-line overrides). */
  project?: ProjectConfig;
  allowIncludeShell?: boolean;
  snippet?: boolean;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Overrides reading files (unsaved editor buffers, stdin, in-memory fix passes). */
  readFile?: (file: string) => Uint8Array | undefined;
  /** Files held as text, asked before `readFile` (the language server's open buffers: EvaluateOptions.readText). */
  readText?: (file: string) => string | undefined;
  /** Rules to run: the registry (rules/index.ts), injected by src/linter.ts; the engine does not import it. */
  rules: Rule[];
  /** var.PID's value; default unknown (null), so that no finding depends on it. `dump` passes the real one. */
  pid?: number | null;
  /** Parses the caller already has (see EvaluateOptions.parse). */
  parse?: EvaluateOptions["parse"];
  /**
   * Throw when a rule breaks its meta's promises (a fix from a rule whose meta says it has none),
   * instead of quietly dropping the fix. On in tests (LIGHTTPD_LINT_STRICT=1, vitest.config.ts).
   */
  strict?: boolean;
  /**
   * Files outside this directory are named, never quoted (src/engine/redact.ts). Default: the main
   * config's directory; `false` shows everything (only for callers that print nothing).
   */
  projectRoot?: string | false;
  /**
   * Keep every finding up to the memory bound, not only the first MAX_FINDINGS_PER_RULE per rule
   * and file that output shows: the --fix loop fixes them all in one pass.
   */
  allFindings?: boolean;
}

/** A rule broke its contract (strict mode): a bug in the rule, surfaced in tests. */
export class RuleContractError extends Error {}

function checkContract(rule: Rule, r: Report): void {
  if (r.fix && rule.meta.fixable === false) throw new RuleContractError(`rule ${rule.meta.id} reported a fix but its meta says fixable: false`);
  // `dump` runs only the rules whose meta says "refused" (refusalRules): no other rule may refuse.
  if (r.effect === "refused" && rule.meta.effect !== "refused")
    throw new RuleContractError(`rule ${rule.meta.id} reported a refused finding but its meta's effect is ${rule.meta.effect}`);
}

/**
 * The rules that decide whether lighttpd refuses a config (what `dump` needs before it prints): the
 * ones whose meta's effect is "refused" (checkContract holds the others to it), and the structural
 * ones, which name themselves as the cause in those findings' messages (attributeCauses).
 */
export function refusalRules(rules: Rule[]): Rule[] {
  return rules.filter((r) => r.meta.effect === "refused" || STRUCTURAL_RULES.has(r.meta.id));
}

/**
 * Per file, the findings for which `lighttpd -p` refuses the config (RuleMeta.effect), and internal
 * errors: what was evaluated is then incomplete, so a dump would be a guess.
 */
export function refusals(files: FileResult[]): FileResult[] {
  return files.map((f) => ({ ...f, diagnostics: f.diagnostics.filter((d) => refusedOnLoad(d) || d.ruleId === "internal-error") }));
}

export interface FileResult {
  filePath: string;
  text: string;
  diagnostics: Diagnostic[];
  /** The include statements that led to this file (empty for the main config). */
  includeChain: { file: string; start: number; end: number }[];
}

export interface LintResult {
  /** One entry per file read: the main config first, then included files. */
  files: FileResult[];
  config: EvaluatedConfig;
  settings: LintSettings;
  /**
   * How many findings each rule reported per file (key `findingGroup(ruleId, file)`), suppressed ones and those
   * past the memory bound included: where a rule passed RAW_FINDINGS_PER_RULE, the files' lists hold
   * only the first ones and only this total says whether there are more or fewer than before.
   */
  reported: Map<string, number>;
}

export const DEFAULT_SOCKET_DIR = "/run/lighttpd";

export function resolveSettings(project: ProjectConfig | undefined): LintSettings & { versionSource: string } {
  const { version, source } = resolveTargetVersion(project?.lighttpdVersion);
  return {
    lighttpdVersion: version,
    versionSource: source,
    socketDir: project?.socketDir ?? DEFAULT_SOCKET_DIR,
    checkFs: project?.checkFs ?? false,
    root: project?.root ?? "/",
  };
}

/** Lints `mainPath` as a main config, following its includes. Never throws for bad input. */
export function lint(mainPath: string, options: LintOptions): LintResult {
  const settings = resolveSettings(options.project);
  const config = evaluate(mainPath, {
    version: settings.lighttpdVersion,
    allowIncludeShell: options.allowIncludeShell,
    snippet: options.snippet,
    env: options.env,
    cwd: options.cwd,
    pid: options.pid === undefined ? null : options.pid, // var.PID differs on every run: findings must not depend on it
    readFile: options.readFile,
    readText: options.readText,
    parse: options.parse,
  });
  const ruleConfigs = options.project?.rules ?? {};
  const strict = options.strict ?? process.env.LIGHTTPD_LINT_STRICT === "1";
  const raw: Diagnostic[] = [];
  // Findings per rule and file: past RAW_FINDINGS_PER_RULE only counted (a 31 MiB file of `;` has
  // 16M findings; keeping them all exhausts memory). The output shows MAX_FINDINGS_PER_RULE.
  const counted = new Map<string, number>();
  const overflowed = new Set<string>();
  for (const rule of options.rules) {
    const rc: RuleConfig = ruleConfigs[rule.meta.id] ?? {};
    if (rc.severity === "off") continue;
    const severity: Severity = rc.severity ?? rule.meta.severity;
    const configured = rc.severity !== undefined;
    // The group of the last finding's file: a rule reports mostly in one file (one key, not one per finding).
    let groupFile: string | undefined;
    let group = "";
    try {
      rule.check({
        config,
        settings,
        report(r) {
          if (strict) checkContract(rule, r);
          if (r.file !== groupFile) {
            groupFile = r.file;
            group = findingGroup(rule.meta.id, r.file);
          }
          const n = (counted.get(group) ?? 0) + 1;
          counted.set(group, n);
          if (n > RAW_FINDINGS_PER_RULE) {
            overflowed.add(r.file);
            return;
          }
          const effect = r.effect ?? rule.meta.effect;
          // A suggestion rule's fix is its first suggestion; a copy of the rule's list (no list when there is none).
          const suggested = rule.meta.fixable === "suggestion" && r.fix ? r.fix : undefined;
          const suggestions = suggested ? [suggested, ...(r.suggestions ?? [])] : r.suggestions?.length ? [...r.suggestions] : undefined;
          const d: Diagnostic = {
            ruleId: rule.meta.id,
            severity: configured ? severity : (r.severity ?? severity),
            message: r.message,
            file: r.file,
            start: r.start,
            end: r.end,
            fix: rule.meta.fixable === "fix" ? r.fix : undefined,
            suggestions,
            related: r.related,
            effect,
          };
          if (effect === "refused") d.refusedAt = r.refusedAt ?? rule.meta.refusedAt ?? "load";
          raw.push(d);
        },
      });
    } catch (e) {
      if (e instanceof RuleContractError) throw e;
      const meta = internalError.meta;
      raw.push({
        ruleId: meta.id,
        severity: meta.severity,
        effect: meta.effect,
        message: `rule ${rule.meta.id} failed: ${(e as Error).message} (please report this bug)`,
        file: mainPath,
        start: 0,
        end: 0,
      });
    }
  }
  // Findings of earlier stages whose rule is not registered still reach the user (never a silent pass).
  const registered = new Set(options.rules.map((r) => r.meta.id));
  for (const d of config.diagnostics) if (!registered.has(d.ruleId)) raw.push({ ...d, severity: d.severity ?? "error" });
  dropForeignCascade(raw);
  for (const d of raw) if (d.suggestions && d.suggestions.length === 0) delete d.suggestions;
  attributeCauses(raw, (f) => config.files.get(f)?.text); // a symptom of a missing comma offers no fix of its own

  const files: FileResult[] = [];
  const unusedSetting = ruleConfigs["unused-suppression"]?.severity;
  // Findings by file, grouped once: a glob can register 10,000 files.
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of raw) {
    let list = byFile.get(d.file);
    if (!list) byFile.set(d.file, (list = []));
    list.push(d);
  }
  for (const [filePath, source] of config.files) {
    // A suppression comment holds this text: most files have none, and then no token needs a look.
    const suppressions = source.text.includes("lighttpd-lint-disable") ? findSuppressions(source.parse.tokens) : [];
    // Line numbers are needed only to match suppressions: skip the index for the usual file without any.
    const lines = suppressions.length ? new SourceText(source.text) : undefined;
    const own = byFile.get(filePath) ?? [];
    const kept = lines ? applySuppressions(own, suppressions, lines) : own;
    if (unusedSetting !== "off") {
      for (const s of suppressions) {
        // A rule turned off (--disable, --ignore, "off") cannot use its suppression: not a stale one.
        const unused = s.ids.filter((id) => !s.used.has(id) && !(id === "all" && s.used.size > 0) && ruleConfigs[id]?.severity !== "off");
        if (unused.length === 0) continue;
        const c = s.comment;
        kept.push({
          ruleId: "unused-suppression",
          severity: (unusedSetting as Severity | undefined) ?? "warning",
          message: `this suppression of ${unused.join(", ")} suppresses nothing: remove it`,
          file: filePath,
          start: c.startOffset,
          end: tokenEnd(c),
          fix: unused.length === s.ids.length ? { description: "remove the comment", edits: [{ range: [c.startOffset, tokenEnd(c)], text: "" }] } : undefined,
          effect: "ignored",
        });
      }
    }
    kept.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
    const diagnostics = options.allFindings ? kept : capFile(kept, filePath, counted, overflowed.has(filePath));
    // While the tree is at hand (a formatter that parsed again took 2 s on a 5 MB file; results keep no trees).
    if (diagnostics.length) {
      const around = conditionsAround(
        source.parse.tree,
        source.text,
        diagnostics.map((d) => d.start),
      );
      diagnostics.forEach((d, i) => (d.conditions = around[i]));
    }
    files.push({ filePath, text: source.text, diagnostics, includeChain: source.includeChain });
  }
  // Findings in files the evaluator did not register (should not happen) still reach the user.
  const known = new Set(config.files.keys());
  const orphans = raw.filter((d) => !known.has(d.file));
  if (orphans.length) files.push({ filePath: mainPath, text: "", diagnostics: orphans, includeChain: [] });
  const root = options.projectRoot === false ? undefined : (options.projectRoot ?? path.dirname(path.resolve(options.cwd ?? process.cwd(), mainPath)));
  redact(files, config, root);
  return { files, config, settings, reported: counted };
}

/** The key of a rule's findings in one file (LintResult.reported). */
export const findingGroup = (ruleId: string, file: string): string => `${ruleId}\0${file}`;

/**
 * A file's findings (sorted) as output shows them: capFindings, counting what the memory bound
 * dropped from `reported`. `anyDropped` false: no rule passed the bound in this file (a shortcut).
 */
export function capFile(sorted: Diagnostic[], file: string, reported: ReadonlyMap<string, number>, anyDropped = true): Diagnostic[] {
  return capFindings(sorted, (id) => Math.max(0, (reported.get(findingGroup(id, file)) ?? 0) - RAW_FINDINGS_PER_RULE), anyDropped);
}

/** At most this many findings of one rule in one file are shown; then one "and K more" finding. */
export const MAX_FINDINGS_PER_RULE = 100;
/** Findings of one rule in one file kept before suppressions apply (the rest are only counted). */
export const RAW_FINDINGS_PER_RULE = 1000;

/**
 * The first MAX_FINDINGS_PER_RULE findings of each rule (in position order), then one finding of
 * the same rule and severity that says how many more there are. `dropped(id)`: findings of that rule
 * counted but never kept.
 */
export function capFindings(sorted: Diagnostic[], dropped: (ruleId: string) => number = () => 0, anyDropped = true): Diagnostic[] {
  if (sorted.length <= MAX_FINDINGS_PER_RULE && !anyDropped) return sorted;
  const seen = new Map<string, number>();
  for (const d of sorted) seen.set(d.ruleId, (seen.get(d.ruleId) ?? 0) + 1);
  let over = false;
  for (const [id, n] of seen) if (n > MAX_FINDINGS_PER_RULE || dropped(id) > 0) over = true;
  if (!over) return sorted;
  const shown = new Map<string, number>();
  const out: Diagnostic[] = [];
  for (const d of sorted) {
    const n = (shown.get(d.ruleId) ?? 0) + 1;
    shown.set(d.ruleId, n);
    if (n <= MAX_FINDINGS_PER_RULE) out.push(d);
    else if (n === MAX_FINDINGS_PER_RULE + 1) {
      const more = seen.get(d.ruleId)! - MAX_FINDINGS_PER_RULE + dropped(d.ruleId);
      out.push({
        ruleId: d.ruleId,
        severity: d.severity,
        file: d.file,
        start: d.start,
        end: d.end,
        conditions: d.conditions,
        message: `and ${more} more ${d.ruleId} finding${more === 1 ? "" : "s"} in this file, not shown: lighttpd-lint shows at most ${MAX_FINDINGS_PER_RULE} per rule and file (this is the first one not shown)`,
      });
    }
  }
  return out;
}

/**
 * A file in another server's language (wrong-dialect) is one finding: its syntax errors, stray
 * tokens and whatever the evaluator made of the fragments it could read are that one cause.
 */
function dropForeignCascade(raw: Diagnostic[]): void {
  const foreign = new Set(raw.filter((d) => d.ruleId === "wrong-dialect").map((d) => d.file));
  if (foreign.size === 0) return;
  let kept = 0;
  for (const d of raw) if (!foreign.has(d.file) || d.ruleId === "wrong-dialect") raw[kept++] = d;
  raw.length = kept;
}

/** Lints text that is not (or not yet) on disk, e.g. stdin or an editor buffer. */
export function lintText(text: string, filePath: string, options: LintOptions): LintResult {
  const abs = path.resolve(filePath);
  const outer = options.readFile ?? defaultReadFile;
  const bytes = Buffer.from(text, "utf8");
  return lint(abs, { ...options, readFile: (f) => (path.resolve(f) === abs ? bytes : outer(f)) });
}
