/**
 * The tree as JSON (`lighttpd-lint parse`), for other tools. The format is documented in
 * docs/parse-format.md: nodes are `{"kind","start","end","children"}`, tokens are compact
 * `[type, start, text]` triples (a 5 MB config has 800,000 tokens, so their encoding decides the
 * output size), and `lineStarts` (the SourceText line index) turns any offset into a line and column.
 *
 * The text is written in chunks as it is produced: the whole document is never one string.
 */
import { isToken, type Child } from "./nodes.js";
import { SourceText } from "../../grammar/tokens.js";

export const PARSE_FORMAT = "lighttpd-lint-parse";
export const PARSE_FORMAT_VERSION = 2;

/** A problem as printed: its fields plus the 1-based line and column of its start. */
export type PrintedProblem = object & { start: number; kind?: string };

export interface ParseDocument {
  file: string;
  version: string;
  text: string;
  tree: Child;
  problems: PrintedProblem[];
}

const CHUNK = 1 << 16;

/** Writes the whole `parse` document (one line of JSON ending in a newline) through `write`. */
export function writeParseJson(doc: ParseDocument, write: (chunk: string) => void): void {
  const source = new SourceText(doc.text);
  // `kind` is internal (the incremental re-parse's): not part of docs/parse-format.md.
  const problems = doc.problems.map(({ kind: _kind, ...p }) => ({ ...p, ...source.position(p.start) }));
  write(
    `{"format":"${PARSE_FORMAT}","formatVersion":${PARSE_FORMAT_VERSION},"file":${JSON.stringify(doc.file)},"version":${JSON.stringify(doc.version)},"problems":${JSON.stringify(problems)},"lineStarts":[`,
  );
  writeNumbers(source.lineStarts(), write);
  write(`],"tree":`);
  writeTreeJson(doc.tree, write);
  write("}\n");
}

/** Writes a node (or token) in the format of docs/parse-format.md. */
export function writeTreeJson(root: Child, write: (chunk: string) => void): void {
  let buf = "";
  const walk = (c: Child): void => {
    if (isToken(c)) {
      buf += `["${c.tokenType.name}",${c.startOffset},${JSON.stringify(c.image)}]`;
      return;
    }
    buf += `{"kind":"${c.kind}","start":${c.start},"end":${c.end},"children":[`;
    const children = c.children;
    for (let i = 0; i < children.length; i++) {
      if (i > 0) buf += ",";
      walk(children[i]);
      if (buf.length > CHUNK) {
        write(buf);
        buf = "";
      }
    }
    buf += "]}";
  };
  walk(root);
  write(buf);
}

function writeNumbers(numbers: Int32Array, write: (chunk: string) => void): void {
  for (let i = 0; i < numbers.length; i += 8192) write((i > 0 ? "," : "") + numbers.slice(i, i + 8192).join(","));
}
