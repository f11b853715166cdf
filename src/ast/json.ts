/** The tree as JSON (`lighttpd-lint parse`), for other tools: nodes with ranges, tokens with their text. */
import { isToken, type Child } from "./nodes.js";
import type { LineIndex } from "../parse/source.js";

export function treeToJson(node: Child, lines: LineIndex): unknown {
  const range = (start: number, end: number) => {
    const s = lines.position(start);
    const e = lines.position(end);
    return { start, end, startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
  };
  const walk = (c: Child): unknown => {
    if (isToken(c)) {
      const trivia = c.tokenType.GROUP === "trivia";
      return { token: c.tokenType.name, text: c.image, ...(trivia ? { trivia: true } : {}), ...range(c.startOffset, c.startOffset + c.image.length) };
    }
    return { kind: c.kind, ...range(c.start, c.end), children: c.children.map(walk) };
  };
  return walk(node);
}
