/**
 * Completion. The buffer is usually mid-edit (an unclosed string, half a key), so the context is read
 * from the tokens of the text before the cursor rather than from the tree: keys at the start of a
 * statement, module names inside server.modules, host-entry keys inside fastcgi/scgi/proxy.server,
 * "enable"/"disable" where a boolean belongs, condition fields and operators after `$`.
 */
import type { Token, TokenType } from "../../grammar/tokens.js";
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, type CompletionItem, type MarkupContent } from "vscode-languageserver/node";
import { tokenize } from "../../grammar/tokenizer.js";
import * as T from "../../grammar/tokens.js";
import { tokenEnd } from "../ast/nodes.js";
import { BACKEND_SERVER_KEYS, allKeys, allModules, availability, backendHostKeys, featureFlags, lookupBackendHostKey, lookupKey, typeAt } from "../schema/index.js";
import type { Positions } from "./convert.js";

export interface CompletionInput {
  text: string;
  offset: number;
  version: string;
  positions: Positions;
  /** Variable names assigned anywhere in the main config (`var.base`), for value positions. */
  variables?: string[];
}

/** Condition objects and their fields (configparser.y: configparser_comp_key_id). */
export const CONDITION_FIELDS: Record<string, { field: string; doc: string }[]> = {
  HTTP: [
    { field: "host", doc: "the request's host (lower-cased authority)" },
    { field: "url", doc: "the decoded, normalized URL path (no query string)" },
    { field: "querystring", doc: "the query string" },
    { field: "remoteip", doc: "the client's IP address (== and != accept CIDR a.b.c.d/nn)" },
    { field: "scheme", doc: '"http" or "https"' },
    { field: "request-method", doc: "the request method (GET, POST, ...)" },
    { field: "referer", doc: "the Referer request header" },
    { field: "cookie", doc: "the Cookie request header" },
    { field: "user-agent", doc: "the User-Agent request header" },
    { field: "language", doc: "the Accept-Language request header" },
  ],
  SERVER: [{ field: "socket", doc: 'the listening socket (":443", "[::]:80", "/path.sock"); only == and != make sense' }],
  REQUEST_HEADER: [{ field: "Header-Name", doc: "any request header (a missing header is the empty string)" }],
};

export const CONDITION_OPERATORS: { op: string; doc: string }[] = [
  { op: "==", doc: "equals" },
  { op: "!=", doc: "does not equal" },
  { op: "=~", doc: "matches the regular expression (PCRE)" },
  { op: "!~", doc: "does not match the regular expression" },
  { op: "=^", doc: "starts with" },
  { op: "=$", doc: "ends with" },
];

const BOOL_VALUES = ["enable", "disable"];

export function completeAt(input: CompletionInput): CompletionItem[] {
  const { text, offset } = input;
  const lineStart = Math.max(text.lastIndexOf("\n", offset - 1), text.lastIndexOf("\r", offset - 1)) + 1;
  const linePrefix = text.slice(lineStart, offset);
  const condition = completeCondition(input, linePrefix);
  if (condition) return condition;

  const tokens = tokenize(text.slice(0, offset), input.version).all.filter((t) => !t.tokenType.trivia);
  const last = tokens[tokens.length - 1];
  const touching = last && tokenEnd(last) === offset ? last : undefined;
  const inString = touching?.tokenType === T.StringLit && !(touching.image.length > 1 && touching.image.endsWith('"') && !touching.image.endsWith('\\"'));
  const partial = touching && (touching.tokenType === T.Key || inString) ? touching : undefined;
  const before = partial ? tokens[tokens.length - 2] : touching ? last : tokens[tokens.length - 1];
  const beforeType = before?.tokenType;

  const array = arrayContext(tokens, partial ? tokens.length - 1 : tokens.length);
  if (array) return completeInArray(input, array, partial, inString, beforeType);

  // Statement level.
  if (partial?.tokenType === T.Key && (!before || beforeType === T.Eol || beforeType === T.LCurly || beforeType === T.RCurly)) {
    return keyItems(input, partial.startOffset);
  }
  if (!partial && (!before || beforeType === T.Eol || beforeType === T.LCurly || beforeType === T.RCurly) && /^\s*$/.test(linePrefix)) {
    return keyItems(input, offset);
  }
  // A value right after `key =`.
  if (before && [T.Assign, T.ForceAssign, T.Append, T.Plus].includes(beforeType!)) {
    const keyToken = statementKey(tokens, tokens.indexOf(before));
    const items: CompletionItem[] = [];
    const info = keyToken ? lookupKey(keyToken.image) : undefined;
    if (info && typeAt(info, input.version).type === "bool") items.push(...wordItems(input, BOOL_VALUES, partial, inString));
    else if (info?.values?.length) for (const item of wordItems(input, info.values, partial, inString)) items.push(item);
    if (!inString) for (const item of variableItems(input, partial)) items.push(item);
    return items;
  }
  return [];
}

