/**
 * Values as lighttpd's configparser.y builds them: strings, C `int` integers and arrays whose
 * keys compare ASCII case-insensitively, combined with lighttpd's `+` rules
 * (configparser_merge_data).
 */
import type { ArrayElementNode } from "../ast/nodes.js";
import { elementKeyEnd, foldedKeyString, foldedValueStart, foldedValueString } from "../ast/nodes.js";
import type { ArrayItem, ArrayValue, IntegerValue, Origin, StringValue, UnknownValue, Value } from "./model.js";

/** lighttpd lower-cases only A-Z when it compares keys (array.c: array_caseless_compare). */
export function asciiLower(s: string): string {
  // Most keys are lower-case already: look before building a new string.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }
  return s;
}

/** A range of offsets in a file (a node's, or a part of one). */
export interface Span {
  start: number;
  end: number;
}

/**
 * A string or integer literal as written in a file. Its origin is made when asked: one object
 * less per value of a large config (100,000s). Never mutated: the evaluator sets `origin`/`parts`
 * only on values it made itself (merges, copies: plain objects).
 */
abstract class Literal {
  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get origin(): Origin {
    return { file: this.file, start: this.start, end: this.end };
  }
}

class LiteralString extends Literal implements StringValue {
  declare readonly type: "string"; // on the prototype (below): one field less in each

  constructor(
    readonly value: string,
    file: string,
    start: number,
    end: number,
  ) {
    super(file, start, end);
  }
}

class LiteralInteger extends Literal implements IntegerValue {
  declare readonly type: "integer";

  constructor(
    readonly value: number,
    file: string,
    start: number,
    end: number,
  ) {
    super(file, start, end);
  }
}

Object.assign(LiteralString.prototype, { type: "string" });
Object.assign(LiteralInteger.prototype, { type: "integer" });

/**
 * A list element as evaluated. Where its key is written is its element's key (the whole
 * expression, as lighttpd reads it), made when asked: one object less per element of a large
 * config. Items are never copied, only shared between lists (values.ts appendItems).
 */
export class ListItem implements ArrayItem {
  constructor(
    public key: string | undefined,
    /**
     * The value, or a folded element's literal string (most items of a large config): then the
     * value object is made on each read, and the item keeps one object less.
     */
    private readonly held: Value | string,
    public element: ArrayElementNode,
    public file: string,
  ) {}

  get value(): Value {
    const v = this.held;
    return typeof v === "string" ? elementLiteral(v, this.element, this.file) : v;
  }

  /** The literal string it holds, if it does. */
  literal(): string | undefined {
    const v = this.held;
    return typeof v === "string" ? v : undefined;
  }

  valueType(): Value["type"] {
    const v = this.held;
    return typeof v === "string" ? "string" : v.type;
  }

  get keyOrigin(): Origin | undefined {
    return keyOriginOf(this.element, this.file);
  }
}

/**
 * The item of a folded element whose key (when it has one) and value are string literals
 * (`isFoldedStringElement`), nearly every item of a large config: it keeps only its element and
 * file, and reads its key and value strings from the element each time they are asked for (the
 * strings are made then and dropped after use, rather than kept for the whole run).
 */
export class FoldedItem implements ArrayItem {
  constructor(
    public element: ArrayElementNode,
    public file: string,
  ) {}

  get key(): string | undefined {
    return foldedKeyString(this.element);
  }

  get value(): Value {
    return elementLiteral(this.literal(), this.element, this.file);
  }

  literal(): string {
    return foldedValueString(this.element)!;
  }

  get keyOrigin(): Origin | undefined {
    return keyOriginOf(this.element, this.file);
  }
}

/** Where an element's key is written: from the element's start (grammar/parser.ts element()); undefined without a key. */
function keyOriginOf(element: ArrayElementNode, file: string): Origin | undefined {
  const end = elementKeyEnd(element);
  return end === undefined ? undefined : { file, start: element.start, end };
}

/** The value object of an element's literal string, written from its value's start to the element's end. */
function elementLiteral(value: string, element: ArrayElementNode, file: string): StringValue {
  return literalString(value, file, foldedValueStart(element), element.end);
}

/** An item's value type, without making the value object of a literal item (rules ask this of every item). */
export function itemValueType(item: ArrayItem): Value["type"] {
  return item instanceof FoldedItem ? "string" : item instanceof ListItem ? item.valueType() : item.value.type;
}

/** Whether an item has a key, without reading it (a folded item's key is sliced from the text on each read). */
export function itemHasKey(item: ArrayItem): boolean {
  return item instanceof FoldedItem ? elementKeyEnd(item.element) !== undefined : item.key !== undefined;
}

