/**
 * `lighttpd -p`: the evaluated configuration printed exactly as lighttpd 1.4 prints it
 * (configfile.c: config_print_config / config_print_array / config_print_string), so our
 * evaluation can be compared byte for byte with the real binary's.
 */
import type { ArrayValue, Context, EvaluatedConfig, Setting, Value } from "./model.js";

const indent = (depth: number): string => " ".repeat(depth * 4);

/** Lengths are byte lengths in lighttpd (buffer_clen). */
const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/** What `lighttpd -p -f <main>` writes to stdout (including the final newline from puts()). */
export function dumpConfig(config: EvaluatedConfig): string {
  const out: string[] = [];
  printContext(config.global, out, 0, new Set());
  return `${out.join("")}\n`;
}

function isCatchAllElse(context: Context): boolean {
  return context.isElse === true && context.branches.length > 0 && context.branches[0].node.condition === undefined;
}

function conditionText(context: Context): string {
  return context.condition?.text ?? "";
}

function printContext(context: Context, out: string[], depth: number, seen: Set<Context>): void {
  // An else chain can only loop in a config lighttpd refuses; never loop here.
  if (seen.has(context)) return;
  seen.add(context);
  const catchAll = isCatchAllElse(context);
  if (context.id === 0) {
    out.push("config {\n");
  } else {
    if (!catchAll) out.push(conditionText(context), " ");
    out.push("{\n", indent(depth + 1), "# block ", String(context.id), "\n");
  }
  depth++;
  const settings: Setting[] = context.printOrder ?? [...context.settings.values()];
  const keyOf = (s: Setting) => s.printedKey ?? s.key;
  let maxlen = 0;
  for (const s of settings) maxlen = Math.max(maxlen, byteLength(keyOf(s)));
  for (const s of settings) {
    const key = keyOf(s);
    out.push(indent(depth), key, " ".repeat(Math.max(0, maxlen - byteLength(key))), " = ");
    printValue(s.value, out, depth);
    out.push("\n");
  }
  out.push("\n");
  for (const child of context.children) {
    // Only the first block of an else chain; the others are printed by their predecessor.
    if (child.prev) continue;
    out.push("\n", indent(depth));
    printContext(child, out, depth, seen);
    out.push("\n");
  }
  depth--;
  out.push(indent(depth), "}");
  if (context.id !== 0) out.push(" # end of ", catchAll ? "else" : conditionText(context));
  if (context.next && !seen.has(context.next)) {
    out.push("\n", indent(depth), "else ");
    printContext(context.next, out, depth, seen);
  }
}

export function printValue(value: Value, out: string[], depth: number): void {
  switch (value.type) {
    case "string":
      out.push('"', value.value.replace(/"/g, '\\"'), '"');
      break;
    case "integer":
      out.push(String(value.value));
      break;
    case "array":
      printArray(value, out, depth);
      break;
    default:
      // Not something lighttpd prints: the value depends on what lighttpd-lint could not evaluate.
      out.push('"<unknown>"');
  }
}

function printArray(a: ArrayValue, out: string[], depth: number): void {
  const items = a.items;
  if (items.length <= 5 && (items.length === 0 || items[0].key === undefined)) {
    if (items.every((i) => i.value.type === "string" || i.value.type === "integer")) {
      out.push("(");
      items.forEach((item, i) => {
        if (i !== 0) out.push(", ");
        printValue(item.value, out, depth + 1);
      });
      out.push(")");
      return;
    }
  }
  let maxlen = 0;
  for (const item of items) if (item.key !== undefined) maxlen = Math.max(maxlen, byteLength(item.key));
  out.push("(\n");
  for (const item of items) {
    out.push(indent(depth + 1));
    if (item.key !== undefined) {
      out.push('"', item.key, '"', " ".repeat(Math.max(0, maxlen - byteLength(item.key))), " => ");
    }
    printValue(item.value, out, depth + 1);
    out.push(",\n");
  }
  out.push(indent(depth), ")");
}
