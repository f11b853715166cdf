import type { FileResult } from "../engine/lint.js";

export interface FormatOptions {
  color: boolean;
  cwd: string;
}

export type Formatter = (results: FileResult[], options: FormatOptions) => string;
