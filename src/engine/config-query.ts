/**
 * Small read-only queries over the evaluated configuration, shared by the rules so that each rule
 * stays a short description of one pitfall: "every backend host entry", "is this switched on",
 * "where is the literal that holds this part of the value", "add one key to this array".
 */
import type { TextEdit } from "../ast/diagnostics.js";
import type { ArrayElementNode, ArrayNode, ConditionNode } from "../ast/nodes.js";
import { assignmentKeyEnd } from "../ast/nodes.js";
import type { ArrayItem, ArrayValue, Context, EvaluatedConfig, Origin, Setting, StringValue, Value } from "../eval/model.js";
import { itemLiteral, sameIgnoringAsciiCase } from "../eval/values.js";

// ---------------------------------------------------------------------------------------------
// Settings and values

/** A setting of one context, by key (lighttpd compares keys ASCII case-insensitively). */
export function getSetting(ctx: Context, key: string): Setting | undefined {
  return ctx.settings.get(key.toLowerCase());
}

/** One setting of one context; `at` is the context's position in `config.contexts`. */
interface IndexedSetting {
  context: Context;
  key: string;
  setting: Setting;
  at: number;
}

/** Every setting of a config, in context order, and by (lower-cased) key. */
interface SettingsIndex {
  all: IndexedSetting[];
  byKey: Map<string, IndexedSetting[]>;
  /** settingsNamed's merged lists, by their keys (several rules ask for the same keys). */
  named: Map<string, readonly IndexedSetting[]>;
}

const settingsIndexes = new WeakMap<EvaluatedConfig, SettingsIndex>();

/**
 * The settings of every context, collected once per evaluated config (rules never change it):
 * dozens of rules ask "every context's X", and a large config has thousands of contexts.
 */
function settingsIndex(config: EvaluatedConfig): SettingsIndex {
  let index = settingsIndexes.get(config);
  if (!index) {
    const all: IndexedSetting[] = [];
    const byKey = new Map<string, IndexedSetting[]>();
    config.contexts.forEach((context, at) => {
      context.settings.forEach((setting, key) => {
        const entry: IndexedSetting = { context, key, setting, at };
        all.push(entry);
        const list = byKey.get(key);
        if (list) list.push(entry);
        else byKey.set(key, [entry]);
      });
    });
    index = { all, byKey, named: new Map() };
    settingsIndexes.set(config, index);
  }
  return index;
}

/**
 * Every (context, key, setting) of the config: contexts in order, each context's settings in its order.
 * The index's own list (no object per entry: the language server asks on every keystroke).
 */
export function everySetting(config: EvaluatedConfig): readonly { context: Context; key: string; setting: Setting }[] {
  return settingsIndex(config).all;
}

/** The settings stored under exactly this (lower-cased) key, in context order. */
export function settingsWithKey(config: EvaluatedConfig, lowerKey: string): readonly { context: Context; setting: Setting }[] {
  return settingsIndex(config).byKey.get(lowerKey) ?? [];
}

/** Whether any context sets a key that starts with `prefix` (lower-case). */
export function anyKeyStartsWith(config: EvaluatedConfig, prefix: string): boolean {
  for (const key of settingsIndex(config).byKey.keys()) if (key.startsWith(prefix)) return true;
  return false;
}

/** Every (context, setting) pair for the given keys, in context order (entries of the index, not copies). */
export function settingsNamed(config: EvaluatedConfig, ...keys: string[]): readonly { context: Context; setting: Setting }[] {
  const index = settingsIndex(config);
  const nonEmpty = keys.map((k) => index.byKey.get(k.toLowerCase()) ?? NO_SETTINGS).filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? NO_SETTINGS;
  const name = keys.join("\0").toLowerCase();
  let merged = index.named.get(name);
  if (!merged) index.named.set(name, (merged = mergeByContext(nonEmpty)));
  return merged;
}

/** Lists of settings merged by context, and within a context in the order of the lists. */
function mergeByContext(lists: readonly (readonly IndexedSetting[])[]): IndexedSetting[] {
  const merged: IndexedSetting[] = [];
  const next = lists.map(() => 0);
  for (;;) {
    let pick = -1;
    for (let i = 0; i < lists.length; i++) {
      if (next[i] < lists[i].length && (pick < 0 || lists[i][next[i]].at < lists[pick][next[pick]].at)) pick = i;
    }
    if (pick < 0) return merged;
    merged.push(lists[pick][next[pick]++]);
  }
}