interface ArrayContext {
  /** The assignment key the array belongs to, lower-cased. */
  key: string;
  /** The keys of the enclosing elements, outermost array first (undefined for an unnamed level). */
  levels: (string | undefined)[];
  /** The cursor is where an element's key (or a plain list item) goes, not after `=>`. */
  atElementStart: boolean;
}

/** Reads the tokens before the cursor backwards to find the arrays the cursor is in. */
export function arrayContext(tokens: Token[], end: number): ArrayContext | undefined {
  let depth = 0;
  const levels: (string | undefined)[] = [];
  const prev = tokens[end - 1]?.tokenType;
  for (let i = end - 1; i >= 0; i--) {
    const type = tokens[i].tokenType;
    if (type === T.RParen) depth++;
    else if (type === T.LParen) {
      if (depth > 0) depth--;
      else {
        const key = tokens[i - 1]?.tokenType === T.ArrayAssign && tokens[i - 2]?.tokenType === T.StringLit ? unquote(tokens[i - 2].image) : undefined;
        levels.unshift(key);
      }
    } else if (depth === 0 && levels.length > 0 && (type === T.Assign || type === T.Append || type === T.ForceAssign)) {
      const key = tokens[i - 1];
      if (key?.tokenType !== T.Key) return undefined;
      return { key: key.image.toLowerCase(), levels, atElementStart: prev === T.LParen || prev === T.Comma };
    } else if (depth === 0 && (type === T.Eol || type === T.LCurly || type === T.RCurly)) return undefined;
  }
  return undefined;
}

function completeInArray(input: CompletionInput, array: ArrayContext, partial: Token | undefined, inString: boolean, beforeType: TokenType | undefined): CompletionItem[] {
  const depth = array.levels.length;
  if (array.key === "server.modules" && depth === 1 && (array.atElementStart || inString)) return moduleItems(input, partial, inString);
  if (BACKEND_SERVER_KEYS.includes(array.key) && depth === 3) {
    if (array.atElementStart) return hostKeyItems(input, partial, inString);
    if (beforeType === T.ArrayAssign) {
      const hostKey = input.text.slice(0, input.offset).match(/"([A-Za-z0-9_-]+)"\s*=>\s*"?[A-Za-z]*$/)?.[1];
      const info = hostKey ? lookupBackendHostKey(hostKey) : undefined;
      if (info?.type === "bool") return wordItems(input, BOOL_VALUES, partial, inString);
      if (info?.values?.length) return wordItems(input, info.values, partial, inString);
    }
    return [];
  }
  if (array.key === "server.feature-flags" && depth === 1 && array.atElementStart) {
    return featureFlags().map((f) =>
      stringItem(input, f.key, partial, inString, { kind: CompletionItemKind.Property, detail: `feature flag (${f.type})`, documentation: md(f.description) }),
    );
  }
  return [];
}

function completeCondition(input: CompletionInput, linePrefix: string): CompletionItem[] | undefined {
  const { offset, positions } = input;
  let m = /\$([A-Z_]*)$/.exec(linePrefix);
  if (m) {
    const start = offset - m[1].length;
    const items: CompletionItem[] = [];
    for (const [object, fields] of Object.entries(CONDITION_FIELDS)) {
      for (const f of fields) {
        const label = `${object}["${f.field}"]`;
        items.push({
          label: `$${label}`,
          filterText: label,
          kind: CompletionItemKind.Field,
          documentation: md(f.doc),
          textEdit: { range: positions.range(start, offset), newText: label },
        });
      }
    }
    return items;
  }
  m = /\$([A-Z_]+)\["([^"]*)$/.exec(linePrefix);
  if (m) {
    const fields = CONDITION_FIELDS[m[1]] ?? [];
    const start = offset - m[2].length;
    return fields.map((f) => ({
      label: f.field,
      kind: CompletionItemKind.Field,
      documentation: md(f.doc),
      textEdit: { range: positions.range(start, offset), newText: `${f.field}"]` },
    }));
  }
  m = /\$[A-Z_]+\["[^"]*"\]\s*([=!~^$]*)$/.exec(linePrefix);
  if (m) {
    const start = offset - m[1].length;
    return CONDITION_OPERATORS.map((o) => ({
      label: o.op,
      kind: CompletionItemKind.Operator,
      documentation: md(o.doc),
      textEdit: { range: positions.range(start, offset), newText: o.op },
    }));
  }
  return undefined;
}

