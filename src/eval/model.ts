/**
 * The evaluated configuration: what lighttpd sees after includes, variables, `+=`/`:=` merges and
 * the merging of identical conditions. Rules read this; they never re-implement evaluation.
 */
import type { ArrayElementNode, AssignmentNode, BranchNode, ConditionNode } from "../ast/nodes.js";
import type { Finding } from "../ast/diagnostics.js";
import type { ParseResult } from "../parse/parse.js";

/** A place in a file: where a value, key or block was written. */
export interface Origin {
  file: string;
  start: number;
  end: number;
}

export type Value = StringValue | IntegerValue | ArrayValue | UnknownValue;

interface ValueBase {
  /** The literal (or the whole expression) this value was written as, when it has one place. */
  origin?: Origin;
  /**
   * For a value built with `+` or read from a variable: the values it was made of, in order, so a
   * rule can find the literal that holds e.g. "/tmp" and fix it where it is written.
   */
  parts?: Value[];
  /** Set when the value was copied from a variable (`var.x`, `server.port`, `env.X`). */
  fromVariable?: string;
}

export interface StringValue extends ValueBase {
  type: "string";
  value: string;
}

export interface IntegerValue extends ValueBase {
  type: "integer";
  value: number;
}

export interface ArrayValue extends ValueBase {
  type: "array";
  items: ArrayItem[];
}

/** A value lighttpd-lint cannot know statically (skipped include_shell, env in snippet mode). */
export interface UnknownValue extends ValueBase {
  type: "unknown";
  reason: string;
}

export interface ArrayItem {
  /** The array key (as written; lighttpd compares keys case-insensitively). */
  key?: string;
  keyOrigin?: Origin;
  value: Value;
  /** The element as written in the source (absent for items created by merging). */
  element?: ArrayElementNode;
  file?: string;
}

/** One assignment statement that contributed to a setting. */
export interface AssignmentSite {
  file: string;
  node: AssignmentNode;
  operator: "=" | "+=" | ":=";
}

/** A key's value in one context (the global scope or one condition block). */
export interface Setting {
  /** The key as first written (lighttpd compares keys case-insensitively). */
  key: string;
  value: Value;
  /** Every assignment to this key in this context, in evaluation order. */
  sites: AssignmentSite[];
  /**
   * The spelling lighttpd keeps and `lighttpd -p` prints: `:=` and `+=` store the key as written
   * in that statement (`VAR.A := 1` after `var.a = 0` prints `VAR.A`). Defaults to `key`.
   */
  printedKey?: string;
  /** Set on the predefined `var.CWD` / `var.PID` (they have no assignment site). */
  predefined?: boolean;
}

/** `!^` and `!$` exist only as the negation lighttpd builds for an `else` after `=^` / `=$`. */
export type ConditionOperator = "==" | "!=" | "=~" | "!~" | "=^" | "=$" | "!^" | "!$";

export interface Condition {
  /** `HTTP`, `SERVER`, `REQUEST_HEADER`. */
  object: string;
  /** `host`, `url`, `socket`, or a header name. */
  field: string;
  op: ConditionOperator;
  /** The evaluated right-hand side (before lighttpd's regex simplification). */
  value: string;
  /** As `lighttpd -p` prints it, e.g. `$HTTP["url"] =^ "/a"` (after simplification). */
  text: string;
  /** Where this condition is written (several places when identical conditions were merged). */
  sites: { file: string; node: ConditionNode }[];
  /** The operator as written, before lighttpd's regex simplification (`=~` for `=~ "^/a"`). */
  writtenOp?: ConditionOperator;
  /** The compared string lighttpd keeps after simplification and host/IP normalization. */
  normalized?: string;
  /** Set when the field or the compared value cannot be known here (env.X in a snippet, a skipped include_shell): `value` is a placeholder. */
  unknown?: boolean;
}

export interface Context {
  /** 0 for the global scope, else the block number `lighttpd -p` prints (`# block N`). */
  id: number;
  parent?: Context;
  /** Absent on the global scope. For an `else` branch: the negation lighttpd builds. */
  condition?: Condition;
  /** True for an `else { }` / `else $COND { }` branch. */
  isElse?: boolean;
  /** The branch nodes that open this context (several when identical conditions merge). */
  branches: { file: string; node: BranchNode }[];
  /** Keys set in this context, by lower-cased key, in first-assignment order. */
  settings: Map<string, Setting>;
  children: Context[];
  /**
   * lighttpd's context key (`global / $HTTP["host"] == "a"`); identical keys (compared
   * case-insensitively) are one context.
   */
  key?: string;
  /** The settings in lighttpd's internal order, which `lighttpd -p` prints (`+=` moves a key last). */
  printOrder?: Setting[];
  /** The branch before / after this one in its `else` chain (lighttpd's prev/next links). */
  prev?: Context;
  next?: Context;
  /** Set when lighttpd would have refused this condition (invalid-condition was reported). */
  invalid?: boolean;
}

