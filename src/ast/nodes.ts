/**
 * The lossless syntax tree. Every node lists its children (nodes and tokens, trivia included) in
 * source order, so printing the children of the root reproduces the input exactly.
 * Offsets are UTF-16 offsets into the decoded text; `end` is exclusive.
 */
import type { Token, TokenList } from "../../grammar/tokens.js";

export type { Token };
export type Child = Node | Token;

interface NodeBase {
  start: number;
  end: number;
  children: Child[];
}

export interface ConfigNode extends NodeBase {
  kind: "config";
  body: Statement[];
}

export type Statement = AssignmentNode | ConditionChainNode | IncludeNode | GlobalNode | StrayNode;

export interface AssignmentNode extends NodeBase {
  kind: "assignment";
  key: Token;
  /** `=`, `+=` or `:=`; missing only when the file ended first. */
  op?: Token;
  value?: ExpressionNode;
}

/** Values joined by `+`. Made with `expressionNode`. */
export interface ExpressionNode extends NodeBase {
  kind: "expression";
  /** A new list on each read when there is one operand (most values): read it once. */
  readonly operands: ValueNode[];
}

/**
 * The children list of a node in a lazy parse (src/parse/parse.ts) before the lossless tree is
 * asked for: made then from the node's fields and the token list (grammar/parser.ts
 * fillPendingChildren). Shared and frozen: nothing may push to it.
 */
export const PENDING: Child[] = Object.freeze([]) as unknown as Child[];

/*
 * A lazy parse's assignments, conditions, lists and blocks without dropped tokens keep their tokens
 * as indexes into the token list: an assignment's key and operator, a condition's `$`, object,
 * brackets and operator, a list's `(` `)`, a block's `{` `}` are made as objects only when asked
 * for (`tokens.token(i)` makes each once, so the lossless tree gets the same ones; an expression's
 * `+` likewise, grammar/parser.ts expressionChildren). A lint reads their text and offsets without
 * making them (assignmentKey, assignmentOperator, conditionObject, ...): 64,000 token objects
 * fewer, about 4 MB, for 100,000 lines. `kind` and the PENDING children are on the prototypes.
 */

class PendingAssignment implements AssignmentNode {
  declare readonly kind: "assignment";
  declare children: Child[];

  constructor(
    public start: number,
    public end: number,
    public value: ExpressionNode,
    readonly tokens: TokenList,
    /** The key's index; the operator is the next token. */
    readonly keyAt: number,
  ) {}

  get key(): Token {
    return this.tokens.token(this.keyAt);
  }

  get op(): Token {
    return this.tokens.token(this.keyAt + 1);
  }
}

/** A list or block between brackets: `(`/`{` is token `openAt`, `)`/`}` token `closeAt` (-1 when the input ended first). */
abstract class PendingBracketed {
  constructor(
    public start: number,
    public end: number,
    private readonly tokens: TokenList,
    private readonly openAt: number,
    private readonly closeAt: number,
  ) {}

  get open(): Token {
    return this.tokens.token(this.openAt);
  }

  get close(): Token | undefined {
    return this.closeAt < 0 ? undefined : this.tokens.token(this.closeAt);
  }
}

class PendingArray extends PendingBracketed implements ArrayNode {
  declare readonly kind: "array";
  declare children: Child[];

  constructor(
    public elements: ArrayElementNode[],
    ...bracketed: ConstructorParameters<typeof PendingBracketed>
  ) {
    super(...bracketed);
  }
}

class PendingBlock extends PendingBracketed implements BlockNode {
  declare readonly kind: "block";
  declare children: Child[];

  constructor(
    public body: Statement[],
    ...bracketed: ConstructorParameters<typeof PendingBracketed>
  ) {
    super(...bracketed);
  }
}

/** `$OBJECT[field] op value` without dropped tokens: `$` is token `dollarAt`, the object the next, `op` token `opAt` (`]` before it). */
class PendingCondition implements ConditionNode {
  declare readonly kind: "condition";
  declare children: Child[];

