/**
 * The parser for lighttpd 1.4's grammar (src/configparser.y), by recursive descent.
 *
 * lighttpd's LEMON grammar has no error symbol, so on an unexpected token LEMON silently throws
 * the token away and carries on; the parse only fails when input ends in the middle of a
 * construct. That is why lighttpd accepts `x = 1 2` (the 2 is dropped) or `else if COND {`
 * (before 1.4.74 everything up to `{` is dropped). This parser reproduces it: at each point where
 * LEMON has no default reduction, `drop` discards tokens into `StrayNode`s until an expected
 * token arrives. The parser never throws; what is missing at the end of input is recorded in
 * `missing`.
 *
 * The grammar is LL(1) with that recovery, so every decision below looks at the next token only
 * (`la(2)` once, for `else` on the line after `}`). It was a chevrotain parser until its per-rule
 * overhead dominated large files; grammar/chevrotain-parser.ts keeps that version as the
 * reference the property tests compare this one with (test/property/parser-reference.test.ts).
 */
import * as T from "./tokens.js";
import { EOF_TOKEN, type Token, type TokenList, type TokenType } from "./tokens.js";
import type {
  ArrayElementNode,
  ArrayNode,
  AssignmentNode,
  BlockNode,
  BranchNode,
  Child,
  ConditionChainNode,
  ConditionNode,
  ConfigNode,
  ExpressionNode,
  GlobalNode,
  IncludeNode,
  Node,
  Statement,
  StrayNode,
  ValueNode,
} from "../src/ast/nodes.js";
import {
  childEnd,
  childStart,
  expressionNode,
  foldedPart,
  isToken,
  literalElement,
  literalExpression,
  PENDING,
  pendingArray,
  pendingAssignment,
  pendingBlock,
  pendingCondition,
  pendingConditionChildren,
  tokenEnd,
  type FoldedPart,
  type LiteralKind,
} from "../src/ast/nodes.js";
import { fitted } from "../src/util/arrays.js";

/** Where a token was dropped; rules use it to explain what lighttpd did. */
export type DropContext =
  | "statement" // at the start of a statement
  | "after-key" // between a key and its `=`
  | "value" // where a value was expected
  | "after-element" // after an array element, where `,` or `)` was expected
  | "array" // at the start of an array or after a comma
  | "condition" // inside a condition header
  | "before-block" // between a condition (or `global`) and its `{`
  | "else"; // between `else` and `{`

export interface Stray {
  node: StrayNode;
  context: DropContext;
}

/** Something the input ended before: `{` never closed, a value never given, ... */
export interface Missing {
  what: string;
  /** The token that opened what is missing, or the last token before EOF (EOF_TOKEN when none). */
  at: Token;
}

export interface ParsedTokens {
  config: ConfigNode;
  strays: Stray[];
  missing: Missing[];
  /**
   * Statement ends read between statements: the only tokens the parser consumes without putting
   * them into the tree (every other consumed token is a child of some node), in source order, as
   * indexes into the token list.
   */
  unplaced: number[];
}

/** Sets of token types, as predicates (a comparison chain is cheaper than `includes`). */
type TypeSet = (t: TokenType) => boolean;
/** A single-token value: a string, an integer or a name. */
const isLiteral: TypeSet = (t) => t === T.StringLit || t === T.Key || t === T.IntegerLit;
const VALUE_START: TypeSet = (t) => isLiteral(t) || t === T.LParen;
const ASSIGN_OPS: TypeSet = (t) => t === T.Assign || t === T.Append || t === T.ForceAssign;
const ARRAY_LEAD: TypeSet = (t) => VALUE_START(t) || t === T.RParen;
const COMMA_OR_CLOSE: TypeSet = (t) => t === T.Comma || t === T.RParen;
const SRV_VAR_NAME: TypeSet = (t) => t === T.SrvVarName;
const LBRACKET: TypeSet = (t) => t === T.LBracket;
const RBRACKET: TypeSet = (t) => t === T.RBracket;
const LCURLY: TypeSet = (t) => t === T.LCurly;
const CONDITION_OP: TypeSet = (t) => t === T.Eq || t === T.Match || t === T.Ne || t === T.NoMatch || t === T.Prefix || t === T.Suffix;