const NO_SETTINGS: readonly IndexedSetting[] = [];

/** The item of a keyed array with this key (ASCII case-insensitive, as lighttpd's arrays compare). */
export function arrayEntry(value: Value | undefined, key: string): ArrayItem | undefined {
  if (value?.type !== "array") return undefined;
  for (const item of value.items) {
    const k = item.key; // read once: a folded item slices it from the text on each read
    if (k !== undefined && sameIgnoringAsciiCase(k, key)) return item;
  }
  return undefined;
}

/** The string a value holds, or undefined for integers, arrays and unknown values. */
export function stringOf(value: Value | undefined): string | undefined {
  return value?.type === "string" ? value.value : undefined;
}

/**
 * True when the value, or anything it was built from (its `parts`, e.g. a duplicate key that `+`
 * dropped), is unknown to lighttpd-lint. schema/values.ts resultHasUnknown looks at the resulting
 * value only.
 */
export function hasUnknown(value: Value | undefined): boolean {
  if (!value) return false;
  if (value.type === "unknown") return true;
  if (value.type === "array") {
    // A literal string item (most) holds nothing unknown: asked without making its value object.
    for (const i of value.items) if (itemLiteral(i) === undefined && hasUnknown(i.value)) return true;
    return false;
  }
  return value.parts?.some(hasUnknown) ?? false;
}

const TRUE_WORDS = new Set(["enable", "enabled", "true", "1"]);
const FALSE_WORDS = new Set(["disable", "disabled", "false", "0"]);

/**
 * lighttpd's boolean reading (configfile-glue.c config_plugin_value_tobool): "enable", "enabled",
 * "true", "1" are on; "disable", "disabled", "false", "0" are off (any case); integers are on when
 * non-zero. Anything else (and no value): undefined (lighttpd uses the default).
 */
