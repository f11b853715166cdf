/** The rule interface: ESLint's anatomy (meta + check) over lighttpd's evaluated configuration. */
import type { Finding, RefusedAt, RuleEffect, Severity } from "../ast/diagnostics.js";
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
   * Everything that asks "does lighttpd refuse this?" (dump, parse, the differential tests) reads it.
   */
  effect: RuleEffect;
  /** For a refused rule: lighttpd refuses while reading the config (default) or only when starting. */
  refusedAt?: RefusedAt;
  /** Free-form labels for `--select`/`--ignore` and SARIF (e.g. "security"). */
  tags?: string[];
}

/**
 * What a rule reports: a diagnostic without its rule id (the engine adds it) and with an optional
 * severity that overrides the rule's default for this finding (rare: e.g. info for a partial case).
 */
export type Report = Omit<Finding, "ruleId"> & {
  /** Rare: this finding's effect differs from the rule's (a refused rule's finding that is only ignored). */
  effect?: RuleEffect;
  refusedAt?: RefusedAt;
};

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
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export type { RefusedAt, RuleEffect, Severity };

/** A rule's setting in .lighttpd-lint.json (src/config/config.ts reads and checks the file). */
export type RuleSetting = Severity | "off";

export interface RuleConfig {
  severity?: RuleSetting;
}

/** The project's settings (.lighttpd-lint.json, or the editor's), as the engine takes them. */
export interface ProjectConfig {
  lighttpdVersion?: string;
  socketDir?: string;
  checkFs?: boolean;
  root?: string;
  rules: Record<string, RuleConfig>;
}