/** What `drop` returns when nothing is dropped (most of the time); never modified. */
const NO_STRAYS: StrayNode[] = Object.freeze([]) as unknown as StrayNode[];

/** The value lighttpd sees of string token `i`: the text between the quotes, where `\\"` is `"` (its only escape). */
function stringValue(tokens: TokenList, i: number): string {
  const end = tokens.end(i);
  const inner = tokens.source.text.slice(tokens.start(i) + 1, tokens.isUnterminated(i) ? end : end - 1);
  return inner.indexOf("\\") < 0 ? inner : inner.replace(/\\"/g, '"');
}

/*
 * In a parse made with `pending: true` the children list of a value (string, integer, ref), an
 * array element, a block, and a list, an assignment or a condition branch without dropped tokens
 * is PENDING: the list follows from the node's fields and the token list, and is made only when
 * `fillPendingChildren` runs (the lossless tree is asked for). Nothing else reads these lists; a
 * large config has 200,000 values and 90,000 elements, and their tokens (the value's own, `=>`,
 * the commas) are then never made as objects. A single literal value is not made as a node either
 * (src/ast/nodes.ts literalExpression).
 */

/** Parses significant tokens (grammar/tokenizer.ts) into a tree without trivia. */
export function parseTokens(tokens: TokenList, options: { pending?: boolean } = {}): ParsedTokens {
  const p = new Parser(tokens, options.pending === true);
  const body = p.statements(false);
  const config: ConfigNode = { kind: "config", body, children: body.slice(), start: 0, end: 0 };
  return { config, strays: p.strays, missing: p.missing, unplaced: p.unplaced };
}

/*
 * Node objects are built as literals with their fields always in the same order (the incremental
 * re-parse copies them the same way), so each kind has one shape. Array literals get exactly the
 * room they need where the common case allows: a large config keeps 100,000s of child lists.
 */
class Parser {
  readonly strays: Stray[] = [];
  readonly missing: Missing[] = [];
  readonly unplaced: number[] = [];
  /** Index of the next token; it passes the end by one when a list "consumes" the end of input. */
  private pos = 0;

  constructor(
    private readonly tokens: TokenList,
    private readonly pending: boolean,
  ) {}

  /** The type of the token `k` ahead (1 = next), EOF past the end. */
  private la(k: number): TokenType {
    const i = this.pos + k - 1;
    return i < this.tokens.length ? this.tokens.type(i) : T.EOF;
  }

  private next(): Token {
    return this.tokens.token(this.pos++);
  }

  /** The token read last (EOF_TOKEN before the first and after the end of input was consumed). */
  private lastToken(): Token {
    const i = this.pos - 1;
    return i >= 0 && i < this.tokens.length ? this.tokens.token(i) : EOF_TOKEN;
  }

  private stray(token: Token, context: DropContext): StrayNode {
    const node: StrayNode = { kind: "stray", token, children: [token], start: token.startOffset, end: tokenEnd(token) };
    this.strays.push({ node, context });
    return node;
  }

  /** Discards tokens until one of `stop` (or the end of input) comes: LEMON's recovery. */
  private drop(stop: TypeSet, context: DropContext): StrayNode[] {
    let type = this.la(1);
    if (type === T.EOF || stop(type)) return NO_STRAYS;
    const dropped: StrayNode[] = [];
    do {
      dropped.push(this.stray(this.next(), context));
      type = this.la(1);
    } while (type !== T.EOF && !stop(type));
    return dropped;
  }

  statements(inBlock: boolean): Statement[] {
    const body: Statement[] = [];
    for (;;) {
      const type = this.la(1);
      if (type === T.EOF || (inBlock && type === T.RCurly)) return fitted(body);
      if (type === T.Key) body.push(this.assignment());
      else if (type === T.Dollar) body.push(this.conditionChain());
      else if (type === T.Include || type === T.IncludeShell) body.push(this.include());
      else if (type === T.Global) body.push(this.globalBlock());
      else if (type === T.Eol) this.unplaced.push(this.pos++);
      else body.push(this.stray(this.next(), "statement"));
    }
  }

  private assignment(): AssignmentNode {
    let key: Token;
    let dropped = NO_STRAYS;
    let op: Token | undefined;
    let value: ExpressionNode | undefined;
    if (this.pending && ASSIGN_OPS(this.la(2))) {
      // A lazy parse's assignment without dropped tokens: its key and operator stay indexes (src/ast/nodes.ts pendingAssignment).
      const keyAt = this.pos;
      this.pos += 2;
      value = this.expression(true);
      if (value) return pendingAssignment(this.tokens, keyAt, value);
      key = this.tokens.token(keyAt);
      op = this.tokens.token(keyAt + 1);
    } else {
      key = this.next();
      dropped = this.drop(ASSIGN_OPS, "after-key");
      if (ASSIGN_OPS(this.la(1))) {
        op = this.next();
        value = this.expression(true);
      }
    }
    if (!op) this.missing.push({ what: `'=' after '${key.image}'`, at: key });
    // A complete assignment without dropped tokens: its children follow from its fields.
    if (dropped.length === 0 && op && value) return { kind: "assignment", key, op, value, children: [key, op, value], start: key.startOffset, end: value.end };
    const children: Child[] = [key];
    pushAll(children, dropped);
    if (op) children.push(op);
    if (value) children.push(value);
    return { kind: "assignment", key, op, value, children, start: key.startOffset, end: childEnd(children[children.length - 1]) };
  }

  /** `value (+ value)*`. With `dropFirst`, tokens before the first value are dropped. */
  private expression(dropFirst: boolean): ExpressionNode | undefined {
    const before = dropFirst ? this.drop(VALUE_START, "value") : NO_STRAYS;
    if (this.pending && before.length === 0 && this.la(2) !== T.Plus) {
      // A lazy parse's single literal (most values): no node for it until one is asked for.
      if (isLiteral(this.la(1))) {
        const i = this.pos++;
        const kind = this.literalKind(i);
        return literalExpression(kind, kind === "string" ? stringValue(this.tokens, i) : "", this.tokens.start(i), this.tokens.end(i));
      }
    }
    const first = VALUE_START(this.la(1)) ? this.value() : undefined;
    if (first !== undefined && before.length === 0 && this.la(1) !== T.Plus) {
      // The usual case, a single value (in a lazy parse its children list is made with the lossless tree).
      return expressionNode([first], this.pending ? PENDING : [first], first.start, first.end);
    }
    // Numbers are `+` tokens not made as objects: a lazy parse makes them with the lossless tree
    // (fillPendingChildren) when nothing was dropped or missing.
    const children: (Child | number)[] = before.length ? before.slice() : first ? [first] : [];
    const operands: ValueNode[] = first ? [first] : [];
    let complete = before.length === 0;
    if (first && before.length) children.push(first);
    if (first !== undefined) {
      while (this.la(1) === T.Plus) {
        const plusAt = this.pos;
        const plus = this.pending ? this.pos++ : this.next();
        const dropped = this.drop(VALUE_START, "value");
        const v = VALUE_START(this.la(1)) ? this.value() : undefined;
        children.push(plus);
        pushAll(children, dropped);
        if (dropped.length) complete = false;
        if (v) {
          operands.push(v);
          children.push(v);
        } else {
          this.missing.push({ what: "a value after '+'", at: this.tokens.token(plusAt) });
          complete = false;
        }
      }
    } else {
      this.missing.push({ what: "a value", at: this.lastToken() });
      if (children.length === 0) return undefined;
    }
    const edge = (c: Child | number, end: boolean): number => (typeof c === "number" ? (end ? this.tokens.end(c) : this.tokens.start(c)) : end ? childEnd(c) : childStart(c));
    const start = edge(children[0], false);
    const end = edge(children[children.length - 1], true);
    if (this.pending && complete) return expressionNode(fitted(operands), PENDING, start, end);
    return expressionNode(fitted(operands), fitted(children.map((c) => (typeof c === "number" ? this.tokens.token(c) : c))), start, end);
  }

  /** One value; the next token starts one (VALUE_START). */
  private value(): ValueNode {
    const type = this.la(1);
    if (type === T.LParen) return this.array();
    const i = this.pos++;
    const start = this.tokens.start(i);
    const end = this.tokens.end(i);
    const children = this.pending ? PENDING : [this.tokens.token(i)];
    if (type === T.StringLit) return { kind: "string", value: stringValue(this.tokens, i), children, start, end };
    return { kind: type === T.IntegerLit ? "integer" : "ref", children, start, end };
  }

  private array(): ArrayNode {
    // In a lazy parse `(` and `)` stay indexes (src/ast/nodes.ts pendingArray) unless the list has a stray token.
    const openAt = this.pos;
    const open = this.pending ? openAt : this.tokens.token(openAt);
    this.pos++;
    // Numbers are commas not made as objects yet (a lazy parse makes them only if the list has a
    // stray token, which needs the children now).
    const parts: (Child | number)[] = [open];
    const elements: ArrayElementNode[] = [];
    let close: Token | number | undefined;
    let strays = this.pushDropped(parts, this.drop(ARRAY_LEAD, "array"));
    if (VALUE_START(this.la(1))) {
      const e = this.element();
      elements.push(e);
      parts.push(e);
    }
    let more = true;
    while (more && this.la(1) !== T.EOF) {
      strays = this.pushDropped(parts, this.drop(COMMA_OR_CLOSE, "after-element")) || strays;
      const type = this.la(1);
      if (type === T.RParen) {
        close = this.pending ? this.pos++ : this.next();
        parts.push(close);
        more = false;
      } else if (type === T.Comma) {
        parts.push(this.pending ? this.pos++ : this.next());
        if (VALUE_START(this.la(1))) {
          const e = this.element();
          elements.push(e);
          parts.push(e);
        }
      } else {
        // The end of input, "consumed" as chevrotain did: lastToken() is EOF_TOKEN from here on.
        this.pos++;
        more = false;
      }
    }
    if (close === undefined) this.missing.push({ what: "')'", at: this.tokens.token(openAt) });
    const last = parts[parts.length - 1];
    const end = typeof last === "number" ? this.tokens.end(last) : childEnd(last);
    if (this.pending && !strays) return pendingArray(this.tokens, openAt, typeof close === "number" ? close : -1, fitted(elements), end);
    const children = parts.map((p) => (typeof p === "number" ? this.tokens.token(p) : p));
    const closeToken = typeof close === "number" ? this.tokens.token(close) : close;
    return { kind: "array", open: this.tokens.token(openAt), close: closeToken, elements: fitted(elements), children, start: this.tokens.start(openAt), end };
  }

  /** Appends dropped tokens; whether there were any. */
  private pushDropped(target: (Child | number)[], dropped: StrayNode[]): boolean {
    pushAll(target, dropped);
    return dropped.length > 0;
  }

  private element(): ArrayElementNode {
    if (this.pending) {
      const folded = this.literalElement();
      if (folded) return folded;
    }
    const first = this.expression(false);
    let arrow: Token | undefined;
    let value: ExpressionNode | undefined;
    // The `=>` token's index, when there is one: in a lazy parse it is made only with the lossless tree.
    let arrowAt = -1;
    if (this.la(1) === T.ArrayAssign) {
      arrowAt = this.pos++;
      if (!this.pending) arrow = this.tokens.token(arrowAt);
      value = this.expression(true);
    }
    // The element spans its parts: key or value, `=>`, value.
    const start = first ? first.start : arrowAt >= 0 ? this.tokens.start(arrowAt) : 0;
    const end = value ? value.end : arrowAt >= 0 ? this.tokens.end(arrowAt) : first ? first.end : 0;
    const children = this.pending ? PENDING : elementChildren(first, arrow, value);
    return arrowAt >= 0 ? { kind: "element", key: first, arrow, value, children, start, end } : { kind: "element", value: first, children, start, end };
  }

  /**
   * A lazy parse's list element whose key (if any) and value are single literals (nearly every
   * element of a large config): one object, no expression or value node made (src/ast/nodes.ts
   * literalElement). Undefined, nothing read, for any other element.
   */
  private literalElement(): ArrayElementNode | undefined {
    if (!isLiteral(this.la(1)) || this.la(2) === T.Plus) return undefined;
    const keyed = this.la(2) === T.ArrayAssign;
    if (keyed && !(isLiteral(this.la(3)) && this.la(4) !== T.Plus)) return undefined;
    const k = this.pos;
    const v = keyed ? k + 2 : k;
    this.pos = v + 1;
    const value = this.foldedPart(v);
    return literalElement(this.tokens, k, keyed ? this.foldedPart(k) : undefined, value);
  }

  /** Literal token `i` as a folded element's part (src/ast/nodes.ts foldedPart). */
  private foldedPart(i: number): FoldedPart {
    const kind = this.literalKind(i);
    return foldedPart(kind, kind === "string" && !this.plainString(i) ? stringValue(this.tokens, i) : undefined);
  }

  /** Whether string token `i` is closed and has no backslash: its value is the text between its quotes. */
  private plainString(i: number): boolean {
    const tokens = this.tokens;
    if (tokens.isUnterminated(i)) return false;
    const text = tokens.source.text;
    const last = tokens.end(i) - 1;
    for (let j = tokens.start(i) + 1; j < last; j++) if (text.charCodeAt(j) === 92 /* backslash */) return false;
    return true;
  }

  /** The kind of literal token `i`. */
  private literalKind(i: number): LiteralKind {
    const type = this.tokens.type(i);
    return type === T.StringLit ? "string" : type === T.IntegerLit ? "integer" : "ref";
  }

  private conditionChain(): ConditionChainNode {
    const children: Child[] = [];
    const branches: BranchNode[] = [];
    const first = this.condition();
    const block = this.blockAfter("before-block");
    const bc: Child[] = [first];
    pushAll(bc, block.children);
    // Without dropped tokens a branch's children are its fields in order (PENDING in a lazy parse: branchChildren).
    const b: BranchNode = {
      kind: "branch",
      condition: first,
      block: block.block,
      children: this.pending && block.block && block.children.length === 1 ? PENDING : fitted(bc),
      start: first.start,
      end: childEnd(bc[bc.length - 1]),
    };
    branches.push(b);
    children.push(b);
    // `else` continues the chain, also on the line after the `}`.
    while (this.la(1) === T.Else || (this.la(1) === T.Eol && this.la(2) === T.Else)) {
      if (this.la(1) === T.Eol) children.push(this.next());
      const elseToken = this.next();
      const cond = this.la(1) === T.Dollar ? this.condition() : undefined;
      const b2 = this.blockAfter(cond ? "before-block" : "else");
      const bc2: Child[] = [elseToken];
      if (cond) bc2.push(cond);
      pushAll(bc2, b2.children);
      const branch: BranchNode = {
        kind: "branch",
        elseToken,
        condition: cond,
        block: b2.block,
        children: this.pending && b2.block && b2.children.length === 1 ? PENDING : fitted(bc2),
        start: elseToken.startOffset,
        end: childEnd(bc2[bc2.length - 1]),
      };
      branches.push(branch);
      children.push(branch);
    }
    return { kind: "conditionChain", branches: fitted(branches), children: fitted(children), start: childStart(children[0]), end: childEnd(children[children.length - 1]) };
  }

  private condition(): ConditionNode {
    // A lazy parse keeps the header's tokens as indexes (numbers in `parts`) and, without dropped
    // tokens, makes none of them (src/ast/nodes.ts pendingCondition); an eager one makes them in order.
    const take = (): Token | number => (this.pending ? this.pos++ : this.next());
    const dollarAt = this.pos;
    const parts: (Child | number)[] = [take()];
    let objectAt = -1;
    let field: ExpressionNode | undefined;
    let opAt = -1;
    let value: ExpressionNode | undefined;
    let strays = this.pushDropped(parts, this.drop(SRV_VAR_NAME, "condition"));
    if (this.la(1) === T.SrvVarName) {
      objectAt = this.pos;
      parts.push(take());
      strays = this.pushDropped(parts, this.drop(LBRACKET, "condition")) || strays;
      if (this.la(1) === T.LBracket) {
        const lb = take();
        field = this.expression(true);
        parts.push(lb);
        if (field) parts.push(field);
        strays = this.pushDropped(parts, this.drop(RBRACKET, "condition")) || strays;
        if (this.la(1) === T.RBracket) {
          parts.push(take());
          strays = this.pushDropped(parts, this.drop(CONDITION_OP, "condition")) || strays;
          if (CONDITION_OP(this.la(1))) {
            opAt = this.pos;
            const op = take();
            value = this.expression(true);
            parts.push(op);
            if (value) parts.push(value);
          }
        }
      }
    }
    const token = (i: number): Token | undefined => (i < 0 ? undefined : this.tokens.token(i));
    if (opAt < 0) this.missing.push({ what: 'a complete condition ($OBJECT["field"] operator "value")', at: token(dollarAt)! });
    const last = parts[parts.length - 1];
    const end = typeof last === "number" ? this.tokens.end(last) : childEnd(last);
    if (this.pending && !strays && field && value) return pendingCondition(this.tokens, dollarAt, opAt, field, value, end);
    const children = fitted(parts.map((p) => (typeof p === "number" ? this.tokens.token(p) : p)));
    return { kind: "condition", dollar: token(dollarAt)!, object: token(objectAt), field, op: token(opAt), value, children, start: this.tokens.start(dollarAt), end };
  }

  /** Drops tokens up to `{`, then reads a block. Returns the dropped tokens and the block. */
  private blockAfter(context: DropContext): { children: Child[]; block?: BlockNode } {
    const dropped = this.drop(LCURLY, context);
    const block = this.la(1) === T.LCurly ? this.block() : undefined;
    if (!block) this.missing.push({ what: "'{'", at: this.lastToken() });
    const children: Child[] = dropped.slice();
    if (block) children.push(block);
    return { children, block };
  }

  private block(): BlockNode {
    if (this.pending) {
      // Its children are its fields in order, `{` and `}` indexes till then (src/ast/nodes.ts pendingBlock).
      const openAt = this.pos++;
      const body = this.statements(true);
      const closeAt = this.la(1) === T.RCurly ? this.pos++ : -1;
      if (closeAt < 0) this.missing.push({ what: "'}'", at: this.tokens.token(openAt) });
      const end = closeAt >= 0 ? this.tokens.end(closeAt) : body.length ? body[body.length - 1].end : this.tokens.end(openAt);
      return pendingBlock(this.tokens, openAt, closeAt, body, end);
    }
    const open = this.next();
    const body = this.statements(true);
    const close = this.la(1) === T.RCurly ? this.next() : undefined;
    if (!close) this.missing.push({ what: "'}'", at: open });
    const end = close ? tokenEnd(close) : body.length ? body[body.length - 1].end : tokenEnd(open);
    return { kind: "block", open, body, close, children: blockChildren(open, body, close), start: open.startOffset, end };
  }

  private include(): IncludeNode {
    const keyword = this.next();
    const arg = this.expression(true);
    const children: Child[] = arg ? [keyword, arg] : [keyword];
    return { kind: "include", keyword, shell: keyword.tokenType === T.IncludeShell, arg, children, start: keyword.startOffset, end: childEnd(children[children.length - 1]) };
  }

  private globalBlock(): GlobalNode {
    const keyword = this.next();
    const b = this.blockAfter("before-block");
    const children: Child[] = [keyword];
    pushAll(children, b.children);
    return { kind: "global", keyword, block: b.block, children, start: keyword.startOffset, end: childEnd(children[children.length - 1]) };
  }
}

/** push(...items) overflows the stack for very long lists (100k dropped tokens in junk input). */
export function pushAll<T>(target: T[], items: T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}

/** An element's children: its parts in source order. */
function elementChildren(first: ExpressionNode | undefined, arrow: Token | undefined, value: ExpressionNode | undefined): Child[] {
  if (first && arrow && value) return [first, arrow, value];
  if (first && !arrow) return [first];
  const children: Child[] = [];
  if (first) children.push(first);
  if (arrow) children.push(arrow);
  if (value) children.push(value);
  return children;
}

/** Makes every PENDING children list of a tree parsed with `pending: true` from `tokens`, its token list. */
export function fillPendingChildren(node: Node, tokens: TokenList): void {
  if (node.children === PENDING) {
    if (node.kind === "assignment") node.children = [node.key, node.op!, node.value!];
    else if (node.kind === "condition") node.children = pendingConditionChildren(node)!;
    else if (node.kind === "block") node.children = blockChildren(node.open, node.body, node.close);
    else if (node.kind === "branch") node.children = branchChildren(node);
    else if (node.kind === "element") {
      if (node.key) node.arrow = tokens.token(indexOf(tokens, T.ArrayAssign, node.key.end));
      node.children = node.arrow ? elementChildren(node.key, node.arrow, node.value) : elementChildren(node.value, undefined, undefined);
    } else if (node.kind === "array") node.children = arrayChildren(node, tokens);
    else if (node.kind === "expression") node.children = expressionChildren(node, tokens);
    else node.children = [tokens.token(indexOf(tokens, node.kind === "string" ? T.StringLit : node.kind === "integer" ? T.IntegerLit : T.Key, node.start))];
  }
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (!isToken(c)) fillPendingChildren(c, tokens);
  }
}

