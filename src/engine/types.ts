/** The rule interface: ESLint's anatomy (meta + check) over lighttpd's evaluated configuration. */
import type { Diagnostic, Severity } from "../ast/diagnostics.js";
import type { EvaluatedConfig } from "../eval/model.js";

export interface RuleMeta {
  /** Public, stable id: `socket-in-tmp`. Also the docs page name: docs/rules/<id>.md. */
  id: string;
  /** One line, shown by `lighttpd-lint rules`. */
  description: string;
  severity: Severity;
  /** "fix": a safe fix applied by --fix; "suggestion": offered, applied only with --fix-suggestions. */
  fixable: "fix" | "suggestion" | false;
  /**
   * What a finding of this rule means for lighttpd: it refuses the config (`-tt`/`-p` fail), it
   * accepts it but the setting silently has no effect, it accepts it but reads it differently than
   * written, it starts but fails when serving, or it is a security/operations risk.
   * (Optional until every rule declares it — issue 11.)
   */
  effect?: RuleEffect;
  /** Free-form labels for `--select`/`--ignore` and SARIF (e.g. "security"). */
  tags?: string[];
}

export type RuleEffect = "refused" | "ignored" | "misread" | "runtime" | "risk";

/**
 * What a rule reports: a diagnostic without its rule id (the engine adds it) and with an optional
 * severity that overrides the rule's default for this finding (rare: e.g. info for a partial case).
 */
export type Report = Omit<Diagnostic, "ruleId" | "severity"> & { severity?: Severity };

export interface LintSettings {
  /** Target lighttpd version ("1.4.69"). */
  lighttpdVersion: string;
  /** Where backend sockets belong (socket-in-tmp's fix target). */
  socketDir: string;
  /** Check the file system (socket dirs, bin-path, docroot, pemfile). */
  checkFs: boolean;
  /** Root of a mounted image for --check-fs. */
  root: string;
}

export interface RuleContext {
  config: EvaluatedConfig;
  settings: LintSettings;
  /** Options for this rule. No rule takes any today: .lighttpd-lint.json accepts only `[severity]` or `[severity, {}]` (src/engine/config-schema.ts). */
  ruleOptions: Record<string, unknown>;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export type { Diagnostic, Severity };
