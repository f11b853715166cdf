/**
 * The composition root: the engine (src/engine/lint.ts) with the rule registry (rules/index.ts).
 * The engine does not import the registry (rules import the engine's helpers, so that would be a
 * cycle); the CLI, the language server, the fixer and the tests lint through here.
 */
import { rules } from "../rules/index.js";
import * as engine from "./engine/lint.js";

export type { FileResult, LintResult } from "./engine/lint.js";
export { RuleContractError } from "./engine/lint.js";

/** Lint options; `rules` defaults to the registry. */
export type LintOptions = Omit<engine.LintOptions, "rules"> & { rules?: engine.LintOptions["rules"] };

/** Lints `mainPath` as a main config, following its includes, with every registered rule. */
export function lint(mainPath: string, options: LintOptions = {}): engine.LintResult {
  return engine.lint(mainPath, { ...options, rules: options.rules ?? rules });
}

/** Lints text that is not (or not yet) on disk, e.g. stdin or an editor buffer. */
export function lintText(text: string, filePath: string, options: LintOptions = {}): engine.LintResult {
  return engine.lintText(text, filePath, { ...options, rules: options.rules ?? rules });
}