/** The children of an expression without dropped tokens: its operands with a `+` between each two. */
function expressionChildren(node: ExpressionNode, tokens: TokenList): Child[] {
  const operands = node.operands;
  if (operands.length === 1) return operands;
  const children: Child[] = [operands[0]];
  for (let i = 1; i < operands.length; i++) children.push(tokens.token(indexOf(tokens, T.Plus, operands[i - 1].end)), operands[i]);
  return children;
}

/** A block's children: `{`, its statements, `}` (absent when the input ended first). */
function blockChildren(open: Token, body: Statement[], close: Token | undefined): Child[] {
  const children: Child[] = new Array(body.length + (close ? 2 : 1));
  children[0] = open;
  for (let i = 0; i < body.length; i++) children[i + 1] = body[i];
  if (close) children[body.length + 1] = close;
  return children;
}

/** A branch's children without dropped tokens: `else` (if any), its condition (if any), its block. */
function branchChildren(node: BranchNode): Child[] {
  const children: Child[] = [];
  if (node.elseToken) children.push(node.elseToken);
  if (node.condition) children.push(node.condition);
  if (node.block) children.push(node.block);
  return fitted(children);
}

/** The index of the first token of `type` at or after `offset` (zero-width tokens may come first). */
function indexOf(tokens: TokenList, type: TokenType, offset: number): number {
  let i = tokens.firstAtOrAfter(offset);
  while (i < tokens.length && tokens.type(i) !== type) i++;
  if (i === tokens.length) throw new Error(`internal: no ${type.name} token at ${offset}`);
  return i;
}

/**
 * The children of a list without dropped tokens: `(`, then its elements with the commas between,
 * before and after them, then `)` unless the input ended first (every token left is then a comma).
 */
function arrayChildren(node: ArrayNode, tokens: TokenList): Child[] {
  const children: Child[] = [node.open];
  let i = indexOf(tokens, T.LParen, node.open.startOffset) + 1;
  const commasUntil = (offset: number) => {
    for (; i < tokens.length && tokens.start(i) < offset && tokens.type(i) === T.Comma; i++) children.push(tokens.token(i));
  };
  for (const e of node.elements) {
    commasUntil(e.start);
    children.push(e);
    i = tokens.firstAtOrAfter(e.end);
  }
  commasUntil(node.close ? node.close.startOffset : Infinity);
  if (node.close) children.push(node.close);
  return children;
}