/** The string of an item whose value is a string literal as written, without making the value object. */
export function itemLiteral(item: ArrayItem): string | undefined {
  return item instanceof FoldedItem || item instanceof ListItem ? item.literal() : undefined;
}

/** A literal string written at [start, end) in `file`. */
export function literalString(value: string, file: string, start: number, end: number): StringValue {
  return new LiteralString(value, file, start, end);
}

/** A literal integer written at [start, end) in `file`. */
export function literalInteger(value: number, file: string, start: number, end: number): IntegerValue {
  return new LiteralInteger(value, file, start, end);
}

export function stringValue(value: string, origin?: Origin): StringValue {
  return origin ? { type: "string", value, origin } : { type: "string", value };
}

export function integerValue(value: number, origin?: Origin): IntegerValue {
  return origin ? { type: "integer", value, origin } : { type: "integer", value };
}

export function unknownValue(reason: string, origin?: Origin): UnknownValue {
  return origin ? { type: "unknown", reason, origin } : { type: "unknown", reason };
}

/** What `+` does to a C int: the sum wraps around like lighttpd's `int` on every platform it runs on. */
export function addInt(a: number, b: number): number {
  return (a + b) | 0;
}

export interface IntegerLiteral {
  value: number;
  /** "range": strtol overflowed (lighttpd: "error parsing number"); "truncated": it fit a long but not an int. */
  problem?: "range" | "truncated";
}

const LONG_MAX = 9223372036854775807n;
const INT_MAX = 2147483647n;

/** `strtol(text, 10)` stored in an `int`, as configparser.y's INTEGER action does. */
export function parseIntegerLiteral(digits: string): IntegerLiteral {
  const n = /^[0-9]+$/.test(digits) ? BigInt(digits) : 0n;
  if (n > LONG_MAX) return { value: Number(BigInt.asIntN(32, LONG_MAX)), problem: "range" };
  const value = Number(BigInt.asIntN(32, n));
  return n > INT_MAX ? { value, problem: "truncated" } : { value };
}

/** The copy lighttpd hands out when a key is read as a variable (configparser_get_variable). */
export function readVariable(v: Value, name: string): Value {
  if (v.type === "array") {
    const copy: ArrayValue = { type: "array", items: v.items.slice(), fromVariable: name };
    if (v.origin) copy.origin = v.origin;
    return copy;
  }
  // Named fields, not a spread: a literal's origin is not an own field (Literal).
  const copy = (v.type === "unknown" ? { type: "unknown", reason: v.reason } : { type: v.type, value: v.value }) as Value;
  if (v.origin) copy.origin = v.origin;
  copy.fromVariable = name;
  copy.parts = [v];
  return copy;
}

/** An array's own copy, safe to append to. */
export function copyArray(v: ArrayValue): ArrayValue {
  const copy: ArrayValue = { type: "array", items: v.items.slice() };
  if (v.origin) copy.origin = v.origin;
  if (v.fromVariable) copy.fromVariable = v.fromVariable;
  return copy;
}

/**
 * The keys of a list being built, for lighttpd's duplicate check (keys ignore A-Z case). Most
 * lists are short: their keys are compared one by one, without lower-casing them or growing a Map
 * (the language server builds every list again on each keystroke); a long list gets a Map.
 */
export class ListKeys {
  private count = 0;
  private readonly keys: string[];
  /** caselessHash of each key: most keys differ there, and only equal hashes compare the strings. */
  private readonly hashes: number[];
  private readonly items: ArrayItem[];
  private byLower: Map<string, ArrayItem> | undefined;

  /** `expected`: about how many keys will come (the list's elements): room is made for them at once. */
  constructor(expected = 0) {
    const room = Math.min(expected, LIST_KEYS_SCANNED + 1);
    this.keys = new Array<string>(room);
    this.hashes = new Array<number>(room);
    this.items = new Array<ArrayItem>(room);
  }

  /** The item that has `key` already, else undefined and `item` is recorded under it. */
  addOrFind(key: string, item: ArrayItem): ArrayItem | undefined {
    if (this.byLower) {
      const lower = asciiLower(key);
      const existing = this.byLower.get(lower);
      if (!existing) this.byLower.set(lower, item);
      return existing;
    }
    const hash = caselessHash(key);
    for (let i = 0; i < this.count; i++) if (this.hashes[i] === hash && sameIgnoringAsciiCase(this.keys[i], key)) return this.items[i];
    const n = this.count++;
    this.keys[n] = key;
    this.hashes[n] = hash;
    this.items[n] = item;
    if (this.count > LIST_KEYS_SCANNED) {
      this.byLower = new Map();
      for (let i = 0; i < this.count; i++) this.byLower.set(asciiLower(this.keys[i]), this.items[i]);
    }
    return undefined;
  }
}

