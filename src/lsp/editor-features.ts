/**
 * What editors draw from the syntax tree alone: folding ranges (blocks, lists, comment runs),
 * semantic tokens (the same categories as the TextMate grammar in editors/vscode) and the include
 * statements to link. Pure functions of the parse.
 */
import type { Token } from "../../grammar/tokens.js";
import * as T from "../../grammar/tokens.js";
import { valueToken, type ConfigNode, type IncludeNode, type Node } from "../ast/nodes.js";
import { walkNodes } from "./locate.js";
import { lossless, type ParseResult } from "../parse/parse.js";

export interface Fold {
  /** 0-based lines; the last line stays visible (the `}` or `)`). */
  startLine: number;
  endLine: number;
  kind?: "comment";
}

/** Folds for every block and list spanning lines, and every run of two or more comment lines. */
export function foldingRanges(parse: ParseResult): Fold[] {
  const folds: Fold[] = [];
  walkNodes(lossless(parse), (n) => {
    const open = n.kind === "block" || n.kind === "array" ? n.open : undefined;
    const close = n.kind === "block" || n.kind === "array" ? n.close : undefined;
    if (!open || !close || !close.image) return;
    const start = open.startLine! - 1;
    const end = close.startLine! - 2;
    if (end > start) folds.push({ startLine: start, endLine: end });
  });
  // Comment runs: own-line comments on consecutive lines.
  let runStart = -1;
  let runEnd = -1;
  let lastLineWithCode = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) folds.push({ startLine: runStart, endLine: runEnd, kind: "comment" });
    runStart = runEnd = -1;
  };
  for (const t of parse.tokens) {
    const type = t.tokenType;
    if (type === T.WhiteSpace || type === T.Newline || type === T.Eol) continue;
    const line = t.startLine! - 1;
    if (type === T.Comment && line !== lastLineWithCode) {
      if (runStart >= 0 && line === runEnd + 1) runEnd = line;
      else {
        flush();
        runStart = runEnd = line;
      }
    } else {
      if (type !== T.Comment) flush();
      lastLineWithCode = t.endLine! - 1;
    }
  }
  flush();
  return folds.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** The legend of semantic token types (index = the number sent). */
export const SEMANTIC_TOKEN_TYPES = ["keyword", "property", "variable", "string", "regexp", "number", "operator", "comment", "macro"] as const;
type SemType = (typeof SEMANTIC_TOKEN_TYPES)[number];
const typeIndex = new Map<SemType, number>(SEMANTIC_TOKEN_TYPES.map((t, i) => [t, i]));

const OPERATORS = new Set([T.Assign, T.Append, T.ForceAssign, T.Plus, T.ArrayAssign, T.Eq, T.Ne, T.Match, T.NoMatch, T.Prefix, T.Suffix]);
const KEYWORDS = new Set([T.Include, T.IncludeShell, T.Global, T.Else]);

/** Roles only the tree knows: assigned keys, references, regular expressions in conditions. */
function tokenRoles(tree: ConfigNode): Map<Token, SemType> {
  const roles = new Map<Token, SemType>();
  const strings = (n: Node, role: SemType) =>
    walkNodes(n, (m) => {
      if (m.kind === "string") roles.set(valueToken(m), role);
    });
  walkNodes(tree, (n) => {
    if (n.kind === "assignment") roles.set(n.key, "property");
    else if (n.kind === "ref") roles.set(valueToken(n), "variable");
    else if (n.kind === "condition" && n.value && (n.op?.tokenType === T.Match || n.op?.tokenType === T.NoMatch)) strings(n.value, "regexp");
  });
  return roles;
}

/** LSP semantic tokens (relative encoding), one per token on one line. */
export function semanticTokens(parse: ParseResult): number[] {
  const roles = tokenRoles(lossless(parse));
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const t of parse.tokens) {
    if (t.image === "" || t.startLine !== t.endLine) continue; // LSP tokens cannot span lines
    const type = t.tokenType;
    let sem: SemType | undefined = roles.get(t);
    if (!sem) {
      if (type === T.Comment) sem = "comment";
      else if (type === T.StringLit) sem = "string";
      else if (type === T.IntegerLit) sem = "number";
      else if (type === T.Dollar || type === T.SrvVarName) sem = "macro";
      else if (KEYWORDS.has(type)) sem = "keyword";
      else if (OPERATORS.has(type)) sem = "operator";
      else if (type === T.Key) sem = "variable";
    }
    if (!sem) continue;
    const line = t.startLine! - 1;
    const char = t.startColumn! - 1;
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, t.image.length, typeIndex.get(sem)!, 0);
    prevLine = line;
    prevChar = char;
  }
  return data;
}

/** Every include statement (for document links: the server resolves its targets). */
export function includeStatements(tree: ConfigNode): IncludeNode[] {
  const out: IncludeNode[] = [];
  walkNodes(tree, (n) => {
    if (n.kind === "include" && n.arg) out.push(n);
  });
  return out;
}
