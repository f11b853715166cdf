/**
 * Go to definition (include → file; variable → its assignments) and references of a variable, over
 * every file of the main config.
 */
import fs from "node:fs";
import path from "node:path";
import { tokenEnd, valueToken, type ConfigNode, type IncludeNode } from "../ast/nodes.js";
import type { EvaluatedConfig } from "../eval/model.js";
import { contextAt, lookupSetting } from "./analysis.js";
import { expressionString, innermost, locate, tokenName, walkNodes } from "./locate.js";
import { lossless } from "../parse/parse.js";

export interface Place {
  file: string;
  start: number;
  end: number;
}

export interface NavigationInput {
  config: EvaluatedConfig;
  file: string;
  tree: ConfigNode;
  offset: number;
}

/** The name of the variable (or key used as one) at the offset: a reference, or an assigned key. */
export function symbolAt(input: NavigationInput): { name: string; start: number; end: number; isReference: boolean } | undefined {
  const { path: nodes, token } = locate(input.tree, input.offset);
  if (!token || tokenName(token) !== "Key") return undefined;
  const last = nodes[nodes.length - 1];
  if (last?.kind === "ref") return { name: token.image, start: token.startOffset, end: tokenEnd(token), isReference: true };
  const assignment = innermost(nodes, "assignment");
  if (assignment?.key === token) return { name: token.image, start: token.startOffset, end: tokenEnd(token), isReference: false };
  return undefined;
}

export function definition(input: NavigationInput): Place[] {
  const { path: nodes } = locate(input.tree, input.offset);
  const include = innermost(nodes, "include");
  if (include) return includeTargets(input, include);
  const symbol = symbolAt(input);
  if (!symbol) return [];
  // The assignments that made the value seen here (the evaluator knows the scoping).
  const found = lookupSetting(contextAt(input.config, input.file, input.offset), symbol.name);
  if (found && found.setting.sites.length) {
    return found.setting.sites.map((s) => ({ file: path.resolve(s.file), start: s.node.key.startOffset, end: tokenEnd(s.node.key) }));
  }
  // Not evaluated (or never set): every assignment of that name.
  return occurrences(input.config, symbol.name).filter((o) => !o.isReference);
}

export function references(input: NavigationInput, includeDeclaration: boolean): Place[] {
  const symbol = symbolAt(input);
  if (!symbol) return [];
  return occurrences(input.config, symbol.name).filter((o) => includeDeclaration || o.isReference);
}

/** Every place a name is assigned or read, in every file of the config. */
export function occurrences(config: EvaluatedConfig, name: string): (Place & { isReference: boolean })[] {
  const wanted = name.toLowerCase();
  const out: (Place & { isReference: boolean })[] = [];
  for (const source of config.files.values()) {
    const file = path.resolve(source.path);
    walkNodes(lossless(source.parse), (n) => {
      if (n.kind === "assignment" && n.key.image.toLowerCase() === wanted) out.push({ file, start: n.key.startOffset, end: tokenEnd(n.key), isReference: false });
      else if (n.kind === "ref" && valueToken(n).image.toLowerCase() === wanted) out.push({ file, start: n.start, end: n.end, isReference: true });
    });
  }
  return out;
}

/** The files an include statement read (from the evaluator), else its literal path resolved like lighttpd. */
function includeTargets(input: NavigationInput, include: IncludeNode): Place[] {
  const out: Place[] = [];
  for (const source of input.config.files.values()) {
    const via = source.includeChain[source.includeChain.length - 1];
    if (via && path.resolve(via.file) === input.file && via.start >= include.start && via.start < include.end) out.push({ file: path.resolve(source.path), start: 0, end: 0 });
  }
  if (out.length || include.shell) return out;
  const literal = expressionString(include.arg);
  if (!literal || /[*?[\]{}]/.test(literal)) return out;
  // Relative paths are relative to the main config's directory (`./` to the cwd, which the server
  // sets to that directory too).
  const target = path.resolve(path.dirname(input.config.main), literal);
  if (fs.existsSync(target)) out.push({ file: target, start: 0, end: 0 });
  return out;
}
