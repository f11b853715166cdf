/** Questions about the evaluated config at a place in a file: which context, what a variable holds. */
import path from "node:path";
import type { Context, EvaluatedConfig, Setting, Value } from "../eval/model.js";

/** The innermost context (condition block) a position of a file belongs to. */
export function contextAt(config: EvaluatedConfig, file: string, offset: number, depth = 0): Context {
  let best: Context | undefined;
  let bestSize = Infinity;
  for (const ctx of config.contexts) {
    for (const b of ctx.branches) {
      if (path.resolve(b.file) !== file) continue;
      const block = b.node.block;
      if (!block || offset < block.start || offset > block.end) continue;
      const size = block.end - block.start;
      if (size < bestSize) [best, bestSize] = [ctx, size];
    }
  }
  if (best) return best;
  // Not inside a block of this file: an included file starts in the context of its include.
  const source = [...config.files.values()].find((f) => path.resolve(f.path) === file);
  const via = source?.includeChain[source.includeChain.length - 1];
  if (via && depth < 50) return contextAt(config, path.resolve(via.file), via.start, depth + 1);
  return config.global;
}

/** A key's setting as seen from a context: lighttpd looks variables up in the context, then its parents. */
export function lookupSetting(ctx: Context | undefined, name: string): { setting: Setting; context: Context } | undefined {
  const key = name.toLowerCase();
  for (let c = ctx; c; c = c.parent) {
    const s = c.settings.get(key);
    if (s) return { setting: s, context: c };
  }
  return undefined;
}

const MAX_SHOWN = 2000;

/** A value in lighttpd's syntax, as `lighttpd -p` would print it (shortened when huge). */
export function formatValue(v: Value, indent = ""): string {
  const out = format(v, indent);
  return out.length > MAX_SHOWN ? out.slice(0, MAX_SHOWN) + "\n…" : out;
}

function format(v: Value, indent: string): string {
  switch (v.type) {
    case "string":
      return JSON.stringify(v.value);
    case "integer":
      return String(v.value);
    case "unknown":
      return `(unknown: ${v.reason})`;
    case "array": {
      if (v.items.length === 0) return "( )";
      const inner = indent + "  ";
      const items = v.items.map((i) => inner + (i.key !== undefined ? `${JSON.stringify(i.key)} => ` : "") + format(i.value, inner));
      return `(\n${items.join(",\n")},\n${indent})`;
    }
  }
}
