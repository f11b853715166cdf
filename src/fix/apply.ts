/**
 * Applying fixes as minimal text edits. Edits never re-print the file: bytes outside the edited
 * ranges stay as they were. A fix whose edits overlap an earlier fix's is deferred to the next pass.
 *
 * O(n log n) in the number of edits: one sort, one sweep that finds overlapping edits (only edits
 * still "open" at a point are compared), one join. (150k one-character fixes once took minutes.)
 */
import type { Fix, TextEdit } from "../ast/diagnostics.js";

export interface ApplyResult {
  text: string;
  applied: Fix[];
  deferred: Fix[];
  /** Where the applied edits' replacement texts are in the new text, in order. */
  written: [number, number][];
  /** The fix each `written` range belongs to. */
  writtenBy: Fix[];
}

/** Two edits conflict when they overlap, or are two insertions at the same point (their order would be arbitrary). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  const [as, ae] = a.range;
  const [bs, be] = b.range;
  if (as === ae && bs === be) return as === bs;
  return as < be && bs < ae;
}

interface Item {
  edit: TextEdit;
  fix: number;
}

export function applyFixes(text: string, fixes: Fix[]): ApplyResult {
  const starts = fixes.map(firstStart);
  const order = fixes.map((_, i) => i).sort((x, y) => starts[x] - starts[y] || x - y);
  const rank = new Int32Array(fixes.length);
  order.forEach((f, r) => (rank[f] = r));
  const usable = fixes.map((f) => f.edits.length > 0 && f.edits.every((e) => e.range[0] >= 0 && e.range[1] <= text.length && e.range[0] <= e.range[1]));
  const items: Item[] = [];
  fixes.forEach((f, i) => usable[i] && f.edits.forEach((edit) => items.push({ edit, fix: i })));
  items.sort((a, b) => a.edit.range[0] - b.edit.range[0] || a.edit.range[1] - b.edit.range[1] || rank[a.fix] - rank[b.fix]);

  // Sweep: every pair of conflicting edits, found among the edits still open at each start.
  const conflicts = new Map<number, number[]>();
  const selfOverlap = new Set<number>();
  const open: Item[] = [];
  for (const it of items) {
    const s = it.edit.range[0];
    let kept = 0;
    for (const o of open) if (o.edit.range[1] > s || (o.edit.range[0] === o.edit.range[1] && o.edit.range[0] === s)) open[kept++] = o;
    open.length = kept;
    for (const o of open) {
      if (!overlaps(o.edit, it.edit)) continue;
      if (o.fix === it.fix) selfOverlap.add(it.fix);
      else {
        (conflicts.get(o.fix) ?? conflicts.set(o.fix, []).get(o.fix)!).push(it.fix);
        (conflicts.get(it.fix) ?? conflicts.set(it.fix, []).get(it.fix)!).push(o.fix);
      }
    }
    open.push(it);
  }

  // Greedy in the order of the fixes' first edits: a fix goes in when nothing it conflicts with did.
  const accepted = new Uint8Array(fixes.length);
  const applied: Fix[] = [];
  const deferred: Fix[] = [];
  for (const i of order) {
    if (!usable[i]) continue;
    if (selfOverlap.has(i) || (conflicts.get(i) ?? []).some((j) => accepted[j])) {
      deferred.push(fixes[i]);
      continue;
    }
    accepted[i] = 1;
    applied.push(fixes[i]);
  }

  const parts: string[] = [];
  const written: [number, number][] = [];
  const writtenBy: Fix[] = [];
  let pos = 0;
  let outLen = 0;
  for (const it of items) {
    if (!accepted[it.fix]) continue;
    const keep = text.slice(pos, it.edit.range[0]);
    parts.push(keep, it.edit.text);
    outLen += keep.length;
    written.push([outLen, outLen + it.edit.text.length]);
    writtenBy.push(fixes[it.fix]);
    outLen += it.edit.text.length;
    pos = it.edit.range[1];
  }
  parts.push(text.slice(pos));
  return { text: parts.join(""), applied, deferred, written, writtenBy };
}

function firstStart(f: Fix): number {
  let min = Infinity;
  for (const e of f.edits) if (e.range[0] < min) min = e.range[0];
  return min;
}
