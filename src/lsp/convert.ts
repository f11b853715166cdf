/**
 * Conversions between the engine's world (absolute paths, UTF-16 offsets) and LSP's (URIs,
 * 0-based line/character in UTF-16 code units). The engine's offsets are already UTF-16 offsets
 * into the decoded text, so a position is just "which line, how far into it".
 */
import { printable } from "../format/printable.js";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation, type Position, type Range } from "vscode-languageserver/node";
import { docsUrl, type Diagnostic, type Severity } from "../ast/diagnostics.js";
import { SourceText } from "../../grammar/tokens.js";

export const SOURCE = "lighttpd-lint";

/** Line index with LSP (0-based) positions. */
export class Positions {
  private readonly lines: SourceText;
  /** `lines`: the parse's own line index of this text, when there is one (one index per text, not two). */
  constructor(
    readonly text: string,
    lines?: SourceText,
  ) {
    this.lines = lines?.text === text ? lines : new SourceText(text);
  }
  position(offset: number): Position {
    const p = this.lines.position(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line - 1, character: p.column - 1 };
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
  offset(pos: Position): number {
    // Clamp the character to the line's length, as the LSP spec asks.
    const lineText = this.lines.lineText(pos.line + 1);
    return this.lines.offsetAt(pos.line + 1, Math.min(pos.character, lineText.length) + 1);
  }
  lineText(line0: number): string {
    return this.lines.lineText(line0 + 1);
  }
  get lineCount(): number {
    return this.lines.lineCount;
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/**
 * The path a document is linted under: its file path, or for a buffer that is no file (`untitled:`)
 * a made-up path no config file is near, so it is linted on its own.
 */
export function documentPath(uri: string): string {
  return uriToPath(uri) ?? path.join(path.sep, "lighttpd-lint-buffer", encodeURIComponent(uri));
}

export function pathToUri(file: string): string {
  return pathToFileURL(path.resolve(file)).href;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Supplies the text (for positions) and the URI of any file of a lint result. */
export interface FileLookup {
  positions(file: string): Positions | undefined;
  uri(file: string): string;
}

export function toLspDiagnostic(d: Diagnostic, positions: Positions, files: FileLookup, includeChain: { file: string; start: number; end: number }[]): LspDiagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related ?? []) {
    const pos = files.positions(r.file);
    if (pos) related.push({ location: { uri: files.uri(r.file), range: pos.range(r.start, r.end) }, message: printable(r.message) });
  }
  // A finding in an included file: show where the main config pulled the file in.
  for (let i = includeChain.length - 1; i >= 0; i--) {
    const inc = includeChain[i];
    const pos = files.positions(inc.file);
    if (pos)
      related.push({
        location: { uri: files.uri(inc.file), range: pos.range(inc.start, inc.end) },
        message: i === 0 ? "included from the main config here" : "included from here",
      });
  }
  const out: LspDiagnostic = {
    range: positions.range(d.start, d.end),
    severity: SEVERITY[d.severity],
    code: d.ruleId,
    codeDescription: { href: docsUrl(d.ruleId) },
    source: SOURCE,
    message: printable(d.message),
  };
  if (related.length) out.relatedInformation = related;
  return out;
}
