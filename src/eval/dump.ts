/**
 * `lighttpd -p`: the evaluated configuration printed exactly as lighttpd 1.4 prints it
 * (configfile.c: config_print_config / config_print_array / config_print_string), so our
 * evaluation can be compared byte for byte with the real binary's.
 */
import { dumpFormat, FALLBACK_VERSION, type DumpFormat } from "../util/version.js";
import type { ArrayValue, Context, EvaluatedConfig, Setting, Value } from "./model.js";
import { stringValue } from "./values.js";

/** Output is handed on in pieces of about this many characters (CLI: one write each). */
const CHUNK = 64 * 1024;

/** Runs of blanks, built once per length (indentation and key padding). */
const blanks: string[] = [];
const spaces = (n: number): string => (n <= 0 ? "" : n > 256 ? " ".repeat(n) : (blanks[n] ??= " ".repeat(n)));
const indent = (depth: number): string => spaces(depth * 4);

/**
 * Collects the output and hands it on in pieces of about CHUNK characters, so a dump of a 5 MB
 * config is never one string. The small pieces are joined once per chunk: appending them with `+=`
 * builds ropes that survive into the old generation and must be flattened (measured: 3x slower).
 */
class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(
    readonly format: DumpFormat,
    private readonly sink: (chunk: string) => void,
  ) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.sink(this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}

/** Lengths are byte lengths in lighttpd (buffer_clen). */
const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/** What `lighttpd -p -f <main>` writes to stdout (including the final newline from puts()). */
export function dumpConfig(config: EvaluatedConfig): string {
  const chunks: string[] = [];
  writeDump(config, (c) => void chunks.push(c));
  return chunks.join("");
}

/** dumpConfig's text, handed to `write` in order in pieces of about 64 KiB (the CLI streams it). */
export function writeDump(config: EvaluatedConfig, write: (chunk: string) => void): void {
  const out = new Out(dumpFormat(config.version ?? FALLBACK_VERSION), write);
  printContext(config.global, out, 0, new Set());
  out.push("\n");
  out.flush();
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
    if (!catchAll) out.push(`${out.format.ifKeyword ? "if " : ""}${conditionText(context)} `);
    out.push(`{\n${indent(depth + 1)}# block ${context.id}\n`);
  }
  depth++;
  const settings: Setting[] = context.printOrder ?? [...context.settings.values()];
  // Each key's byte length once: the widest one sets the column of " = ".
  const lengths = settings.map((s) => byteLength(s.printedKey ?? s.key));
  let maxlen = 0;
  for (const n of lengths) if (n > maxlen) maxlen = n;
  for (let i = 0; i < settings.length; i++) {
    const s = settings[i];
    out.push(`${indent(depth)}${s.printedKey ?? s.key}${spaces(maxlen - lengths[i])} = `);
    printValue(asStoredByLighttpd(s, out.format), out, depth);
    out.push("\n");
  }
  out.push("\n");
  for (const child of context.children) {
    // Only the first block of an else chain; the others are printed by their predecessor.
    if (child.prev) continue;
    out.push(`\n${indent(depth)}`);
    printContext(child, out, depth, seen);
    out.push("\n");
  }
  depth--;
  out.push(`${indent(depth)}}`);
  if (context.id !== 0) out.push(` # end of ${catchAll ? "else" : conditionText(context)}`);
  if (context.next && !seen.has(context.next)) {
    out.push(`\n${indent(depth)}else `);
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
    return tag === value.value ? value : stringValue(tag);
  }
  if (key === "mimetype.assign" && value.type === "array" && format.jsTextJavascript) {
    const index = value.items.findIndex((item) => item.key !== undefined && item.key.toLowerCase() === ".js");
    const js = index >= 0 ? value.items[index] : undefined;
    if (js && js.value.type === "string" && js.value.value === "application/javascript") {
      const items = value.items.slice();
      items[index] = { key: js.key, value: stringValue("text/javascript") };
      return { ...value, items };
    }
  }
  return value;
}

/** A value as `lighttpd -p` prints it at the given nesting depth (arrays of more than 5 items span lines). */
export function formatValue(value: Value, depth = 0, version = FALLBACK_VERSION): string {
  let text = "";
  const out = new Out(dumpFormat(version), (c) => (text += c));
  printValue(value, out, depth);
  out.flush();
  return text;
}

function printValue(value: Value, out: Out, depth: number): void {
  switch (value.type) {
    case "string":
      out.push(`"${value.value.includes('"') ? value.value.replace(/"/g, '\\"') : value.value}"`);
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
      for (let i = 0; i < items.length; i++) {
        if (i !== 0) out.push(", ");
        printValue(items[i].value, out, depth + 1);
      }
      out.push(")");
      return;
    }
  }
  // Each key read once (a folded item slices it from the text on each read) with its byte length:
  // the widest one sets the column of " => ".
  const keys = items.map((item) => item.key);
  const lengths = keys.map((key) => (key === undefined ? 0 : byteLength(key)));
  let maxlen = 0;
  for (const n of lengths) if (n > maxlen) maxlen = n;
  const inner = indent(depth + 1);
  out.push("(\n");
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const key = keys[i];
    if (key === undefined) out.push(inner);
    else {
      if (counts && i > 0 && i % 5 === 0) out.push(`${inner}# ${i}\n`);
      out.push(`${inner}"${key}"${spaces(maxlen - lengths[i])} => `);
    }
    printValue(item.value, out, depth + 1);
    out.push(",\n");
  }
  // array.c (1.4.59): `if (!(i && (i - 1 % 5) == 0))`, i.e. unless there is exactly one element.
  if (counts && items.length !== 1) out.push(`${inner}# ${items.length}\n`);
  out.push(`${indent(depth)})`);
}