/** A hash of a string with A-Z read as a-z: strings that sameIgnoringAsciiCase holds equal hash the same. */
function caselessHash(s: string): number {
  let h = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h = (Math.imul(h, 31) + (c >= 65 && c <= 90 ? c + 32 : c)) | 0;
  }
  return h;
}

/** Up to this many keys a list's keys are compared one by one (ListKeys). */
const LIST_KEYS_SCANNED = 32;

/** Whether two strings are equal when A-Z are read as a-z (asciiLower(a) === asciiLower(b)). */
export function sameIgnoringAsciiCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // The same letter in the other case; `| 32` alone would also pair "@" with "`", "[" with "{".
    const lower = x | 32;
    if (lower !== (y | 32) || lower < 97 || lower > 122) return false;
  }
  return true;
}

// Caseless key index of an item list, kept up to date by `appendItems` so that repeated `+=` on a
// big keyed array stays linear.
const keyIndexes = new WeakMap<ArrayItem[], Map<string, ArrayItem>>();

function keyIndex(items: ArrayItem[]): Map<string, ArrayItem> {
  let index = keyIndexes.get(items);
  if (!index) {
    index = new Map();
    for (const item of items) if (item.key !== undefined && !index.has(asciiLower(item.key))) index.set(asciiLower(item.key), item);
    keyIndexes.set(items, index);
  }
  return index;
}

export interface DuplicateKey {
  existing: ArrayItem;
  added: ArrayItem;
}

/** Is `item`'s key already present in `items` (caseless)? */
export function findKey(items: ArrayItem[], key: string): ArrayItem | undefined {
  return keyIndex(items).get(asciiLower(key));
}

/** Appends an item to a list whose key index may be cached. */
export function pushItem(items: ArrayItem[], item: ArrayItem): void {
  items.push(item);
  const index = keyIndexes.get(items);
  if (index && item.key !== undefined && !index.has(asciiLower(item.key))) index.set(asciiLower(item.key), item);
}

function sameScalar(a: Value, b: Value): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "string" && b.type === "string") return a.value === b.value;
  if (a.type === "integer" && b.type === "integer") return a.value === b.value;
  return false;
}

/**
 * Appends `src`'s items to `dst` in place, as lighttpd merges arrays: unkeyed items are always
 * appended; a keyed item whose key exists is dropped when both values are the same string or
 * integer, and is a fatal duplicate otherwise (returned; the existing item is kept).
 */
export function appendItems(dst: ArrayItem[], src: ArrayItem[]): DuplicateKey[] {
  const duplicates: DuplicateKey[] = [];
  for (const item of src) {
    if (item.key === undefined) {
      dst.push(item);
      continue;
    }
    const existing = findKey(dst, item.key);
    if (!existing) pushItem(dst, item);
    else if (!sameScalar(existing.value, item.value)) duplicates.push({ existing, added: item });
  }
  return duplicates;
}

export interface MergeResult {
  value: Value;
  /** The two types could not be merged ("data type mismatch, cannot merge"). */
  mismatch?: boolean;
  duplicates: DuplicateKey[];
}

/**
 * `left + right` (and `+=`). With `inPlace`, an array `left` is extended in place (it must be a
 * value nobody else holds); otherwise the result is a new value and `left` is untouched.
 */
export function mergeValues(left: Value, right: Value, inPlace: boolean): MergeResult {
  if (left.type === "unknown") return { value: left, duplicates: [] };
  if (right.type === "unknown") return { value: right, duplicates: [] };
  if (left.type === "array" || right.type === "array") {
    if (left.type !== "array" || right.type !== "array") {
      return { value: unknownValue("data type mismatch"), mismatch: true, duplicates: [] };
    }
    const target = inPlace ? left : copyArray(left);
    const duplicates = appendItems(target.items, right.items);
    if (!inPlace) {
      delete target.origin;
      delete target.fromVariable;
      target.parts = [left, right];
    }
    return { value: target, duplicates };
  }
  if (left.type === "integer" && right.type === "integer") {
    return { value: { type: "integer", value: addInt(left.value, right.value), parts: [left, right] }, duplicates: [] };
  }
  // string+string, string+int, int+string: decimal text, concatenated.
  return { value: { type: "string", value: String(left.value) + String(right.value), parts: [left, right] }, duplicates: [] };
}

export function typeName(v: Value): string {
  return v.type === "integer" ? "an integer" : v.type === "string" ? "a string" : v.type === "array" ? "an array" : "an unknown value";
}
