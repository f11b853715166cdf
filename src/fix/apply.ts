/**
 * Applying fixes as minimal text edits. Edits never re-print the file: bytes outside the edited
 * ranges stay as they were. A fix whose edits overlap an earlier fix's is deferred to the next pass.
 */
import type { Fix, TextEdit } from "../ast/diagnostics.js";

export interface ApplyResult {
  text: string;
  applied: Fix[];
  deferred: Fix[];
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  const [as, ae] = a.range;
  const [bs, be] = b.range;
  // Two insertions at the same point conflict too (their order would be arbitrary).
  if (as === ae && bs === be) return as === bs;
  return as < be && bs < ae || (as === ae && as > bs && as < be) || (bs === be && bs > as && bs < ae);
}

export function applyFixes(text: string, fixes: Fix[]): ApplyResult {
  const accepted: TextEdit[] = [];
  const applied: Fix[] = [];
  const deferred: Fix[] = [];
  const ordered = [...fixes].sort((x, y) => firstStart(x) - firstStart(y));
  for (const fix of ordered) {
    const valid = fix.edits.every((e) => e.range[0] >= 0 && e.range[1] <= text.length && e.range[0] <= e.range[1]);
    if (!valid) continue;
    if (fix.edits.some((e) => accepted.some((a) => overlaps(a, e))) || selfOverlapping(fix.edits)) {
      deferred.push(fix);
      continue;
    }
    accepted.push(...fix.edits);
    applied.push(fix);
  }
  accepted.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = "";
  let pos = 0;
  for (const e of accepted) {
    out += text.slice(pos, e.range[0]) + e.text;
    pos = e.range[1];
  }
  out += text.slice(pos);
  return { text: out, applied, deferred };
}

function firstStart(f: Fix): number {
  return Math.min(...f.edits.map((e) => e.range[0]));
}

function selfOverlapping(edits: TextEdit[]): boolean {
  for (let i = 0; i < edits.length; i++) for (let j = i + 1; j < edits.length; j++) if (overlaps(edits[i], edits[j])) return true;
  return false;
}
