/**
 * --fix: lint, apply non-overlapping fixes to every file in memory, re-lint, repeat (bounded).
 * Nothing touches the disk here; see write.ts.
 */
import fs from "node:fs";
import path from "node:path";
import type { Fix } from "../ast/diagnostics.js";
import { lint, type LintOptions, type LintResult } from "../linter.js";
import { decodeSource, encodeSource } from "../parse/source.js";
import { applyFixes } from "./apply.js";
import { parseConfig } from "../parse/parse.js";

export const MAX_FIX_PASSES = 10;

export interface FixedFile {
  path: string;
  /** The bytes as read before any fix. */
  originalBytes: Uint8Array;
  original: string;
  fixed: string;
  encoding: "utf8" | "latin1";
  appliedFixes: number;
}

export interface FixResult {
  /** Files whose text changed. */
  changed: FixedFile[];
  /** The lint of the final, fixed texts. */
  result: LintResult;
  passes: number;
}

export function fixConfig(mainPath: string, options: LintOptions, includeSuggestions = false): FixResult {
  const baseRead = options.readFile ?? ((f: string) => (fs.existsSync(f) ? fs.readFileSync(f) : undefined));
  const files = new Map<string, FixedFile>();
  const read = (f: string): Uint8Array | undefined => {
    const known = files.get(path.resolve(f));
    return known ? encodeSource(known.fixed, known.encoding) : baseRead(f);
  };
  let result = lint(mainPath, { ...options, readFile: read });
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    let progressed = false;
    for (const fr of result.files) {
      const fixes: Fix[] = [];
      for (const d of fr.diagnostics) {
        if (d.fix) fixes.push(d.fix);
        else if (includeSuggestions && d.suggestions?.length) fixes.push(d.suggestions[0]);
      }
      if (fixes.length === 0) continue;
      const { text, applied } = applyFixes(fr.text, fixes);
      if (applied.length === 0 || text === fr.text) continue;
      // A safety net: a fix must never make lighttpd refuse a file it accepted (or add syntax errors).
      const version = result.settings.lighttpdVersion;
      if (parseConfig(text, { version }).problems.length > parseConfig(fr.text, { version }).problems.length) continue;
      const key = path.resolve(fr.filePath);
      let entry = files.get(key);
      if (!entry) {
        const originalBytes = baseRead(fr.filePath) ?? new Uint8Array();
        const decoded = decodeSource(originalBytes);
        entry = { path: fr.filePath, originalBytes, original: decoded.text, fixed: decoded.text, encoding: decoded.encoding, appliedFixes: 0 };
        files.set(key, entry);
      }
      if (entry.fixed !== fr.text) continue; // the linted text is not ours (should not happen)
      entry.fixed = text;
      entry.appliedFixes += applied.length;
      progressed = true;
    }
    if (!progressed) break;
    passes++;
    result = lint(mainPath, { ...options, readFile: read });
  }
  return { changed: [...files.values()].filter((f) => f.fixed !== f.original), result, passes };
}