  constructor(
    public start: number,
    public end: number,
    public field: ExpressionNode,
    public value: ExpressionNode,
    readonly tokens: TokenList,
    readonly dollarAt: number,
    readonly opAt: number,
  ) {}

  get dollar(): Token {
    return this.tokens.token(this.dollarAt);
  }

  get object(): Token {
    return this.tokens.token(this.dollarAt + 1);
  }

  get op(): Token {
    return this.tokens.token(this.opAt);
  }
}

Object.assign(PendingAssignment.prototype, { kind: "assignment", children: PENDING });
Object.assign(PendingCondition.prototype, { kind: "condition", children: PENDING });
Object.assign(PendingArray.prototype, { kind: "array", children: PENDING });
Object.assign(PendingBlock.prototype, { kind: "block", children: PENDING });

/** A lazy parse's complete assignment without dropped tokens: key token `keyAt`, then its operator, then `value`. */
export function pendingAssignment(tokens: TokenList, keyAt: number, value: ExpressionNode): AssignmentNode {
  return new PendingAssignment(tokens.start(keyAt), value.end, value, tokens, keyAt);
}

/** A lazy parse's list without dropped tokens from `(` token `openAt` to `end` (`closeAt` -1: never closed). */
export function pendingArray(tokens: TokenList, openAt: number, closeAt: number, elements: ArrayElementNode[], end: number): ArrayNode {
  return new PendingArray(elements, tokens.start(openAt), end, tokens, openAt, closeAt);
}

/** A lazy parse's block from `{` token `openAt` to `end` (`closeAt` -1: never closed). */
export function pendingBlock(tokens: TokenList, openAt: number, closeAt: number, body: Statement[], end: number): BlockNode {
  return new PendingBlock(body, tokens.start(openAt), end, tokens, openAt, closeAt);
}

/** A lazy parse's complete condition without dropped tokens (PendingCondition), ending at `end`. */
export function pendingCondition(tokens: TokenList, dollarAt: number, opAt: number, field: ExpressionNode, value: ExpressionNode, end: number): ConditionNode {
  return new PendingCondition(tokens.start(dollarAt), end, field, value, tokens, dollarAt, opAt);
}

/** The children of a PendingCondition: `$`, the object, `[`, the field, `]`, the operator, the value. */
export function pendingConditionChildren(node: ConditionNode): Child[] | undefined {
  if (!(node instanceof PendingCondition)) return undefined;
  const t = node.tokens;
  return [node.dollar, node.object, t.token(node.dollarAt + 2), node.field, t.token(node.opAt - 1), node.op, node.value];
}

/** A condition's object (`HTTP`, `SERVER`, ...) as written, without making its token; undefined when it has none. */
export function conditionObject(node: ConditionNode): string | undefined {
  if (!(node instanceof PendingCondition)) return node.object?.image;
  return node.tokens.image(node.dollarAt + 1);
}

/** A condition's operator as written, without making its token; undefined when it has none. */
export function conditionOperator(node: ConditionNode): string | undefined {
  if (!(node instanceof PendingCondition)) return node.op?.image;
  return node.tokens.image(node.opAt);
}

/** Where a condition's `]` ends, without making it; undefined when it has none. */
export function conditionBracketEnd(node: ConditionNode): number | undefined {
  if (node instanceof PendingCondition) return node.tokens.end(node.opAt - 1);
  const bracket = node.children.find((c) => isToken(c) && c.tokenType.name === "RBracket");
  return bracket && isToken(bracket) ? tokenEnd(bracket) : undefined;
}

/** The key of an assignment as written (it starts where the assignment does), without making its token. */
export function assignmentKey(node: AssignmentNode): string {
  return node instanceof PendingAssignment ? node.tokens.image(node.keyAt) : node.key.image;
}

/** Where an assignment's key ends, without making its token. */
export function assignmentKeyEnd(node: AssignmentNode): number {
  return node instanceof PendingAssignment ? node.tokens.end(node.keyAt) : tokenEnd(node.key);
}

