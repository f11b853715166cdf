/**
 * Incremental re-parse for the editor: after a small edit, re-tokenize and re-parse only the
 * top-level statements the edit touches, and reuse the rest of the previous parse.
 *
 * The result is always exactly what `parseConfig(newText)` returns (same tokens, tree, strays and
 * problems); whenever that cannot be guaranteed cheaply, `reparse` falls back to a full parse.
 *
 * Why splicing is sound: at a "clean boundary" — the start of a line that follows a statement end
 * (`Eol`) the parser read at the top level — both the tokenizer and the parser are in their
 * initial state: no open parenthesis, no open condition, no open block, nothing half-read. So the
 * region between two clean boundaries can be parsed on its own (`parseConfig` on the substring,
 * offsets and lines shifted afterwards), and the text after it tokenizes and parses as before
 * (offsets and lines shifted; columns do not change because the region ends at a line start).
 * The few ways in which a boundary still leaks state are each checked:
 * - the tokenizer: at a line start it is inside a run of newlines, so a newline before the first
 *   significant token of the region is trivia (`Newline`), not a statement end (`Eol`) as it is
 *   at the start of a text; a `\r` before the boundary and a `\n` after it would merge into one
 *   line end; a `$` the parser dropped leaves the tokenizer in condition mode across lines;
 *   strings may span lines and a NUL swallows the rest of the file (both only at the region's end);
 * - the parser: a condition chain continues over `Eol else`, so no `else` may follow a boundary;
 *   an unfinished construct at the region's end would read on into the following text, so the
 *   region must parse without any problem and end with a statement end read at the top level;
 * - the nesting limit is a property of the whole file.
 */
import { SourceText, type Token, type TokenType } from "../../grammar/tokens.js";
import * as T from "../../grammar/tokens.js";
import { languageFeatures } from "../util/version.js";
import type { Stray } from "../../grammar/parser.js";
import {
  childStart,
  expressionNode,
  isToken,
  type ArrayElementNode,
  type BranchNode,
  type Child,
  type ConfigNode,
  type Node,
  type Statement,
  type StrayNode,
  type ValueNode,
} from "../ast/nodes.js";
import { ignoredCommas, lossless, MAX_NESTING, NestingCounter, parseConfig, type ParseResult, type SyntaxProblem, type TokenRepairs } from "./parse.js";

export interface ReparseOutcome {
  result: ParseResult;
  /** True when only the edited region was parsed again. */
  incremental: boolean;
  /** Why the full parse was used (when it was). */
  reason?: string;
}

/** How often the fast path was taken (tests and benchmarks read it). */
export const reparseStats = { incremental: 0, full: 0 };

export interface ReparseOptions {
  /**
   * The caller will not use `previous` again (the editor keeps only the latest parse): the tokens
   * and nodes after the edit are then moved in place instead of copied, which saves most of the
   * time and garbage of a re-parse near the start of a large file.
   */
  consumePrevious?: boolean;
}

/** `parseConfig(newText, { version: previous.version })`, reusing `previous` where the text did not change. */
export function reparse(previous: ParseResult, newText: string, options: ReparseOptions = {}): ParseResult {
  return reparseWithOutcome(previous, newText, options).result;
}

export function reparseWithOutcome(previous: ParseResult, newText: string, options: ReparseOptions = {}): ReparseOutcome {
  let reason: string;
  try {
    const r = tryIncremental(previous, newText, options.consumePrevious === true);
    if (typeof r !== "string") {
      reparseStats.incremental++;
      return { result: r, incremental: true };
    }
    reason = r;
  } catch (e) {
    // A safety net: an unexpected shape must never cost more than a full parse.
    reason = `internal: ${(e as Error).message}`;
  }
  reparseStats.full++;
  return { result: parseConfig(newText, { version: previous.version }), incremental: false, reason };
}

/** Which repairs of the tokenizer's `tokens` hold (one pass, type first: `image` would slice the text). */
function tokenRepairs(tokens: readonly Token[]): TokenRepairs {
  let unterminated = false;
  let recoveredClose = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.tokenType === T.StringLit) unterminated ||= t.unterminated;
    else if (t.tokenType === T.RParen) recoveredClose ||= t.endOffset < t.startOffset;
  }
  return { unterminated, recoveredClose };
}

