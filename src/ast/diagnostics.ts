/** Diagnostics and fixes shared by every stage (parser, evaluator, rules, CLI, LSP). */

export type Severity = "error" | "warning" | "info";

/**
 * What a finding means for lighttpd: it refuses the config, it accepts it but the setting silently
 * has no effect, it accepts it but reads it differently than written, it starts but fails when
 * serving, or it is a security/operations risk. Declared by each rule (`RuleMeta.effect`).
 */
export type RuleEffect = "refused" | "ignored" | "misread" | "runtime" | "risk";

/**
 * When lighttpd refuses: while reading the config (`lighttpd -t` and `-p` fail: the parser, the
 * evaluator, core keys) or only when it starts (`-tt` and startup fail: modules' set_defaults, loading
 * modules, files it opens).
 */
export type RefusedAt = "load" | "start";

/** A replacement of the text between two offsets of one file (UTF-16 offsets, end exclusive). */
export interface TextEdit {
  range: [number, number];
  text: string;
  /**
   * The file the range belongs to, when it is not the finding's own file: a cross-file fix (a
   * module-not-loaded in an included file edits server.modules where it is set).
   */
  file?: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  message: string;
  file: string;
  start: number;
  end: number;
}

/**
 * The one shape of a finding, from every stage (parser, evaluator, rules): the id of the rule that
 * owns it, where, and what to do about it. `severity` only when it differs from the rule's default
 * (rare); the engine fills in the rest (Diagnostic). Each stage types its ids (ParseRuleId, SilentKind,
 * EvalRuleId) so the meta-test can check that every id it can emit is a registered rule.
 */
export interface Finding<Id extends string = string> {
  ruleId: Id;
  message: string;
  /** Absolute or as-given path of the file the range belongs to. */
  file: string;
  start: number;
  end: number;
  /** A safe repair, applied by `--fix`. */
  fix?: Fix;
  /** Repairs that may change behaviour beyond the finding: offered, applied only with `--fix-suggestions`. */
  suggestions?: Fix[];
  related?: RelatedLocation[];
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
  /** Overrides the rule's effect for this finding (what lighttpd does with this very case). */
  effect?: RuleEffect;
}

/** A finding as the engine hands it out: severity resolved, effect known. */
export interface Diagnostic extends Finding {
  severity: Severity;
  /** What lighttpd does with it (the rule's effect, or the finding's own); set by the engine. */
  effect?: RuleEffect;
  /** For a refused finding: when lighttpd refuses it. */
  refusedAt?: RefusedAt;
  /**
   * The headers of the condition blocks around it, outermost first (`$HTTP["host"] == "a"`): set by
   * the engine from its own parse, for people (stylish output); not part of the JSON output.
   */
  conditions?: string[];
}

/** True when `lighttpd -t` / `lighttpd -p` refuse the config because of this finding. */
export function refusedOnLoad(d: Pick<Diagnostic, "effect" | "refusedAt">): boolean {
  return d.effect === "refused" && d.refusedAt !== "start";
}

export { docsUrl } from "../package-info.js";
