import type { FileResult } from "../engine/lint.js";

export interface FormatOptions {
  color: boolean;
  /** Paths are shown relative to this directory (SARIF: it is %SRCROOT%). */
  cwd: string;
  /** lighttpd-lint's version, for SARIF's tool.driver.version. */
  toolVersion?: string;
  /**
   * When given, a formatter may write its output in chunks here and return "" (json, sarif do):
   * a report with many findings is then never one giant string.
   */
  write?: (chunk: string) => void;
}

export type Formatter = (results: FileResult[], options: FormatOptions) => string;