/** How many times the region may grow by one statement on each side before giving up. */
const MAX_WIDENINGS = 3;

/** The incremental parse, or the reason it is not possible. */
function tryIncremental(previous: ParseResult, newText: string, consume: boolean): ParseResult | string {
  // The splice works on the lossless tree (statement boundaries are found among its tokens).
  lossless(previous);
  const oldText = previous.text;
  if (newText === oldText) return previous;
  // Before 1.4.69 the first dropped token is a refusal of the whole file: not a local property.
  if (languageFeatures(previous.version).syntaxErrorsFatal) return "a release whose parser fails on the first syntax error";
  if (previous.problems.some((p) => p.start === 0 && p.end === 0 && /^(blocks are nested|lighttpd-lint could not parse)/.test(p.message))) return "the previous parse gave up";
  // A `$` the parser dropped leaves the tokenizer in condition mode, maybe across lines.
  if (previous.strays.some((s) => s.node.token.tokenType === T.Dollar)) return "a dropped '$'";
  // An unterminated string was cut at its line end to keep parsing; a `"` added anywhere after it
  // closes it instead, across lines, so no boundary after it is clean.
  // The tokenizer closed a never-closed `(` where the next statement's `=` showed up: an edit after
  // it can move or remove that point. A re-parse's result knows which it holds (the parse it came
  // from held neither, so only its region's tokens can); else one pass over the tokens.
  const { unterminated, recoveredClose } = previous.repairs ?? tokenRepairs(previous.tokens);
  if (unterminated) return "an unterminated string";
  if (recoveredClose) return "a list closed by recovery";

  const root = previous.tree.children;
  const { start, oldEnd } = changedSpan(oldText, newText);
  // Statement ends read inside a block that is never closed lie outside the block's range, at
  // the top level of the tree: no boundary after such a block is clean.
  const limit = unclosedBlockStart(previous.tree);
  const isStart = (k: number) => k === 0 || (boundaryOffset(previous, k) <= limit && isStartBoundary(previous, k, newText));
  const isEnd = (k: number) => k === root.length || (boundaryOffset(previous, k) <= limit && isEndBoundary(root, k));
  // The last boundary at or before the change, the first at or after it.
  let kA = firstChildAtOrAfter(root, start + 1);
  if (kA < root.length || oldText.length > start) kA = Math.max(0, kA - 1);
  while (kA > 0 && !isStart(kA)) kA--;
  let kB = firstChildAtOrAfter(root, oldEnd);
  while (kB < root.length && !isEnd(kB)) kB++;

  let reason = "";
  for (let attempt = 0; attempt <= MAX_WIDENINGS; attempt++) {
    const r = spliceRegion(previous, newText, kA, kB, consume);
    if (typeof r !== "string") return r;
    reason = r;
    if (kA === 0 && kB === root.length) break;
    // Take one more statement on each side.
    if (kA > 0)
      do kA--;
      while (kA > 0 && !isStart(kA));
    if (kB < root.length)
      do kB++;
      while (kB < root.length && !isEnd(kB));
  }
  return reason;
}

/** Where the last top-level statement starts when it holds a block that is never closed (else Infinity). */
function unclosedBlockStart(tree: ConfigNode): number {
  const last = tree.body[tree.body.length - 1];
  if (!last) return Infinity;
  const block = last.kind === "global" ? last.block : last.kind === "conditionChain" ? last.branches[last.branches.length - 1].block : undefined;
  return block && !block.close ? last.start : Infinity;
}

/** Characters compared at once by changedSpan. */
const SPAN_CHUNK = 256;

