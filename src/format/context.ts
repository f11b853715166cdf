/**
 * Where a finding sits, for people: the condition blocks around it (`$HTTP["host"] == "a" ›
 * $HTTP["url"] =~ "^/x"`, like gixy's enclosing blocks) and the include chain of its file
 * (`included from lighttpd.conf:47`). Computed only for files with findings, in the formatter.
 */
import type { FileResult } from "../engine/lint.js";
import type { BlockNode, ConfigNode, Statement } from "../ast/nodes.js";
import { parseConfig } from "../parse/parse.js";
import { SourceText } from "../../grammar/tokens.js";
import { displayPath } from "./position.js";

/**
 * The headers of the condition blocks (and `global`) that contain each offset, outermost first.
 * `tree` is the lint's own parse of `text` when there is one (a 5 MB file is not parsed again);
 * without it the text is parsed here, in the most permissive release's grammar.
 */
export function enclosingConditions(text: string, offsets: number[], tree?: ConfigNode): string[][] {
  const body = (tree ?? parseConfig(text, { version: "1.4.85", lazy: true }).tree).body;
  const header = (from: number, to: number) => text.slice(from, to).replace(/\s+/g, " ").trim();
  const inside = (b: BlockNode | undefined, o: number) => b !== undefined && o > b.open.startOffset && o < (b.close ? b.close.startOffset : b.end + 1);
  const walk = (statements: Statement[], o: number, acc: string[]): string[] => {
    const s = statements[lastStartingAtOrBefore(statements, o)];
    if (s === undefined || o > s.end) return acc;
    if (s.kind === "conditionChain") {
      for (const br of s.branches) if (br.block && inside(br.block, o)) return walk(br.block.body, o, [...acc, header(br.start, br.block.open.startOffset)]);
    } else if (s.kind === "global" && s.block && inside(s.block, o)) return walk(s.block.body, o, [...acc, "global"]);
    return acc;
  };
  return offsets.map((o) => walk(body, o, []));
}

/** Index of the last statement that starts at or before `offset` (-1 if none): statements are in text order. */
function lastStartingAtOrBefore(statements: Statement[], offset: number): number {
  let lo = 0;
  let hi = statements.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (statements[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** `lighttpd.conf:47 › conf-enabled/x.conf:3`: where a file is included from, outermost first. */
export function includeChainText(file: FileResult, all: FileResult[], cwd: string): string | undefined {
  if (file.includeChain.length === 0) return undefined;
  const texts = new Map(all.map((r) => [r.filePath, r.text]));
  return file.includeChain
    .map((o) => {
      const text = texts.get(o.file);
      return text === undefined ? displayPath(o.file, cwd) : `${displayPath(o.file, cwd)}:${new SourceText(text).position(o.start).line}`;
    })
    .join(" › ");
}