/** An assignment's operator (`=`, `+=`, `:=`) as written, without making its token; undefined when it has none. */
export function assignmentOperator(node: AssignmentNode): string | undefined {
  return node instanceof PendingAssignment ? node.tokens.image(node.keyAt + 1) : node.op?.image;
}

/**
 * A single literal operand a lazy parse has not made as a node yet: the string literal's value,
 * or one of these for an integer or a name. The evaluator reads what it needs from the
 * expression (its span is the operand's); anything that asks for the operand gets it made, once.
 */
const UNMADE_INTEGER = 0;
const UNMADE_REF = 1;
type Unmade = string | typeof UNMADE_INTEGER | typeof UNMADE_REF;

/** The kinds of single-token value. */
export type LiteralKind = "string" | "integer" | "ref";

function unmade(kind: LiteralKind, value: string): Unmade {
  return kind === "string" ? value : kind === "integer" ? UNMADE_INTEGER : UNMADE_REF;
}

/**
 * Most expressions are a single value. Keeping that value instead of a list of one saves two
 * long-lived objects per value (a list and its storage), a fifth of a large config's tree; in a
 * lazy parse a single literal is not even made as a node until something asks for it (a large
 * config's evaluation never does: 180,000 objects fewer for 100,000 lines).
 */
class Expression implements ExpressionNode {
  // On the prototype (below): the same for the 100,000s of a large config's lazy parse, until
  // fillPendingChildren gives one its own children.
  declare readonly kind: "expression";
  declare children: Child[];

  constructor(
    children: Child[],
    public start: number,
    public end: number,
    private parts: ValueNode | ValueNode[] | Unmade,
  ) {
    if (children !== PENDING) this.children = children;
  }

  get operands(): ValueNode[] {
    const p = this.single();
    return p ? [p] : (this.parts as ValueNode[]);
  }

  /** The one operand (made now if it was not), or undefined when there are several or none. */
  single(): ValueNode | undefined {
    const p = this.parts;
    if (typeof p === "object") return Array.isArray(p) ? undefined : p;
    // Field order and children as the parser writes them (grammar/parser.ts value()): one shape per kind.
    const made: ValueNode =
      typeof p === "string"
        ? { kind: "string", value: p, children: PENDING, start: this.start, end: this.end }
        : { kind: p === UNMADE_INTEGER ? "integer" : "ref", children: PENDING, start: this.start, end: this.end };
    this.parts = made;
    return made;
  }

  /** The unmade literal operand, if there is one. */
  unmade(): Unmade | undefined {
    const p = this.parts;
    return typeof p === "object" ? undefined : p;
  }
}

Object.assign(Expression.prototype, { kind: "expression", children: PENDING });

/** The operand of a single-value expression (most are), without making a list; undefined otherwise. */
export function onlyOperand(e: ExpressionNode): ValueNode | undefined {
  if (e instanceof Expression) return e.single();
  const ops = e.operands;
  return ops.length === 1 ? ops[0] : undefined;
}

/** An expression node of `operands` (the one way expression nodes are made, so they all have one shape). */
export function expressionNode(operands: ValueNode[], children: Child[], start: number, end: number): ExpressionNode {
  return new Expression(children, start, end, operands.length === 1 ? operands[0] : operands);
}

/**
 * A lazy parse's expression of one literal spanning [start, end): a string (`value`: what
 * lighttpd sees, unescaped), an integer or a name. Its operand node is made when asked for.
 */
export function literalExpression(kind: LiteralKind, value: string, start: number, end: number): ExpressionNode {
  return new Expression(PENDING, start, end, unmade(kind, value));
}

/*
 * What an expression's single literal operand is while its node is not made (a lazy parse), so the
 * evaluator reads a large config without making a node per value: undefined when the operand is a
 * node already (or there are several).
 */

