/**
 * textDocument/formatting and rangeFormatting: the formatter (src/fmt) as minimal LSP edits.
 * The whole document is formatted (a list or block cannot be laid out without its context), then
 * the change is cut into line hunks; a range request keeps the hunks touching the range.
 */
import type { Range, TextEdit } from "vscode-languageserver/node";
import { formatText, type FormatOptions } from "../fmt/format.js";
import { tokenize } from "../../grammar/tokenizer.js";
import * as T from "../../grammar/tokens.js";
import { Positions } from "./convert.js";

export interface Hunk {
  /** Lines [from, to) of the original are replaced by `lines`. */
  from: number;
  to: number;
  lines: string[];
}

export type FormattingAnswer = { ok: true; edits: TextEdit[] } | { ok: false; reason: string; line: number };

/** Splits keeping each line's end, so joining gives the text back. */
const splitLines = (s: string): string[] => (s === "" ? [] : s.split(/(?<=\r\n|\n|\r(?!\n))/));

/** Line hunks turning `a` into `b`: common ends, then an LCS of the middle when it is small. */
export function lineHunks(a: string[], b: string[]): Hunk[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  if (am.length === 0 && bm.length === 0) return [];
  if (am.length * bm.length > 4_000_000) return [{ from: pre, to: pre + am.length, lines: bm }];
  // LCS table (lengths of the common suffixes), then a walk that collects the differing runs.
  const n = am.length;
  const m = bm.length;
  const w = m + 1;
  const L = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i * w + j] = am[i] === bm[j] ? L[(i + 1) * w + j + 1] + 1 : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
    }
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: Hunk | undefined;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      if (open) {
        hunks.push(open);
        open = undefined;
      }
      i++;
      j++;
    } else if (j < m && (i === n || L[i * w + j + 1] >= L[(i + 1) * w + j])) {
      open ??= { from: pre + i, to: pre + i, lines: [] };
      open.lines.push(bm[j++]);
    } else {
      open ??= { from: pre + i, to: pre + i, lines: [] };
      i++;
      open.to = pre + i;
    }
  }
  if (open) hunks.push(open);
  return hunks;
}

function applyHunks(a: string[], hunks: Hunk[]): string {
  const out: string[] = [];
  let at = 0;
  for (const h of hunks) {
    out.push(...a.slice(at, h.from), ...h.lines);
    at = h.to;
  }
  out.push(...a.slice(at));
  return out.join("");
}

/** What formatting must keep: significant tokens (commas aside) and comments. */
function essence(text: string, version: string): string {
  return tokenize(text, version)
    .all.filter((t) => t.tokenType === T.Comment || (!t.tokenType.trivia && t.tokenType !== T.Comma && t.tokenType !== T.Eol))
    .map((t) => t.image.trimEnd())
    .join("\u0000");
}

export function formattingEdits(text: string, options: FormatOptions, range?: Range): FormattingAnswer {
  const r = formatText(text, options);
  if (!r.ok) return { ok: false, reason: r.reason, line: new Positions(text).position(r.offset).line };
  if (!r.changed) return { ok: true, edits: [] };
  const a = splitLines(text);
  let hunks = lineHunks(a, splitLines(r.text));
  if (range) {
    const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
    const picked = hunks.filter((h) => h.from <= last && (h.to > range.start.line || (h.to === h.from && h.from >= range.start.line)));
    // Part of the hunks must still read as the same config; else (rare) the whole change is given.
    const partial = applyHunks(a, picked);
    const check = formatText(partial, options);
    if (check.ok && essence(partial, options.version) === essence(text, options.version)) hunks = picked;
  }
  const positions = new Positions(text);
  const starts: number[] = [];
  let acc = 0;
  for (const l of a) {
    starts.push(acc);
    acc += l.length;
  }
  starts.push(acc);
  return {
    ok: true,
    edits: hunks.map((h) => ({
      range: positions.range(starts[h.from], starts[h.to]),
      newText: h.lines.join(""),
    })),
  };
}
