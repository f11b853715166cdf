import type { FileResult } from "../engine/lint.js";

export interface FormatOptions {
  color: boolean;
  /** Paths are shown relative to this directory (SARIF: it is %SRCROOT%). */
  cwd: string;
  /** lighttpd-lint's version, for SARIF's tool.driver.version. */
  toolVersion?: string;
}

export type Formatter = (results: FileResult[], options: FormatOptions) => string;