/** The kind of the unmade literal operand. */
export function unmadeKind(e: ExpressionNode): LiteralKind | undefined {
  if (!(e instanceof Expression)) return undefined;
  const p = e.unmade();
  return p === undefined ? undefined : typeof p === "string" ? "string" : p === UNMADE_INTEGER ? "integer" : "ref";
}

/** The value of the unmade string literal operand. */
export function unmadeString(e: ExpressionNode): string | undefined {
  if (!(e instanceof Expression)) return undefined;
  const p = e.unmade();
  return typeof p === "string" ? p : undefined;
}

/**
 * A folded element's string literal written plainly (closed, without a backslash): its value is the
 * text between its quotes, sliced from the text when asked rather than kept (two strings less per
 * element of a large config).
 */
const UNMADE_PLAIN = 2;
/** A folded element's key or value while it is not made: an Unmade literal or UNMADE_PLAIN. */
export type FoldedPart = Unmade | typeof UNMADE_PLAIN;

/**
 * The string of an expression that is one string literal and nothing else (no dropped token beside
 * it), made as a node or not; undefined otherwise. An unmade integer or name is not made to tell.
 */
export function singleStringLiteral(e: ExpressionNode): string | undefined {
  if (e instanceof Expression) {
    const p = e.unmade();
    if (p !== undefined) return typeof p === "string" ? p : undefined;
  }
  const operand = onlyOperand(e);
  return operand?.kind === "string" && operand.start === e.start && operand.end === e.end ? operand.value : undefined;
}

/**
 * A list element of a lazy parse whose key (when it has one) and value are single literals
 * (nearly every element of a large config): it keeps them unmade, and makes its key and value
 * expressions when asked, once. One object per element instead of three (five with the values'
 * nodes), of four fields: where it is comes from the token list (its key is token `at`, then `=>`,
 * then its value; without a key its value is token `at`), not from four offsets and the text of its
 * own (1.9 MB less for a large config's 80,000 elements).
 */
class FoldedElement implements ArrayElementNode {
  // On the prototype (below), not in each of 100,000s of elements: the same for all until
  // fillPendingChildren gives an element its own arrow and children.
  declare readonly kind: "element";
  declare arrow: Token | undefined;
  declare children: Child[];

  constructor(
    private readonly tokens: TokenList,
    /** The key's token (the value's without a key). */
    private readonly at: number,
    private keyPart: FoldedPart | ExpressionNode | undefined,
    private valuePart: FoldedPart | ExpressionNode,
  ) {}

  /** The value's token. */
  private get valueAt(): number {
    return this.keyPart === undefined ? this.at : this.at + 2;
  }

  get start(): number {
    return this.tokens.start(this.at);
  }

  get end(): number {
    return this.tokens.end(this.valueAt);
  }

  /** Where the key ends (it starts where the element does); -1 without a key. */
  get keyEnd(): number {
    return this.keyPart === undefined ? -1 : this.tokens.end(this.at);
  }

  /** Where the value starts (it ends where the element does). */
  get valueStart(): number {
    return this.tokens.start(this.valueAt);
  }

  /** The parsed text (a plain string literal's value is sliced from it). */
  private get text(): string {
    return this.tokens.source.text;
  }

  get key(): ExpressionNode | undefined {
    const k = this.keyPart;
    if (k === undefined || typeof k === "object") return k;
    return (this.keyPart = new Expression(PENDING, this.start, this.keyEnd, this.literal(k, this.start, this.keyEnd)));
  }

  get value(): ExpressionNode {
    const v = this.valuePart;
    if (typeof v === "object") return v;
    return (this.valuePart = new Expression(PENDING, this.valueStart, this.end, this.literal(v, this.valueStart, this.end)));
  }

  /** The key's string while it is an unmade string literal (a new slice of the text each time for a plain one). */
  unmadeKeyString(): string | undefined {
    const k = this.keyPart;
    return k === UNMADE_PLAIN ? this.text.slice(this.start + 1, this.keyEnd - 1) : typeof k === "string" ? k : undefined;
  }

