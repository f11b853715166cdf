/**
 * Where a finding sits, for people: the condition blocks around it (`$HTTP["host"] == "a" ›
 * $HTTP["url"] =~ "^/x"`, like gixy's enclosing blocks) and the include chain of its file
 * (`included from lighttpd.conf:47`). Shown by the stylish output.
 */
import type { FileResult } from "../engine/lint.js";
import type { Diagnostic } from "../ast/diagnostics.js";
import { conditionsAround } from "../ast/conditions.js";
import { parseConfig } from "../parse/parse.js";
import { SourceText } from "../../grammar/tokens.js";
import { displayPath } from "./position.js";

/**
 * The headers of the condition blocks (and `global`) around each finding, outermost first. The
 * engine computes them from its own parse (`Diagnostic.conditions`); a finding without them (made
 * outside a lint) has its file parsed here, in the most permissive release's grammar.
 */
export function enclosingConditions(text: string, diagnostics: readonly Pick<Diagnostic, "start" | "conditions">[]): string[][] {
  const known = diagnostics.map((d) => d.conditions);
  if (known.every((c) => c !== undefined)) return known as string[][];
  const parsed = conditionsAround(
    parseConfig(text, { version: "1.4.85", lazy: true }).tree,
    text,
    diagnostics.map((d) => d.start),
  );
  return diagnostics.map((d, i) => d.conditions ?? parsed[i]);
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