function keyItems(input: CompletionInput, start: number): CompletionItem[] {
  const range = input.positions.range(start, input.offset);
  const items: CompletionItem[] = [];
  for (const k of allKeys()) {
    const state = availability(k, input.version);
    if (state === "not-yet") continue;
    const { type } = typeAt(k, input.version);
    const gone = state === "removed" || k.deprecated !== undefined;
    const item: CompletionItem = {
      label: k.key,
      kind: CompletionItemKind.Property,
      detail: `${k.module} · ${type}`,
      labelDetails: { description: k.module },
      documentation: md(k.description + (k.default ? `\n\nDefault: \`${k.default}\`` : "")),
      textEdit: { range, newText: k.key },
      sortText: (gone ? "1" : "0") + k.key,
    };
    if (gone) item.tags = [CompletionItemTag.Deprecated];
    items.push(item);
  }
  return items;
}

function moduleItems(input: CompletionInput, partial: Token | undefined, inString: boolean): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const m of allModules()) {
    const state = availability(m, input.version);
    if (state !== "available" || m.name === "mod_skeleton") continue;
    items.push(stringItem(input, m.name, partial, inString, { kind: CompletionItemKind.Module, detail: m.builtin ? "built in" : "module", documentation: md(m.description) }));
  }
  return items;
}

function hostKeyItems(input: CompletionInput, partial: Token | undefined, inString: boolean): CompletionItem[] {
  return backendHostKeys()
    .filter((k) => availability(k, input.version) === "available")
    .map((k) =>
      stringItem(input, k.key, partial, inString, {
        kind: CompletionItemKind.Property,
        detail: `host entry · ${k.type}`,
        documentation: md(k.description + (k.default ? `\n\nDefault: \`${k.default}\`` : "")),
        tags: k.deprecated ? [CompletionItemTag.Deprecated] : undefined,
      }),
    );
}

function wordItems(input: CompletionInput, words: string[], partial: Token | undefined, inString: boolean): CompletionItem[] {
  return words.map((w) => stringItem(input, w, partial, inString, { kind: CompletionItemKind.Value }));
}

function variableItems(input: CompletionInput, partial: Token | undefined): CompletionItem[] {
  const start = partial?.tokenType === T.Key ? partial.startOffset : input.offset;
  const range = input.positions.range(start, input.offset);
  return [...new Set(input.variables ?? [])].map((v) => ({ label: v, kind: CompletionItemKind.Variable, textEdit: { range, newText: v } }));
}

/** A quoted value: completes inside an open string, or inserts a whole string. */
function stringItem(input: CompletionInput, value: string, partial: Token | undefined, inString: boolean, extra: Partial<CompletionItem>): CompletionItem {
  const closed = inString && /^[^"\r\n]*"/.test(input.text.slice(input.offset, input.offset + 200));
  const start = inString && partial ? partial.startOffset + 1 : input.offset;
  const end = closed ? input.offset + input.text.slice(input.offset).indexOf('"') + 1 : input.offset;
  const newText = inString ? `${value}"` : `"${value}"`;
  const item: CompletionItem = {
    label: value,
    filterText: inString ? value : `"${value}"`,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range: input.positions.range(start, end), newText },
    ...extra,
  };
  if (!item.tags) delete item.tags;
  return item;
}

function statementKey(tokens: Token[], opIndex: number): Token | undefined {
  const t = tokens[opIndex - 1];
  if (tokens[opIndex].tokenType !== T.Plus) return t?.tokenType === T.Key ? t : undefined;
  // `key = a + |`: walk back to the statement's operator.
  for (let i = opIndex - 1; i > 0; i--) {
    const type = tokens[i].tokenType;
    if (type === T.Eol || type === T.LCurly || type === T.RCurly) return undefined;
    if (type === T.Assign || type === T.Append || type === T.ForceAssign) return tokens[i - 1]?.tokenType === T.Key ? tokens[i - 1] : undefined;
  }
  return undefined;
}

function unquote(image: string): string {
  return (image.endsWith('"') && image.length > 1 ? image.slice(1, -1) : image.slice(1)).replace(/\\"/g, '"');
}

function md(value: string): MarkupContent {
  return { kind: "markdown", value };
}