  /** The value's string while it is an unmade string literal (as unmadeKeyString). */
  unmadeValueString(): string | undefined {
    const v = this.valuePart;
    return v === UNMADE_PLAIN ? this.text.slice(this.valueStart + 1, this.end - 1) : typeof v === "string" ? v : undefined;
  }

  /** Whether the value and the key (when there is one) are string literals not made as nodes (nothing sliced to tell). */
  unmadeStrings(): boolean {
    const k = this.keyPart;
    const v = this.valuePart;
    return (v === UNMADE_PLAIN || typeof v === "string") && (k === undefined || k === UNMADE_PLAIN || typeof k === "string");
  }

  /** The length of the value's string while it is an unmade string literal, without slicing it; -1 otherwise. */
  unmadeValueLength(): number {
    const v = this.valuePart;
    return v === UNMADE_PLAIN ? this.end - this.valueStart - 2 : typeof v === "string" ? v.length : -1;
  }

  /** The key's string literal, made as a node or not (undefined: no key, or not a string). */
  keyString(): string | undefined {
    const k = this.keyPart;
    return typeof k === "object" ? singleStringLiteral(k) : this.unmadeKeyString();
  }

  /** The value's string literal, made as a node or not (undefined: not a string). */
  valueString(): string | undefined {
    const v = this.valuePart;
    return typeof v === "object" ? singleStringLiteral(v) : this.unmadeValueString();
  }

  /** An unmade part as an Expression's Unmade (a plain string sliced now). */
  private literal(part: FoldedPart, start: number, end: number): Unmade {
    return part === UNMADE_PLAIN ? this.text.slice(start + 1, end - 1) : part;
  }
}

Object.assign(FoldedElement.prototype, { kind: "element", arrow: undefined, children: PENDING });

/**
 * A folded element's part for a literal of `kind`: for a string, its value (unescaped) or undefined
 * when it is plain (closed, without a backslash: UNMADE_PLAIN).
 */
export function foldedPart(kind: LiteralKind, stringValue: string | undefined): FoldedPart {
  return kind === "string" && stringValue === undefined ? UNMADE_PLAIN : unmade(kind, stringValue ?? "");
}

/**
 * A lazy parse's list element whose parts are single literals (see FoldedElement, foldedPart):
 * a key at token `at`, `=>` and a value, or (when `key` is undefined) a value at token `at`.
 */
export function literalElement(tokens: TokenList, at: number, key: FoldedPart | undefined, value: FoldedPart): ArrayElementNode {
  return new FoldedElement(tokens, at, key, value);
}

/** Where an element's key ends (it starts where the element does), without making the key; undefined without a key. */
export function elementKeyEnd(el: ArrayElementNode): number | undefined {
  if (el instanceof FoldedElement) return el.keyEnd < 0 ? undefined : el.keyEnd;
  return el.key?.end;
}

/*
 * A folded element's literals, read without making their expressions (the evaluator's way
 * through a large config): undefined when the part is not an unmade string literal.
 */

/** The element's key string. */
export function unmadeKeyString(el: ArrayElementNode): string | undefined {
  return el instanceof FoldedElement ? el.unmadeKeyString() : undefined;
}

/** The element's value string, written from `valueStart(el)` to the element's end. */
export function unmadeValueString(el: ArrayElementNode): string | undefined {
  return el instanceof FoldedElement ? el.unmadeValueString() : undefined;
}

/**
 * Whether `el` is a folded element whose value and key (when it has one) are string literals not
 * made as nodes: its strings can then be read from it at any time (foldedKeyString, foldedValueString).
 */
export function isFoldedStringElement(el: ArrayElementNode): boolean {
  return el instanceof FoldedElement && el.unmadeStrings();
}

/** The length of a folded element's unmade value string (as unmadeValueString, without making it); -1 otherwise. */
export function foldedValueLength(el: ArrayElementNode): number {
  return el instanceof FoldedElement ? el.unmadeValueLength() : -1;
}

