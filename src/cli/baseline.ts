/**
 * Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE` then reports only
 * new ones. A finding is keyed by rule, file (relative to the baseline file, so a checkout elsewhere
 * matches) and a hash of its context: the text of the lines it covers, whitespace collapsed, and
 * the text it points at. Not its line number: edits elsewhere in the file do not invalidate it.
 * The same key twice (two identical lines) is counted, so a third copy is new.
 */
import fs from "node:fs";
import path from "node:path";
import type { FileResult } from "../engine/lint.js";
import { contextHash } from "../format/fingerprint.js";
import { isPseudoFile } from "../format/position.js";
import { UsageError } from "./errors.js";

export interface BaselineEntry {
  rule: string;
  file: string;
  hash: string;
  count: number;
  /** For people reading the file; not part of the key. */
  message: string;
}

export interface Baseline {
  version: 1;
  tool: "lighttpd-lint";
  findings: BaselineEntry[];
}

function fileKey(filePath: string, baselineDir: string): string {
  if (isPseudoFile(filePath)) return filePath;
  return path.relative(baselineDir, path.resolve(filePath)).split(path.sep).join("/");
}

const key = (rule: string, file: string, hash: string) => `${rule}\0${file}\0${hash}`;

export function makeBaseline(results: FileResult[], baselineFile: string): Baseline {
  const dir = path.dirname(path.resolve(baselineFile));
  const byKey = new Map<string, BaselineEntry>();
  for (const r of results) {
    const file = fileKey(r.filePath, dir);
    for (const d of r.diagnostics) {
      const hash = contextHash(d, r.text);
      const k = key(d.ruleId, file, hash);
      const e = byKey.get(k);
      if (e) e.count++;
      else byKey.set(k, { rule: d.ruleId, file, hash, count: 1, message: d.message.length > 120 ? d.message.slice(0, 117) + "..." : d.message });
    }
  }
  const findings = [...byKey.values()].sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || a.hash.localeCompare(b.hash));
  return { version: 1, tool: "lighttpd-lint", findings };
}

export function writeBaseline(results: FileResult[], baselineFile: string): number {
  const baseline = makeBaseline(results, baselineFile);
  try {
    fs.writeFileSync(baselineFile, JSON.stringify(baseline, null, 2) + "\n");
  } catch (e) {
    throw new UsageError(`cannot write ${baselineFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return baseline.findings.reduce((n, f) => n + f.count, 0);
}

export function readBaseline(baselineFile: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(baselineFile, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read baseline ${baselineFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const b = raw as Baseline;
  const valid =
    typeof b === "object" &&
    b !== null &&
    b.version === 1 &&
    Array.isArray(b.findings) &&
    b.findings.every((f) => typeof f?.rule === "string" && typeof f.file === "string" && typeof f.hash === "string" && Number.isInteger(f.count) && f.count > 0);
  if (!valid) throw new UsageError(`${baselineFile} is not a lighttpd-lint baseline (write one with --write-baseline)`);
  return b;
}

/** The findings not in the baseline; how many were baselined, and how many baselined ones are gone. */
export function applyBaseline(results: FileResult[], baseline: Baseline, baselineFile: string): { results: FileResult[]; baselined: number; gone: number } {
  const dir = path.dirname(path.resolve(baselineFile));
  const left = new Map(baseline.findings.map((f) => [key(f.rule, f.file, f.hash), f.count]));
  let baselined = 0;
  const linted = new Set<string>();
  const out = results.map((r) => {
    const file = fileKey(r.filePath, dir);
    linted.add(file);
    const diagnostics = r.diagnostics.filter((d) => {
      const k = key(d.ruleId, file, contextHash(d, r.text));
      const n = left.get(k) ?? 0;
      if (n <= 0) return true;
      left.set(k, n - 1);
      baselined++;
      return false;
    });
    return { ...r, diagnostics };
  });
  // Only files linted in this run can tell that a finding is gone.
  const gone = baseline.findings.filter((f) => linted.has(f.file)).reduce((n, f) => n + (left.get(key(f.rule, f.file, f.hash)) ?? 0), 0);
  return { results: out, baselined, gone };
}