/** The common prefix and suffix of two texts: the change is old[start, oldEnd) → new[start, newEnd). */
function changedSpan(a: string, b: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(a.length, b.length);
  // Chunks first (a native comparison of two slices), then characters: ten times faster on the
  // 500 KB of an editor's buffer than characters alone, on every keystroke.
  let start = 0;
  while (start + SPAN_CHUNK <= max && a.slice(start, start + SPAN_CHUNK) === b.slice(start, start + SPAN_CHUNK)) start += SPAN_CHUNK;
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let suffix = 0;
  const maxSuffix = max - start;
  while (suffix + SPAN_CHUNK <= maxSuffix && a.slice(a.length - suffix - SPAN_CHUNK, a.length - suffix) === b.slice(b.length - suffix - SPAN_CHUNK, b.length - suffix))
    suffix += SPAN_CHUNK;
  while (suffix < maxSuffix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { start, oldEnd: a.length - suffix, newEnd: b.length - suffix };
}

/** Where boundary `k` (before root child k) is in the old text. */
function boundaryOffset(p: ParseResult, k: number): number {
  const root = p.tree.children;
  return k < root.length ? childStart(root[k]) : p.text.length;
}

/** Trivia that may follow a statement end in the same run of newlines, blanks and comments. */
function isRunTrivia(t: Token): boolean {
  const type = t.tokenType;
  return type === T.Newline || type === T.Comment || (type === T.WhiteSpace && !t.image.includes("\u00a0"));
}

function endsWithNewline(image: string): boolean {
  const c = image.charCodeAt(image.length - 1);
  return c === 10 || c === 13;
}

/**
 * Whether the line start before root child k (0 < k <= root.length) is a clean boundary of the old
 * parse: the last significant token before it is a real statement end read at the top level, only
 * newlines, blanks and comments follow that, and no `else` comes next.
 */
function isCleanBoundary(root: Child[], k: number): boolean {
  const before = root[k - 1];
  if (!isToken(before) || (before.tokenType !== T.Eol && before.tokenType !== T.Newline) || !endsWithNewline(before.image)) return false;
  for (let j = k - 1; j >= 0; j--) {
    const c = root[j];
    if (!isToken(c)) return false;
    if (c.tokenType === T.Eol) return !elseFollows(root, k);
    if (!isRunTrivia(c)) return false;
  }
  return false;
}

/** Boundary k can start a region: clean, and no `\r` before it that would join a `\n` after it. */
function isStartBoundary(p: ParseResult, k: number, newText: string): boolean {
  if (k === 0) return true;
  if (!isCleanBoundary(p.tree.children, k)) return false;
  const at = boundaryOffset(p, k);
  return !(newText.charCodeAt(at - 1) === 13 && newText.charCodeAt(at) === 10);
}

/** Boundary k can end a region: clean, or the end of the text. */
function isEndBoundary(root: Child[], k: number): boolean {
  return k === root.length || (k > 0 && isCleanBoundary(root, k));
}

/** Whether the next significant thing from root child k on is an `else` (dropped at the top level). */
function elseFollows(root: Child[], k: number): boolean {
  for (let i = k; i < root.length; i++) {
    const c = root[i];
    if (isToken(c)) {
      if (c.tokenType.trivia) continue;
      return c.tokenType === T.Else;
    }
    return c.kind === "stray" && c.token.tokenType === T.Else;
  }
  return false;
}

/** Index of the first root child starting at or after `offset` (root.length when none). */
function firstChildAtOrAfter(root: Child[], offset: number): number {
  let lo = 0;
  let hi = root.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (childStart(root[mid]) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Parses new text between boundaries kA and kB of the old parse and splices it in; or says why not. */
function spliceRegion(previous: ParseResult, newText: string, kA: number, kB: number, consume: boolean): ParseResult | string {
  const oldText = previous.text;
  const root = previous.tree.children;
  const delta = newText.length - oldText.length;
  const A = boundaryOffset(previous, kA);
  const oldB = boundaryOffset(previous, kB);
  const newB = oldB + delta;
  if (newB < A) return "edit crosses the region";
  const atEnd = kB === root.length;
  const regionText = newText.slice(A, newB);

  if (!atEnd) {
    const last = regionText.charCodeAt(regionText.length - 1);
    if (regionText.length > 0 && last !== 10 && last !== 13) return "region does not end at a line end";
    if (last === 13 && newText.charCodeAt(newB) === 10) return "'\\r' + '\\n' across the region's end";
  }

  const region = parseConfig(regionText, { version: previous.version });
  const why = regionProblemsLeak(region, regionText, kA > 0, atEnd);
  if (why) return why;
  if (region.strays.some((st) => st.node.token.tokenType === T.Dollar)) return "a dropped '$' in the region";
  const rt = region.tokens;

  // Inside a text, a region starts in a run of newlines: a newline before anything significant
  // is trivia there, not the statement end it is at the start of a text (see above).
  if (kA > 0) {
    for (const t of rt) {
      if (t.tokenType === T.Eol) {
        if (t.image !== "") retype(t, T.Newline);
        break;
      }
      if (!isRunTrivia(t)) break;
    }
  }
  const firstSig = rt.find((t) => !t.tokenType.trivia);
  if (kA > 0 && firstSig?.tokenType === T.Else) return "'else' at the region's start";

  if (!atEnd) {
    if (rt.some((t) => t.tokenType === T.NulTail)) return "a NUL in the region";
    let lastSig: Token | undefined;
    for (let i = rt.length - 1; i >= 0 && !lastSig; i--) if (!rt[i].tokenType.trivia) lastSig = rt[i];
    if (lastSig) {
      if (lastSig.tokenType !== T.Eol || lastSig.image === "") return "the region does not end with a statement end";
      if (!endsAtTopLevel(region.tree, lastSig)) return "the region's last statement end is not at the top level";
    } else if (kA === 0) {
      // The text after it would start outside a run of newlines.
      return "nothing significant at the start of the text";
    }
  }

  // Lines and offsets.
  const lineA = kA === 0 ? 1 : (root[kA - 1] as Token).endLine;
  const lineShift = lineA - 1;
  const oldLineB = kB === 0 ? 1 : atEnd ? (previous.tokens.length ? previous.tokens[previous.tokens.length - 1].endLine : 1) : (root[kB - 1] as Token).endLine;
  const newLineB = rt.length ? rt[rt.length - 1].endLine + lineShift : lineA;
  const lineDelta = newLineB - oldLineB;

  // The tokenizer's errors come first, then what the parser found missing: each list is spliced.
  const problems: SyntaxProblem[] = [];
  for (const tokenizerErrors of [true, false]) {
    for (const p of previous.problems) if (isTokenizerError(p) === tokenizerErrors && p.start < A) problems.push(p);
    for (const p of region.problems) if (isTokenizerError(p) === tokenizerErrors) problems.push(shiftProblem(p, A));
    if (atEnd) continue;
    for (const p of previous.problems) {
      if (isTokenizerError(p) !== tokenizerErrors || p.start < oldB) continue;
      // A message that names a line would name another one now.
      if (lineDelta !== 0 && NAMES_A_LINE.test(p.message)) return "a problem after the region names a line";
      problems.push(shiftProblem(p, delta));
    }
  }

  // Tokens (those after the region still unshifted).
  const oldTokens = previous.tokens;
  // The commas outside parentheses, spliced like the tokens (the language server asks for them on
  // every edit: ignoredCommas): the previous ones before the region, the region's, then those after
  // it (read off their old offsets here, before those move).
  const oldCommas = ignoredCommas(previous);
  const commas: Token[] = [];
  let c = 0;
  for (; c < oldCommas.length && oldCommas[c].startOffset < A; c++) commas.push(oldCommas[c]);
  for (const t of ignoredCommas(region)) commas.push(t);
  while (c < oldCommas.length && oldCommas[c].startOffset < oldB) c++;
  const laterCommas = oldCommas.slice(c);
  const tA = firstTokenAtOrAfter(oldTokens, A);
  const tB = atEnd ? oldTokens.length : firstTokenAtOrAfter(oldTokens, oldB);
  // Counted over the tokens the result will have, before anything of the previous parse changes:
  // after a refusal the region is widened and the previous parse read again.
  const nestingCount = new NestingCounter();
  for (let i = 0; i < tA; i++) nestingCount.add(oldTokens[i].tokenType);
  for (let i = 0; i < rt.length; i++) nestingCount.add(rt[i].tokenType);
  for (let i = tB; i < oldTokens.length; i++) nestingCount.add(oldTokens[i].tokenType);
  const nesting = nestingCount.deepest;
  if (nesting > MAX_NESTING) return "nesting near the limit";

  // Tokens compute their lines from their text: every token of the result points at the new one.
  // Consuming the previous parse, its SourceText takes the new text: the tokens kept from it (all
  // but the region's) point there already, and only the region's are pointed at it.
  const source = consume ? previous.source.retext(newText) : new SourceText(newText);
  for (const t of rt) shiftTokenInPlace(t, A, source);
  for (const c of region.tree.children) if (!isToken(c)) shiftNodeInPlace(c, A);
  const suffixAt = tA + rt.length;
  // Consuming, the previous list takes the region's tokens in place of its own (no new list of
  // every token on each keystroke); else a new list. The tokens before the region are shared
  // with the previous parse: their text is the same in both, so pointing them at the new text
  // changes nothing for the previous parse, and lets the old texts go.
  const tokens = consume ? spliceInPlace(oldTokens, tA, tB, rt) : splicedCopy(oldTokens, tA, tB, rt, source);

  // Root children, body and strays: before the region the previous ones, then the region's.
  const children: Child[] = root.slice(0, kA);
  const body: Statement[] = [];
  for (let i = 0; i < kA; i++) if (!isToken(root[i])) body.push(root[i] as Statement);
  for (const c of region.tree.children) children.push(c);
  for (const st of region.tree.body) body.push(st);
  const strays: Stray[] = [];
  for (const st of previous.strays) if (st.node.start < A) strays.push(st);
  for (const st of region.strays) strays.push(st);
  const laterStrays = atEnd ? [] : previous.strays.filter((st) => st.node.start >= oldB);

  // After the region: the previous tokens and nodes moved (in place when the previous parse may
  // be consumed, else copies).
  if (consume) {
    // They point at `source` already (it is the previous parse's); an edit that keeps the length moves nothing.
    if (delta !== 0) for (let i = suffixAt; i < tokens.length; i++) shiftTokenInPlace(tokens[i], delta, source);
    for (let i = kB; i < root.length; i++) {
      const c = root[i];
      children.push(c);
      if (!isToken(c)) {
        shiftNodeInPlace(c, delta);
        body.push(c as Statement);
      }
    }
    for (const st of laterStrays) strays.push(st);
    for (const t of laterCommas) commas.push(t);
  } else {
    const copier = new SuffixCopier(oldTokens, tB, delta, source);
    for (let i = kB; i < root.length; i++) {
      const c = copier.copyChild(root[i]);
      children.push(c);
      if (!isToken(c)) body.push(c as Statement);
    }
    if (!copier.consumedAll()) return "internal: suffix tokens and tree disagree";
    for (let i = 0; i < copier.tokenCopies.length; i++) tokens[suffixAt + i] = copier.tokenCopies[i];
    if (laterCommas.length > 0) for (let i = suffixAt; i < tokens.length; i++) if (tokens[i].tokenType === T.IgnoredComma) commas.push(tokens[i]);
    for (const st of laterStrays) {
      const node = copier.strayCopies.get(st.node);
      if (!node) return "internal: stray outside the tree";
      strays.push({ node, context: st.context });
    }
  }

  const tree = { kind: "config", body, children, start: 0, end: newText.length } as ConfigNode;
  const tail = tokens[tokens.length - 1];
  const unreadFrom = tail?.tokenType === T.UnreadTail ? tail.startOffset : undefined;
  return { text: newText, source, version: previous.version, tree, tokens, strays, problems, unreadFrom, nesting, ignoredCommaTokens: commas, repairs: tokenRepairs(rt) };
}

const NAMES_A_LINE = /\bline \d/;

function isTokenizerError(p: SyntaxProblem): boolean {
  return p.kind === "tokenizer";
}

/**
 * Why the region's problems would not be the same in the whole text, if they would not: messages
 * naming a line (counted from the region's start), a BOM check at the region's first character,
 * and — unless the region runs to the end of the text — anything unfinished at its end (the
 * parser's "missing" problems, an unterminated string that may end further on).
 */
function regionProblemsLeak(region: ParseResult, regionText: string, inside: boolean, atEnd: boolean): string | undefined {
  if (region.problems.length === 0) return undefined;
  for (const p of region.problems) {
    if (p.kind === "limit") return "the region's parse gave up";
    if (NAMES_A_LINE.test(p.message)) return "a problem of the region names a line";
    if (!atEnd && !isTokenizerError(p)) return "the region ends in the middle of something";
  }
  if (inside && regionText.charCodeAt(0) === 0xfeff) return "a BOM at the region's start";
  if (!atEnd && region.tokens.some((t) => t.unterminated)) return "an unterminated string in the region";
  return undefined;
}

/** Whether `eol` is a direct child of the region's root (read by the top-level statement loop). */
function endsAtTopLevel(tree: ConfigNode, eol: Token): boolean {
  const ch = tree.children;
  for (let i = ch.length - 1; i >= 0; i--) {
    const c = ch[i];
    if (c === eol) return true;
    if (!isToken(c)) return false;
  }
  return false;
}

function firstTokenAtOrAfter(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `list` with [from, to) replaced by `items`, changed in place (the previous parse is consumed). */
function spliceInPlace(list: Token[], from: number, to: number, items: Token[]): Token[] {
  // splice's arguments go on the stack: a region of very many tokens is copied in instead.
  if (items.length > MAX_SPREAD) return splicedCopy(list, from, to, items, undefined);
  list.splice(from, to - from, ...items);
  return list;
}

/** At most this many tokens are passed to splice as arguments. */
const MAX_SPREAD = 10_000;

/** A new list: `list` with [from, to) replaced by `items`; the tokens before `from` pointed at `source` (when given). */
function splicedCopy(list: Token[], from: number, to: number, items: Token[], source: SourceText | undefined): Token[] {
  const out: Token[] = new Array(from + items.length + (list.length - to));
  let n = 0;
  for (let i = 0; i < from; i++) out[n++] = list[i];
  if (source) for (let i = 0; i < from; i++) list[i].source = source;
  for (let i = 0; i < items.length; i++) out[n++] = items[i];
  for (let i = to; i < list.length; i++) out[n++] = list[i];
  return out;
}

function shiftTokenInPlace(t: Token, offset: number, source: SourceText): void {
  t.startOffset += offset;
  t.endOffset += offset;
  t.source = source;
}

function shiftNodeInPlace(node: Node, offset: number): void {
  // An edit that keeps the length (a character typed over another) moves nothing.
  if (offset === 0) return;
  // A node without children keeps the placeholder range the parser gave it.
  const children = node.children;
  if (children.length === 0) return;
  node.start += offset;
  node.end += offset;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (!isToken(c)) shiftNodeInPlace(c, offset);
  }
}

function shiftProblem(p: SyntaxProblem, delta: number): SyntaxProblem {
  const out = { ...p, start: p.start + delta, end: p.end + delta };
  if (p.fix) out.fix = { ...p.fix, edits: p.fix.edits.map((e) => ({ ...e, range: [e.range[0] + delta, e.range[1] + delta] as [number, number] })) };
  return out;
}

function retype(t: Token, type: TokenType): void {
  t.tokenType = type;
}

/**
 * Copies of the tokens and nodes after the region, shifted. The previous parse is left untouched
 * (the editor may still hold it). The tree is walked in source order, which is the order of the
 * token list, so each token met in the tree is the next one of the list. Nodes are built as
 * object literals with the parser's property order, so they have the parser's shapes.
 */
class SuffixCopier {
  readonly tokenCopies: Token[];
  readonly strayCopies = new Map<StrayNode, StrayNode>();
  private next = 0;

  constructor(
    private readonly oldTokens: Token[],
    private readonly from: number,
    private readonly delta: number,
    private readonly source: SourceText,
  ) {
    this.tokenCopies = new Array(oldTokens.length - from);
  }

  consumedAll(): boolean {
    return this.next === this.tokenCopies.length;
  }

  copyChild(c: Child): Child {
    return (c as Token).tokenType !== undefined ? this.copyToken(c as Token) : this.copyNode(c as Node);
  }

  private copyToken(t: Token): Token {
    const i = this.next++;
    if (this.oldTokens[this.from + i] !== t) throw new Error("the tree's tokens are not in the order of the token list");
    const c = t.moved(this.delta, this.source);
    this.tokenCopies[i] = c;
    return c;
  }

  private copyNode(n: Node): Node {
    const o = n.children;
    const len = o.length;
    const ch: Child[] = new Array(len);
    for (let i = 0; i < len; i++) {
      const c = o[i];
      ch[i] = (c as Token).tokenType !== undefined ? this.copyToken(c as Token) : this.copyNode(c as Node);
    }
    // A node without children keeps the placeholder range the parser gave it.
    const d = len ? this.delta : 0;
    const start = n.start + d;
    const end = n.end + d;
    switch (n.kind) {
      case "assignment":
        return { kind: "assignment", key: pick(o, ch, n.key), op: pick(o, ch, n.op), value: pick(o, ch, n.value), children: ch, start, end };
      case "expression":
        return expressionNode(mapInOrder(n.operands, o, ch) as ValueNode[], ch, start, end);
      case "string":
        return { kind: "string", value: n.value, children: ch, start, end };
      case "integer":
      case "ref":
        return { kind: n.kind, children: ch, start, end };
      case "stray": {
        const copy: StrayNode = { kind: "stray", token: pick(o, ch, n.token), children: ch, start, end };
        this.strayCopies.set(n, copy);
        return copy;
      }
      case "array":
        return { kind: "array", open: pick(o, ch, n.open), close: pick(o, ch, n.close), elements: mapInOrder(n.elements, o, ch) as ArrayElementNode[], children: ch, start, end };
      case "element":
        return n.arrow !== undefined
          ? { kind: "element", key: pick(o, ch, n.key), arrow: pick(o, ch, n.arrow), value: pick(o, ch, n.value), children: ch, start, end }
          : { kind: "element", value: pick(o, ch, n.value), children: ch, start, end };
      case "conditionChain":
        return { kind: "conditionChain", branches: mapInOrder(n.branches, o, ch) as BranchNode[], children: ch, start, end };
      case "branch":
        return n.elseToken !== undefined
          ? { kind: "branch", elseToken: pick(o, ch, n.elseToken), condition: pick(o, ch, n.condition), block: pick(o, ch, n.block), children: ch, start, end }
          : { kind: "branch", condition: pick(o, ch, n.condition), block: pick(o, ch, n.block), children: ch, start, end };
      case "condition":
        return {
          kind: "condition",
          dollar: pick(o, ch, n.dollar),
          object: pick(o, ch, n.object),
          field: pick(o, ch, n.field),
          op: pick(o, ch, n.op),
          value: pick(o, ch, n.value),
          children: ch,
          start,
          end,
        };
      case "block":
        return { kind: "block", open: pick(o, ch, n.open), body: mapInOrder(n.body, o, ch) as Statement[], close: pick(o, ch, n.close), children: ch, start, end };
      case "include":
        return { kind: "include", keyword: pick(o, ch, n.keyword), shell: n.shell, arg: pick(o, ch, n.arg), children: ch, start, end };
      case "global":
        return { kind: "global", keyword: pick(o, ch, n.keyword), block: pick(o, ch, n.block), children: ch, start, end };
      case "config":
        throw new Error("a config node inside the tree");
    }
  }
}

/** The copy (in `newCh`) of `x`, one of the old children `oldCh` (undefined stays undefined). */
function pick<X>(oldCh: Child[], newCh: Child[], x: X): X {
  if (x === undefined) return x;
  for (let i = 0; i < oldCh.length; i++) if (oldCh[i] === (x as unknown)) return newCh[i] as X;
  throw new Error("a node's part is not among its children");
}

/** Maps `xs` (a subsequence of `oldCh`, in order) to the corresponding entries of `newCh`. */
function mapInOrder(xs: Child[], oldCh: Child[], newCh: Child[]): Child[] {
  const out: Child[] = new Array(xs.length);
  let j = 0;
  for (let i = 0; i < xs.length; i++) {
    while (j < oldCh.length && oldCh[j] !== xs[i]) j++;
    if (j === oldCh.length) throw new Error("a node's part is not among its children");
    out[i] = newCh[j++];
  }
  return out;
}