/** A folded element's key string (see FoldedElement.keyString); undefined for other elements. */
export function foldedKeyString(el: ArrayElementNode): string | undefined {
  return el instanceof FoldedElement ? el.keyString() : undefined;
}

/** A folded element's value string (see FoldedElement.valueString); undefined for other elements. */
export function foldedValueString(el: ArrayElementNode): string | undefined {
  return el instanceof FoldedElement ? el.valueString() : undefined;
}

/** Where a folded element's value starts. */
export function foldedValueStart(el: ArrayElementNode): number {
  return el instanceof FoldedElement ? el.valueStart : (el.value?.start ?? el.start);
}

export type ValueNode = StringNode | IntegerNode | RefNode | ArrayNode;

/*
 * A value's own token is its only child in the lossless tree (`valueToken`); the node spans exactly
 * that token, so its text is text.slice(start, end). A lazy parse makes these tokens only with the
 * lossless tree (src/parse/parse.ts).
 */

export interface StringNode extends NodeBase {
  kind: "string";
  /** The value lighttpd sees: `\"` becomes `"`, nothing else is unescaped. */
  value: string;
}

export interface IntegerNode extends NodeBase {
  kind: "integer";
}

/** A bare name in a value: a reference to an earlier key (`var.x`, `server.port`, `env.HOME`). */
export interface RefNode extends NodeBase {
  kind: "ref";
}

export interface ArrayNode extends NodeBase {
  kind: "array";
  open: Token;
  close?: Token;
  elements: ArrayElementNode[];
}

export interface ArrayElementNode extends NodeBase {
  kind: "element";
  key?: ExpressionNode;
  /** Present with `key`; in a lazy parse only once the lossless tree was made (test `key`). */
  arrow?: Token;
  value?: ExpressionNode;
}

export interface ConditionChainNode extends NodeBase {
  kind: "conditionChain";
  branches: BranchNode[];
}

export interface BranchNode extends NodeBase {
  kind: "branch";
  /** Absent on the first branch. */
  elseToken?: Token;
  /** Absent on a catch-all `else`. */
  condition?: ConditionNode;
  block?: BlockNode;
}

export interface ConditionNode extends NodeBase {
  kind: "condition";
  dollar: Token;
  object?: Token;
  field?: ExpressionNode;
  op?: Token;
  value?: ExpressionNode;
}

export interface BlockNode extends NodeBase {
  kind: "block";
  open: Token;
  body: Statement[];
  close?: Token;
}

export interface IncludeNode extends NodeBase {
  kind: "include";
  keyword: Token;
  shell: boolean;
  arg?: ExpressionNode;
}

export interface GlobalNode extends NodeBase {
  kind: "global";
  keyword: Token;
  block?: BlockNode;
}

/** A token lighttpd's parser silently discards (LEMON error recovery without an error symbol). */
export interface StrayNode extends NodeBase {
  kind: "stray";
  token: Token;
}

export type Node =
  | ConfigNode
  | AssignmentNode
  | ExpressionNode
  | StringNode
  | IntegerNode
  | RefNode
  | ArrayNode
  | ArrayElementNode
  | ConditionChainNode
  | BranchNode
  | ConditionNode
  | BlockNode
  | IncludeNode
  | GlobalNode
  | StrayNode;

export function isToken(c: Child): c is Token {
  return (c as Token).tokenType !== undefined;
}

/** The token of a string, integer or name value: its only child (in a lossless tree). */
export function valueToken(node: StringNode | IntegerNode | RefNode): Token {
  return node.children[0] as Token;
}

/** The exclusive end offset of a token. */
export function tokenEnd(t: Token): number {
  return t.endOffset + 1;
}

/** Where a child (node or token) starts. */
export function childStart(c: Child): number {
  return isToken(c) ? c.startOffset : c.start;
}

/** Where a child (node or token) ends (exclusive). */
export function childEnd(c: Child): number {
  return isToken(c) ? tokenEnd(c) : c.end;
}
