/**
 * `lighttpd -p`: the evaluated configuration printed exactly as lighttpd 1.4 prints it
 * (configfile.c: config_print_config / config_print_array / config_print_string), so our
 * evaluation can be compared byte for byte with the real binary's.
 */
import { dumpFormat, FALLBACK_VERSION, type DumpFormat } from "../util/version.js";
import type { ArrayValue, Context, EvaluatedConfig, Setting, Value } from "./model.js";

const indent = (depth: number): string => " ".repeat(depth * 4);

/** Appends to one string (V8 ropes make this cheaper than joining millions of pieces). */
class Out {
  text = "";
  constructor(readonly format: DumpFormat) {}
  push(...parts: string[]): void {
    for (const p of parts) this.text += p;
  }
}

/** Lengths are byte lengths in lighttpd (buffer_clen). */
const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/** What `lighttpd -p -f <main>` writes to stdout (including the final newline from puts()). */
export function dumpConfig(config: EvaluatedConfig): string {
  const out = new Out(dumpFormat(config.version ?? FALLBACK_VERSION));
  printContext(config.global, out, 0, new Set());
  return `${out.text}\n`;
}

function isCatchAllElse(context: Context): boolean {
  return context.isElse === true && context.branches.length > 0 && context.branches[0].node.condition === undefined;
}

function conditionText(context: Context): string {
  return context.condition?.text ?? "";
}

function printContext(context: Context, out: Out, depth: number, seen: Set<Context>): void {
  // An else chain can only loop in a config lighttpd refuses; never loop here.
  if (seen.has(context)) return;
  seen.add(context);
  const catchAll = isCatchAllElse(context);
  if (context.id === 0) {
    out.push("config {\n");
  } else {
    if (!catchAll) out.push(out.format.ifKeyword ? "if " : "", conditionText(context), " ");
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
    printValue(asStoredByLighttpd(s, out.format), out, depth);
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

/**
 * Two values that configfile.c: config_insert() rewrites in place before `-p` prints them:
 * server.tag gets header continuations (a blank after each newline; blank-only becomes ""), and
 * mimetype.assign's ".js" => "application/javascript" becomes "text/javascript".
 */
function asStoredByLighttpd(setting: Setting, format: DumpFormat): Value {
  const key = (setting.printedKey ?? setting.key).toLowerCase();
  const value = setting.value;
  if (key === "server.tag" && value.type === "string" && value.value !== "") {
    let tag = value.value;
    for (let i = tag.indexOf("\n"); i >= 0; i = tag.indexOf("\n", i + 2)) {
      if (tag[i + 1] !== " " && tag[i + 1] !== "\t") tag = `${tag.slice(0, i + 1)} ${tag.slice(i + 1)}`;
    }
    if (/^[ \t\r\n]*$/.test(tag)) tag = "";
    return tag === value.value ? value : { ...value, value: tag };
  }
  if (key === "mimetype.assign" && value.type === "array" && format.jsTextJavascript) {
    const index = value.items.findIndex((item) => item.key !== undefined && item.key.toLowerCase() === ".js");
    const js = index >= 0 ? value.items[index] : undefined;
    if (js && js.value.type === "string" && js.value.value === "application/javascript") {
      const items = value.items.slice();
      items[index] = { ...js, value: { ...js.value, value: "text/javascript" } };
      return { ...value, items };
    }
  }
  return value;
}

/** A value as `lighttpd -p` prints it at the given nesting depth (arrays of more than 5 items span lines). */
export function formatValue(value: Value, depth = 0, version = FALLBACK_VERSION): string {
  const out = new Out(dumpFormat(version));
  printValue(value, out, depth);
  return out.text;
}

function printValue(value: Value, out: Out, depth: number): void {
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

function printArray(a: ArrayValue, out: Out, depth: number): void {
  const items = a.items;
  const counts = out.format.arrayCounts;
  // 1.4.59's array_print checks every element for a key; later releases only the first.
  if (items.length <= 5 && (items.length === 0 || (counts ? items.every((i) => i.key === undefined) : items[0].key === undefined))) {
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
  items.forEach((item, i) => {
    out.push(indent(depth + 1));
    if (item.key !== undefined) {
      if (counts && i > 0 && i % 5 === 0) out.push("# ", String(i), "\n", indent(depth + 1));
      out.push('"', item.key, '"', " ".repeat(Math.max(0, maxlen - byteLength(item.key))), " => ");
    }
    printValue(item.value, out, depth + 1);
    out.push(",\n");
  });
  // array.c (1.4.59): `if (!(i && (i - 1 % 5) == 0))`, i.e. unless there is exactly one element.
  if (counts && items.length !== 1) out.push(indent(depth + 1), "# ", String(items.length), "\n");
  out.push(indent(depth), ")");
}
