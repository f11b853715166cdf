/** Diagnostics and fixes shared by every stage (parser, evaluator, rules, CLI, LSP). */

export type Severity = "error" | "warning" | "info";

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

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
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
}

export { docsUrl } from "../package-info.js";