export function toBool(value: Value | undefined): boolean | undefined {
  if (!value) return undefined;
  if (value.type === "integer") return value.value !== 0;
  if (value.type !== "string") return undefined;
  const word = value.value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** The literals a value was built from, in order (a value read from a variable yields the variable's literal). */
export function leaves(value: Value): Value[] {
  return value.parts && value.parts.length > 0 ? value.parts.flatMap(leaves) : [value];
}

/** The leaf that holds character `index` of a string value, and the index inside that leaf. */
export function leafAt(value: Value, index: number): { leaf: StringValue; offset: number } | undefined {
  let pos = 0;
  for (const leaf of leaves(value)) {
    const text = leaf.type === "string" ? leaf.value : leaf.type === "integer" ? String(leaf.value) : undefined;
    if (text === undefined) return undefined;
    if (index < pos + text.length) {
      return leaf.type === "string" ? { leaf, offset: index - pos } : undefined;
    }
    pos += text.length;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Source text and literal edits

export function sourceText(config: EvaluatedConfig, file: string): string | undefined {
  return config.files.get(file)?.text;
}

/**
 * Maps each character of a string literal's value to its offset in the file, or undefined when
 * the origin is not a plain `"..."` literal (lighttpd's only escape is `\"`).
 */
function literalOffsets(config: EvaluatedConfig, leaf: StringValue): number[] | undefined {
  const o = leaf.origin;
  if (!o) return undefined;
  const text = sourceText(config, o.file);
  if (!text || text[o.start] !== '"' || text[o.end - 1] !== '"') return undefined;
  const offsets: number[] = [];
  let pos = o.start + 1;
  for (const ch of leaf.value) {
    if (ch === '"') {
      if (text[pos] !== "\\" || text[pos + 1] !== '"') return undefined;
      offsets.push(pos);
      pos += 2;
    } else {
      if (text[pos] !== ch) return undefined;
      offsets.push(pos);
      pos += 1;
    }
  }
  if (pos !== o.end - 1) return undefined;
  offsets.push(pos); // the offset "after the last character"
  return offsets;
}

/** An edit replacing characters [from, to) of a string literal's value with `text`. */
export function literalEdit(config: EvaluatedConfig, leaf: StringValue, from: number, to: number, text: string): (TextEdit & { file: string }) | undefined {
  const offsets = literalOffsets(config, leaf);
  if (!offsets || !leaf.origin || from < 0 || to > leaf.value.length || from > to) return undefined;
  return { file: leaf.origin.file, range: [offsets[from], offsets[to]], text: text.replace(/"/g, '\\"') };
}

/** An edit replacing characters [from, to) of a whole (possibly `+`-built) string value, when one literal holds them all. */
export function valueEdit(config: EvaluatedConfig, value: Value, from: number, to: number, text: string): (TextEdit & { file: string; leaf: StringValue }) | undefined {
  if (value.type !== "string") return undefined;
  const start = leafAt(value, from);
  if (!start) return undefined;
  const endOffset = start.offset + (to - from);
  if (endOffset > start.leaf.value.length) return undefined;
  const edit = literalEdit(config, start.leaf, start.offset, endOffset, text);
  return edit ? { ...edit, leaf: start.leaf } : undefined;
}

/** The last literal of a value and an edit point at its end (for appending/removing a trailing char). */
export function lastLeaf(value: Value): StringValue | undefined {
  const all = leaves(value);
  const last = all[all.length - 1];
  return last?.type === "string" ? last : undefined;
}

/**
 * Every place each of `origins` (literals) is used in the evaluated config, as key paths
 * (`["fastcgi.server", ".php", "php", "socket"]`). Variables (`var.*`, `env.*`) are not uses.
 * One walk answers for all of them: a rule asks for every backend of a mass-vhost config, and a
 * walk per question made that quadratic. Only the literals asked about cost an allocation.
 */
export function literalUses(config: EvaluatedConfig, origins: Origin[]): Map<Origin, string[][]> {
  const uses = new Map<Origin, string[][]>();
  // file → start → the origins asked about there (numbers, so that most leaves cost one lookup)
  const wanted = new Map<string, Map<number, Origin[]>>();
  for (const o of origins) {
    uses.set(o, []);
    let byStart = wanted.get(o.file);
    if (!byStart) wanted.set(o.file, (byStart = new Map()));
    const at = byStart.get(o.start);
    if (at) at.push(o);
    else byStart.set(o.start, [o]);
  }
  if (origins.length === 0) return uses;
  const path: string[] = [];
  const walk = (v: Value): void => {
    if (v.type === "array") {
      v.items.forEach((item, i) => {
        path.push(item.key ?? String(i));
        walk(item.value);
        path.pop();
      });
      return;
    }
    let found: Set<Origin> | undefined; // a value that repeats a literal (`x + x`) uses it once
    for (const leaf of leaves(v)) {
      const o = leaf.origin;
      const candidates = o && wanted.get(o.file)?.get(o.start);
      if (!candidates) continue;
      for (const c of candidates) if (c.end === o.end && !found?.has(c)) (found ??= new Set()).add(c);
    }
    if (found) for (const c of found) uses.get(c)!.push([...path]);
  };
  for (const ctx of config.contexts) {
    for (const s of ctx.settings.values()) {
      const k = s.key.toLowerCase();
      if (k.startsWith("var.") || k.startsWith("env.")) continue;
      path.push(s.key);
      walk(s.value);
      path.pop();
    }
  }
  return uses;
}

/** Whether `inner` lies inside the element/node range in the same file. */
export function within(origin: Origin | undefined, file: string | undefined, node: { start: number; end: number } | undefined): boolean {
  return !!origin && !!node && origin.file === file && origin.start >= node.start && origin.end <= node.end;
}

// ---------------------------------------------------------------------------------------------
// Backends: fastcgi.server / scgi.server / proxy.server

export type BackendModule = "fastcgi" | "scgi" | "proxy";
export const BACKEND_MODULES: BackendModule[] = ["fastcgi", "scgi", "proxy"];

export interface BackendHost {
  module: BackendModule;
  context: Context;
  setting: Setting;
  /** The `"<.ext or /prefix>" => (...)` item. */
  ext: ArrayItem;
  /** Its key: `.php`, `/app`, `/`, or "" . */
  extKey: string;
  /** The host entry item (`"label" => ( ... )` or an unlabelled `( ... )`). */
  host: ArrayItem;
  /** The host entry's keys and values. */
  entries: ArrayValue;
  /** The file the host entry is written in (when known). */
  file?: string;
}

/**
 * Every host entry of fastcgi.server, scgi.server and proxy.server in every context (of `modules`),
 * in module, context and list order. Collected once per config: nine rules walk them.
 */
export function backendHosts(config: EvaluatedConfig, modules: readonly BackendModule[] = BACKEND_MODULES): readonly BackendHost[] {
  let all = backendHostLists.get(config);
  if (!all) backendHostLists.set(config, (all = collectBackendHosts(config)));
  return modules === BACKEND_MODULES ? all : all.filter((h) => modules.includes(h.module));
}

const backendHostLists = new WeakMap<EvaluatedConfig, BackendHost[]>();

function collectBackendHosts(config: EvaluatedConfig): BackendHost[] {
  const out: BackendHost[] = [];
  for (const module of BACKEND_MODULES) {
    for (const { context, setting } of settingsNamed(config, `${module}.server`)) {
      if (setting.value.type !== "array") continue;
      for (const ext of setting.value.items) {
        if (ext.value.type !== "array") continue;
        for (const host of ext.value.items) {
          if (host.value.type !== "array") continue;
          const file = host.file ?? ext.file ?? setting.sites[setting.sites.length - 1]?.file;
          out.push({ module, context, setting, ext, extKey: ext.key ?? "", host, entries: host.value, file });
        }
      }
    }
  }
  return out;
}

/** Every backend extension/prefix key in the config (for "is this path routed to a backend"). */
export function backendKeys(config: EvaluatedConfig): { module: BackendModule; key: string }[] {
  const out: { module: BackendModule; key: string }[] = [];
  for (const module of BACKEND_MODULES) {
    for (const { setting } of settingsNamed(config, `${module}.server`)) {
      if (setting.value.type !== "array") continue;
      for (const ext of setting.value.items) if (ext.key !== undefined) out.push({ module, key: ext.key });
    }
  }
  return out;
}

/** The item that holds a backend host's unix socket path: "socket", else a "host" that starts with "/". */
export function socketItem(h: BackendHost): ArrayItem | undefined {
  const socket = arrayEntry(h.entries, "socket");
  if (socket) return socket;
  const host = arrayEntry(h.entries, "host");
  return stringOf(host?.value)?.startsWith("/") ? host : undefined;
}

/** A short name of a host entry for messages: `fastcgi.server "/app" => "app"`. */
export function describeHost(h: BackendHost): string {
  return `${h.module}.server "${h.extKey}"${h.host.key !== undefined ? ` => "${h.host.key}"` : ""}`;
}

/** The ArrayNode a host entry is written as (undefined when it comes from a variable). */
export function hostArrayNode(h: BackendHost): ArrayNode | undefined {
  const el = h.host.element;
  const op = el?.value?.operands;
  if (!op || op.length !== 1 || op[0].kind !== "array") return undefined;
  return op[0];
}

/** Where to point a finding about a whole array item: its key, else the element. */
export function itemRange(item: ArrayItem, fallback: Origin): Origin {
  if (item.keyOrigin) return item.keyOrigin;
  if (item.element && item.file) return { file: item.file, start: item.element.start, end: item.element.end };
  return fallback;
}

/** Where an item's value is written: the literal (origin) when it is in the element, else the element's value. */
export function itemValueRange(item: ArrayItem): Origin | undefined {
  if (item.value.origin && (!item.element || within(item.value.origin, item.file, item.element))) return item.value.origin;
  if (item.element?.value && item.file) return { file: item.file, start: item.element.value.start, end: item.element.value.end };
  return item.value.origin;
}

/** A fallback location for a setting: its last assignment. */
export function settingRange(setting: Setting): Origin {
  const site = setting.sites[setting.sites.length - 1];
  if (site) return { file: site.file, start: site.node.start, end: site.node.end };
  return setting.value.origin ?? { file: "", start: 0, end: 0 };
}

/** Where the key of a setting's last assignment is written. */
export function settingKeyRange(setting: Setting): Origin {
  const site = setting.sites[setting.sites.length - 1];
  if (site) return { file: site.file, start: site.node.start, end: assignmentKeyEnd(site.node) };
  return settingRange(setting);
}

/** Where a value is written: its literal, else its setting's assignment. */
export function valueRange(value: Value, setting: Setting): Origin {
  const site = setting.sites[setting.sites.length - 1];
  if (value.origin && (!site || value.origin.file === site.file)) return value.origin;
  return settingRange(setting);
}

// ---------------------------------------------------------------------------------------------
// Array text edits

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function indentOf(text: string, offset: number): string {
  const ls = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(ls))![0];
}

/**
 * An edit that adds `"key" => value` to a written array, in the array's own layout: on a new line
 * with the last element's indentation when elements are one per line, else after `, `.
 */
export function appendToArray(text: string, array: ArrayNode, elementText: string): TextEdit | undefined {
  const elements = array.elements.filter((e) => e.end > e.start);
  const last = elements[elements.length - 1];
  if (!array.close) return undefined;
  if (!last) return { range: [array.close.startOffset, array.close.startOffset], text: elementText };
  // A trailing comma after the last element?
  let pos = last.end;
  while (pos < text.length && (text[pos] === " " || text[pos] === "\t")) pos++;
  const trailingComma = text[pos] === ",";
  const multiLine =
    text.slice(array.open.startOffset, array.close.startOffset).includes("\n") &&
    (elements.length > 1 ? text.slice(elements[elements.length - 2].end, last.start).includes("\n") : text.slice(array.open.startOffset, last.start).includes("\n"));
  if (multiLine) {
    const indent = indentOf(text, last.start);
    if (lineStart(text, last.start) + indent.length !== last.start) return undefined; // something else before it on its line
    if (trailingComma) return { range: [pos + 1, pos + 1], text: `\n${indent}${elementText},` };
    return { range: [last.end, last.end], text: `,\n${indent}${elementText}` };
  }
  if (trailingComma) return { range: [pos + 1, pos + 1], text: ` ${elementText},` };
  return { range: [last.end, last.end], text: `, ${elementText}` };
}

/**
 * Edits that move array element `from` so it stands before element `to` (to < from), keeping
 * everything else byte-identical. Undefined when comments or odd layout make that unsafe.
 */
export function moveElementBefore(text: string, array: ArrayNode, from: ArrayElementNode, to: ArrayElementNode): TextEdit[] | undefined {
  const elements = array.elements.filter((e) => e.end > e.start);
  const i = elements.indexOf(from);
  const j = elements.indexOf(to);
  if (i < 0 || j < 0 || j >= i) return undefined;
  const prev = elements[i - 1];
  const elemText = text.slice(from.start, from.end);
  const fromLine = lineStart(text, from.start);
  const toLine = lineStart(text, to.start);
  const aloneOnLine = (e: ArrayElementNode) =>
    /^[ \t]*$/.test(text.slice(lineStart(text, e.start), e.start)) && lineStart(text, e.start) > lineStart(text, elements[elements.indexOf(e) - 1]?.end ?? array.open.startOffset);
  if (aloneOnLine(from) && aloneOnLine(to)) {
    // One element per line: move the whole line, with its comma and trailing comment.
    const lineEnd = text.indexOf("\n", from.end);
    if (lineEnd < 0) return undefined;
    const rest = text.slice(from.end, lineEnd);
    const m = /^([ \t]*)(,?)(.*)$/.exec(rest)!;
    if (m[3].trim() !== "" && !/^[ \t]*#/.test(m[3])) return undefined; // another element on the line
    const line = m[2] ? text.slice(fromLine, lineEnd + 1) : text.slice(fromLine, from.end) + "," + rest + "\n";
    return [
      { range: [toLine, toLine], text: line },
      { range: [fromLine, lineEnd + 1], text: "" },
    ];
  }
  const between = text.slice(prev.end, from.start);
  if (!/^\s*,\s*$/.test(between) || between.includes("\n")) return undefined; // comments or mixed layout: leave it to the user
  return [
    { range: [to.start, to.start], text: `${elemText}, ` },
    { range: [prev.end, from.end], text: "" },
  ];
}

// ---------------------------------------------------------------------------------------------
// Conditions

/** The contexts from the global scope down to this one. */
export function contextChain(ctx: Context): Context[] {
  const chain: Context[] = [];
  for (let c: Context | undefined = ctx; c; c = c.parent) chain.unshift(c);
  return chain;
}

/** The string a condition's right-hand side is written as, when it is literals only. */
export function writtenConditionValue(node: ConditionNode): string | undefined {
  const ops = node.value?.operands;
  if (!ops || ops.length === 0) return undefined;
  let out = "";
  for (const op of ops) {
    if (op.kind !== "string") return undefined;
    out += op.value;
  }
  return out;
}

/** True when the config reads like a whole server config, not a fragment meant for include. */
export function looksLikeMainConfig(config: EvaluatedConfig): boolean {
  const g = config.global;
  return !!getSetting(g, "server.document-root") && (!!getSetting(g, "server.modules") || !!getSetting(g, "server.port") || !!getSetting(g, "server.bind"));
}
