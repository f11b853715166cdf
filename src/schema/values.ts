/**
 * How lighttpd reads evaluated values for a key of a given type (configfile-glue.c:
 * config_plugin_value_tobool, config_plugin_values_init_block). Pure functions over the model's Value.
 */
import type { ArrayValue, Value } from "../eval/model.js";
import { itemHasKey, itemValueType } from "../eval/values.js";
import { toBool } from "../engine/config-query.js";
import type { KeyType } from "./types.js";

/**
 * True when the resulting value, or an item inside it, could not be evaluated: rules must not judge
 * it. Unlike config-query's hasUnknown it ignores the parts the value was built from.
 */
export function resultHasUnknown(value: Value): boolean {
  if (value.type === "unknown") return true;
  if (value.type !== "array") return false;
  for (const item of value.items) {
    // The type first: a literal item's value object is made on each read.
    const type = itemValueType(item);
    if (type === "unknown" || (type === "array" && resultHasUnknown(item.value))) return true;
  }
  return false;
}

/**
 * lighttpd's config_has_opt_enabled(): an array counts as enabled when it is not empty, anything
 * else when it reads as true. Used for index-file.names and dir-listing.activate auto-loading.
 */
export function isOptEnabled(value: Value): boolean {
  if (value.type === "array") return value.items.length > 0;
  return toBool(value) === true;
}

/** The strings of an unkeyed list (server.modules); undefined if it is not a list of strings. */
export function stringList(value: Value): string[] | undefined {
  if (value.type !== "array") return undefined;
  const out: string[] = [];
  for (const item of value.items) {
    if (item.value.type !== "string") return undefined;
    out.push(item.value.value);
  }
  return out;
}

const SHORT_MAX = 65535;
const INT_MAX = 4294967295;

/** A numeric string as strtol reads it fully (no sign, digits only): lighttpd accepts these for numbers. */
function numericString(s: string): number | undefined {
  return /^\s*[+-]?[0-9]+$/.test(s) ? Number(s.trim()) : undefined;
}

/** The shape of an array as lighttpd checks it, or the first offending element. */
function arrayProblem(value: ArrayValue, type: KeyType, key: string): string | undefined {
  switch (type) {
    case "array-kv-any":
      return value.items.every(itemHasKey) ? undefined : `${key} should be a list of "key" => value pairs; lighttpd refuses a plain element`;
    case "array-kv-array":
      return value.items.every((i) => itemHasKey(i) && itemValueType(i) === "array")
        ? undefined
        : `${key} should be a list of "key" => ( ... ) pairs; lighttpd refuses ${describeBadKvArrayItem(value)}`;
    case "array-kv-string":
      return value.items.every((i) => itemHasKey(i) && itemValueType(i) === "string")
        ? undefined
        : `${key} should be a list of "key" => "string" pairs; lighttpd refuses ${describeBadKvStringItem(value)}`;
    case "array-vlist":
      return value.items.every((i) => !itemHasKey(i) && itemValueType(i) === "string")
        ? undefined
        : `${key} should be a list of plain strings like ( "...", "..." ); lighttpd refuses ${describeBadVlistItem(value)}`;
    default:
      return undefined;
  }
}

function describeBadKvArrayItem(value: ArrayValue): string {
  const bad = value.items.find((i) => i.key === undefined || i.value.type !== "array");
  if (!bad) return "it";
  return bad.key === undefined ? "an element without a key" : `"${bad.key}" => ${kind(bad.value)} (a list is needed)`;
}

function describeBadKvStringItem(value: ArrayValue): string {
  const bad = value.items.find((i) => i.key === undefined || i.value.type !== "string");
  if (!bad) return "it";
  return bad.key === undefined ? "an element without a key" : `"${bad.key}" => ${kind(bad.value)}`;
}

function describeBadVlistItem(value: ArrayValue): string {
  const bad = value.items.find((i) => i.key !== undefined || i.value.type !== "string");
  if (!bad) return "it";
  return bad.key !== undefined ? `the keyed element "${bad.key}" => ...` : `${kind(bad.value)} ${bad.value.type === "integer" ? bad.value.value : ""}`.trim();
}

export function kind(value: Value): string {
  switch (value.type) {
    case "string":
      return "a string";
    case "integer":
      return "an integer";
    case "array":
      return "a list";
    default:
      return "an unknown value";
  }
}

/**
 * An integer beyond the range of a short/int key: lighttpd does not refuse it but silently
 * truncates it (config_plugin_values_init_block() casts it). In words; undefined when it fits.
 */
export function truncation(key: string, type: KeyType, value: Value): string | undefined {
  if ((type !== "short" && type !== "int") || value.type !== "integer") return undefined;
  const max = type === "short" ? SHORT_MAX : INT_MAX;
  const what = type === "short" ? "an integer from 0 to 65535" : "an integer from 0 to 4294967295";
  // (a negative integer only comes from an overflow lighttpd refuses while parsing: not ours to report)
  if (value.value <= max) return undefined;
  return `${key} must be ${what}; ${value.value} is out of range (lighttpd silently truncates it${type === "short" ? ` to ${((value.value % 65536) + 65536) % 65536}` : ""})`;
}

/**
 * What lighttpd refuses about `value` for a key of `type`, in words; undefined when the value is
 * accepted (an out-of-range integer is accepted and truncated: see truncation()).
 * Mirrors config_plugin_values_init_block().
 */
export function typeProblem(key: string, type: KeyType, value: Value): string | undefined {
  return resultHasUnknown(value) ? undefined : knownTypeProblem(key, type, value);
}

/** typeProblem for a value the caller knows holds nothing unknown (resultHasUnknown: one walk fewer). */
export function knownTypeProblem(key: string, type: KeyType, value: Value): string | undefined {
  switch (type) {
    case "string":
      return value.type === "string" ? undefined : `${key} must be a string like ${key} = "..." (got ${kind(value)})`;
    case "bool": {
      if (value.type === "array") return `${key} must be "enable" or "disable" (got a list)`;
      if (toBool(value) === undefined)
        return `${key} must be "enable" or "disable" (lighttpd also accepts true/false/1/0); "${value.type === "string" ? value.value : ""}" is refused`;
      return undefined;
    }
    case "short":
    case "int": {
      const max = type === "short" ? SHORT_MAX : INT_MAX;
      const what = type === "short" ? "an integer from 0 to 65535" : "an integer from 0 to 4294967295";
      if (value.type === "array") return `${key} must be ${what} (got a list)`;
      if (value.type === "string") {
        const n = numericString(value.value);
        if (n === undefined) return `${key} must be ${what}; the string "${value.value}" is not a number`;
        if (n < 0 || n > max) return `${key} must be ${what}; "${value.value}" is out of range`;
        return undefined;
      }
      // An integer out of range is not refused but truncated: see truncation().
      return undefined;
    }
    default:
      if (value.type !== "array") return `${key} must be a list like ${key} = ( ... ) (got ${kind(value)})`;
      return arrayProblem(value, type, key);
  }
}