export interface SourceFile {
  path: string;
  text: string;
  parse: ParseResult;
  /** The include statements that led here from the main config (empty for the main config). */
  includeChain: Origin[];
  /** How the bytes were decoded (latin1 when they are not valid UTF-8), so fixes write them back unchanged. */
  encoding?: "utf8" | "latin1";
  /** Byte offset of the first invalid UTF-8 sequence. */
  invalidUtf8At?: number;
}

export interface EvaluatedConfig {
  /** The main config file's path as given. */
  main: string;
  global: Context;
  /** Every context, indexed by id (0 = global). */
  contexts: Context[];
  /** Every file read, main config first, in the order lighttpd reads them. */
  files: Map<string, SourceFile>;
  /** Evaluation problems (include-not-found, duplicate-key, undefined variable, ...). */
  diagnostics: EvalFinding[];
  /** The target version it was evaluated for (`dump` prints as that release's `-p` does). */
  version?: string;
  /** True when something could not be evaluated (skipped include_shell, snippet mode, ...): rules must not guess. */
  incomplete: boolean;
  /** The environment variables the config read (`env.NAME`) and their values: never quoted in output (src/engine/redact.ts). */
  envRead?: Map<string, string>;
  /** Linted as a fragment (--snippet): the rest of the server's config, e.g. the global settings, is elsewhere. */
  snippet?: boolean;
  /** Every read of a config key or var.* name (`server.port`, `var.x`) that found a value, in evaluation order. */
  reads?: VariableRead[];
}

/**
 * One place a key's value was read (configparser.y copies the value at that point: a later `:=` or
 * `+=` does not change what was read).
 */
export interface VariableRead {
  /** The name as written (`server.port`, `var.x`). */
  key: string;
  /** Where the reference is written. */
  file: string;
  start: number;
  end: number;
  /** The setting the read found and how many of its assignments had run at that point. */
  setting: Setting;
  sitesBefore: number;
  /** The value it read. */
  value: Value;
  /** A `+=` in a block that copied the enclosing scope's value (the range is its key), not a reference. */
  inherited?: boolean;
}

export interface EvaluateOptions {
  /** Target lighttpd version, e.g. "1.4.69". */
  version: string;
  /** Run include_shell commands (only when the user opts in). */
  allowIncludeShell?: boolean;
  /** Lint a fragment: undefined variables and env are unknown values, not errors. */
  snippet?: boolean;
  /** Environment for env.X (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Working directory for var.CWD and `./` includes (defaults to process.cwd()). */
  cwd?: string;
  /** Reads a file; defaults to fs. Lets the LSP lint unsaved buffers. */
  readFile?: (path: string) => Uint8Array | undefined;
  /**
   * The text of a file held as text (an editor's open buffer), asked before `readFile`: read as its
   * UTF-8 bytes would be, without encoding all of it on every keystroke.
   */
  readText?: (path: string) => string | undefined;
  /** The value of var.PID (defaults to process.pid; null: unknown, for deterministic lint messages). */
  pid?: number | null;
  /** Time limit for one include_shell command (default 10 s). */
  includeShellTimeoutMs?: number;
  /**
   * A parse of a file the caller already has (the LSP keeps one per open buffer and updates it
   * incrementally). Called with the file's absolute path, its decoded text and the target version;
   * the result is used only when its `text` and `version` are exactly these, else the file is parsed.
   */
  parse?: (path: string, text: string, version: string) => ParseResult | undefined;
}

/** Every rule id the evaluator can report (each is a registered rule: test/finding-ids.test.ts). */
export const EVAL_RULE_IDS = [
  "include-not-found",
  "include-cycle",
  "include-shell-skipped",
  "invalid-utf8",
  "input-too-large",
  "not-text",
  "env-assign",
  "duplicate-key",
  "duplicate-array-key",
  "unreachable-else",
  "invalid-condition",
  "too-many-conditions",
  "type-mismatch",
  "integer-overflow",
  "integer-truncated",
  "undefined-variable",
  "internal-error",
  "not-regular-file",
  "include-too-deep",
  "value-too-large",
] as const;
export type EvalRuleId = (typeof EVAL_RULE_IDS)[number];
/** An evaluator finding: its rule's default severity applies (the evaluator does not restate it). */
export type EvalFinding = Finding<EvalRuleId>;
