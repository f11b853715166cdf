/**
 * Where an offset sits, for people: the headers of the condition blocks (and `global`) around it,
 * outermost first (`$HTTP["host"] == "a"`, `$HTTP["url"] =~ "^/x"`), like gixy's enclosing blocks.
 */
import type { BlockNode, ConfigNode, Statement } from "./nodes.js";

/** The condition headers around each offset in `text`, whose syntax tree is `tree`. */
export function conditionsAround(tree: ConfigNode, text: string, offsets: readonly number[]): string[][] {
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
  return offsets.map((o) => walk(tree.body, o, []));
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
