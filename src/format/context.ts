/**
 * Where a finding sits, for people: the condition blocks around it (`$HTTP["host"] == "a" ›
 * $HTTP["url"] =~ "^/x"`, like gixy's enclosing blocks) and the include chain of its file
 * (`included from lighttpd.conf:47`). Computed only for files with findings, in the formatter.
 */
import type { FileResult } from "../engine/lint.js";
import type { BlockNode, Statement } from "../ast/nodes.js";
import { parseConfig } from "../parse/parse.js";
import { SourceText } from "../../grammar/tokens.js";
import { displayPath } from "./position.js";

/** The headers of the condition blocks (and `global`) that contain `offset`, outermost first. */
export function enclosingConditions(text: string, offsets: number[]): string[][] {
  const tree = parseConfig(text, { version: "1.4.85" }).tree;
  const header = (from: number, to: number) => text.slice(from, to).replace(/\s+/g, " ").trim();
  const inside = (b: BlockNode | undefined, o: number) => b !== undefined && o > b.open.startOffset && o < (b.close ? b.close.startOffset : b.end + 1);
  const walk = (body: Statement[], o: number, acc: string[]): string[] => {
    for (const s of body) {
      if (o < s.start || o > s.end) continue;
      if (s.kind === "conditionChain") {
        for (const br of s.branches) if (br.block && inside(br.block, o)) return walk(br.block.body, o, [...acc, header(br.start, br.block.open.startOffset)]);
      } else if (s.kind === "global" && s.block && inside(s.block, o)) return walk(s.block.body, o, [...acc, "global"]);
    }
    return acc;
  };
  return offsets.map((o) => walk(tree.body, o, []));
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
