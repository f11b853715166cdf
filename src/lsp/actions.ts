/**
 * Code actions: the engine's fix and suggestions of each finding as quick fixes, "disable <rule> for
 * this line", and `source.fixAll.lighttpd-lint` (every safe fix, several passes, like --fix).
 */
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type TextEdit as LspTextEdit } from "vscode-languageserver/node";
import type { Diagnostic, Fix } from "../ast/diagnostics.js";
import type { Positions } from "./convert.js";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.lighttpd-lint`;

/** Rules a "disable for this line" comment makes no sense for. */
const NOT_SUPPRESSIBLE = new Set(["unused-suppression", "internal-error"]);

export interface ActionInput {
  uri: string;
  text: string;
  positions: Positions;
  /** The findings of this file whose range touches the requested range. */
  diagnostics: { engine: Diagnostic; lsp: LspDiagnostic }[];
  /** Requested kinds (`context.only`); undefined means all. */
  only?: string[];
  /** The text with every safe fix applied (computed only when needed). */
  fixAll: () => string | undefined;
  /** The file has fixable findings (anywhere, not just in the range). */
  hasFixable: boolean;
}

function wanted(only: string[] | undefined, kind: string): boolean {
  if (!only) return true;
  return only.some((o) => kind === o || kind.startsWith(o + "."));
}

export function codeActions(input: ActionInput): CodeAction[] {
  const out: CodeAction[] = [];
  if (wanted(input.only, CodeActionKind.QuickFix)) {
    for (const { engine, lsp } of input.diagnostics) {
      // A cross-file fix (an edit with its own `file`) has offsets of another document: --fix applies it, the editor does not.
      if (engine.fix && !crossFile(engine.fix)) out.push(fixAction(input, engine.fix, lsp, true));
      for (const s of engine.suggestions ?? []) if (!crossFile(s)) out.push(fixAction(input, s, lsp, false));
    }
    const seen = new Set<string>();
    for (const { engine, lsp } of input.diagnostics) {
      if (NOT_SUPPRESSIBLE.has(engine.ruleId)) continue;
      const line = input.positions.position(engine.start).line;
      const key = `${engine.ruleId}:${line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        title: `Disable ${engine.ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        edit: { changes: { [input.uri]: [disableEdit(input, engine.ruleId, line)] } },
      });
    }
  }
  if (input.hasFixable && wanted(input.only, FIX_ALL_KIND)) {
    const fixed = input.fixAll();
    if (fixed !== undefined && fixed !== input.text) {
      out.push({ title: "Fix all safe lighttpd-lint problems", kind: FIX_ALL_KIND, edit: { changes: { [input.uri]: [minimalEdit(input.text, fixed, input.positions)] } } });
    }
  }
  return out;
}

function crossFile(fix: Fix): boolean {
  return fix.edits.some((e) => e.file !== undefined);
}

function fixAction(input: ActionInput, fix: Fix, lsp: LspDiagnostic, isSafe: boolean): CodeAction {
  const edits = fix.edits.map((e) => ({ range: input.positions.range(e.range[0], e.range[1]), newText: e.text }));
  return {
    title: isSafe ? `Fix: ${fix.description}` : `Suggestion: ${fix.description}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    isPreferred: isSafe,
    edit: { changes: { [input.uri]: edits } },
  };
}

const NEXT_LINE = /^(\s*#\s*lighttpd-lint-disable-next-line\s+)([A-Za-z0-9_,\s-]+?)(\s*(?:--.*)?)$/;

/** `# lighttpd-lint-disable-next-line <id>` above the line, indented like it (or added to one there). */
export function disableEdit(input: { text: string; positions: Positions }, ruleId: string, line: number): LspTextEdit {
  const lineText = input.positions.lineText(line);
  if (line > 0) {
    const previous = input.positions.lineText(line - 1);
    const m = NEXT_LINE.exec(previous);
    if (m) {
      const at = { line: line - 1, character: m[1].length + m[2].length };
      return { range: { start: at, end: at }, newText: `, ${ruleId}` };
    }
  }
  const indent = /^[ \t]*/.exec(lineText)![0];
  const eol = /\r\n/.test(input.text) ? "\r\n" : "\n";
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}# lighttpd-lint-disable-next-line ${ruleId}${eol}` };
}

/** One edit replacing only the part that differs (keeps the editor's cursor and undo history sane). */
export function minimalEdit(before: string, after: string, positions: Positions): LspTextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { range: positions.range(start, before.length - end), newText: after.slice(start, after.length - end) };
}
