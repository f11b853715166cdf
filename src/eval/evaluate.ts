/** Evaluator entry point (placeholder stage: parses the main file only; includes and values come next). */
import fs from "node:fs";
import { decodeSource } from "../parse/source.js";
import { parseConfig } from "../parse/parse.js";
import type { Context, EvaluateOptions, EvaluatedConfig, SourceFile } from "./model.js";

export function evaluate(mainPath: string, options: EvaluateOptions): EvaluatedConfig {
  const read = options.readFile ?? ((p: string) => fs.readFileSync(p));
  const bytes = read(mainPath) ?? new Uint8Array();
  const { text } = decodeSource(bytes);
  const parse = parseConfig(text, { version: options.version });
  const main: SourceFile = { path: mainPath, text, parse, includeChain: [] };
  const global: Context = { id: 0, branches: [], settings: new Map(), children: [] };
  return { main: mainPath, global, contexts: [global], files: new Map([[mainPath, main]]), diagnostics: [], incomplete: true };
}
