/**
 * The chevrotain parser for lighttpd 1.4's grammar (src/configparser.y).
 *
 * lighttpd's LEMON grammar has no error symbol, so on an unexpected token LEMON silently throws
 * the token away and carries on; the parse only fails when input ends in the middle of a
 * construct. That is why lighttpd accepts `x = 1 2` (the 2 is dropped) or `else if COND {`
 * (before 1.4.74 everything up to `{` is dropped). This parser reproduces it: at each point where
 * LEMON has no default reduction, `dropUntil` discards tokens into `StrayNode`s until an expected
 * token arrives. The parser never throws; what is missing at the end of input is recorded in
 * `missing`.
 */
import { EmbeddedActionsParser, EOF, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";
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
  Statement,
  StrayNode,
  ValueNode,
} from "../src/ast/nodes.js";
import { isToken, tokenEnd } from "../src/ast/nodes.js";

interface ArrayState {
  children: Child[];
  elements: ArrayElementNode[];
  close: IToken | undefined;
  more: boolean;
}

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
  /** The token that opened what is missing, or the last token before EOF. */
  at: IToken;
}

const VALUE_START = T.valueStartTokens;
const ASSIGN_OPS = [T.Assign, T.Append, T.ForceAssign];
const ARRAY_LEAD = [...VALUE_START, T.RParen];
const COMMA_OR_CLOSE = [T.Comma, T.RParen];
const NOTHING: TokenType[] = [];
// Arguments of SUBRULE calls, made once (chevrotain only reads them).
const DROP_FIRST = { ARGS: [true] as [boolean] };
const KEEP_FIRST = { ARGS: [false] as [boolean] };
const TOP_LEVEL = { ARGS: [false] as [boolean] };
const IN_BLOCK = { ARGS: [true] as [boolean] };
const BEFORE_BLOCK = { ARGS: ["before-block"] as [DropContext] };
const AFTER_ELSE = { ARGS: ["else"] as [DropContext] };
/** What `drop` returns when nothing is dropped (most of the time); never modified. */
const NO_STRAYS: StrayNode[] = Object.freeze([]) as unknown as StrayNode[];

/*
 * Speed notes (a 5 MB config has 400,000 significant tokens): every chevrotain rule call costs a
 * try/finally and state updates, and every closure or `OR` alternative list costs an allocation.
 * So `dropUntil` is only entered when it will drop something, alternative lists are built once,
 * semantic actions are plain code guarded by RECORDING_PHASE (chevrotain runs each rule once
 * with dummy tokens to record the grammar), and nodes are built with their range directly:
 * children are in source order, so a node spans from its first child's start to its last
 * child's end.
 */

function childStart(c: Child): number {
  return isToken(c) ? c.startOffset : c.start;
}

function childEnd(c: Child): number {
  return isToken(c) ? tokenEnd(c) : c.end;
}

function unescapeString(image: string, unterminated: boolean): string {
  const inner = unterminated ? image.slice(1) : image.slice(1, -1);
  return inner.indexOf("\\") < 0 ? inner : inner.replace(/\\"/g, '"');
}

export class LighttpdParser extends EmbeddedActionsParser {
  strays: Stray[] = [];
  missing: Missing[] = [];
  /**
   * Statement ends read between statements: the only tokens the parser consumes without putting
   * them into the tree (every other consumed token is a child of some node), in source order.
   */
  unplaced: IToken[] = [];

  constructor() {
    super(T.allTokenTypes, { recoveryEnabled: false, maxLookahead: 2, skipValidations: true });
    this.performSelfAnalysis();
  }

  private is(types: TokenType[]): boolean {
    const t = this.LA(1).tokenType;
    return types.includes(t);
  }

  private atEof(): boolean {
    return this.LA(1).tokenType === EOF;
  }

  private lastToken(): IToken {
    return this.LA(0);
  }

  private stray(token: IToken, context: DropContext): StrayNode {
    const node: StrayNode = { kind: "stray", token, children: [token], start: token.startOffset, end: tokenEnd(token) };
    if (!this.RECORDING_PHASE) this.strays.push({ node, context });
    return node;
  }

  /** Discard tokens until one of `stop` (or the end of input) comes; LEMON's recovery. An empty `stop` drops nothing. */
  private dropUntil = this.RULE("dropUntil", (stop: TokenType[], context: DropContext): StrayNode[] => {
    const dropped: StrayNode[] = [];
    this.MANY({
      GATE: () => stop.length > 0 && !this.atEof() && !this.is(stop),
      DEF: () => {
        const node = this.stray(this.CONSUME(T.AnyToken), context);
        if (!this.RECORDING_PHASE) dropped.push(node);
      },
    });
    return dropped;
  });

  /**
   * `SUBRULE<occurrence>(dropUntil)`, skipped when it would drop nothing: the MANY in dropUntil
   * runs only while its GATE holds and a significant token (not EOF) comes.
   */
  private drop(occurrence: 1 | 2 | 3 | 4, stop: TokenType[], context: DropContext): StrayNode[] {
    if (!this.RECORDING_PHASE && (stop.length === 0 || this.atEof() || this.is(stop))) return NO_STRAYS;
    const args = { ARGS: [stop, context] as [TokenType[], DropContext] };
    switch (occurrence) {
      case 1:
        return this.SUBRULE(this.dropUntil, args);
      case 2:
        return this.SUBRULE2(this.dropUntil, args);
      case 3:
        return this.SUBRULE3(this.dropUntil, args);
      default:
        return this.SUBRULE4(this.dropUntil, args);
    }
  }

  public config = this.RULE("config", (): ConfigNode => {
    const body = this.SUBRULE(this.statements, TOP_LEVEL);
    if (this.RECORDING_PHASE) return undefined as never;
    return { kind: "config", body, children: body.slice(), start: 0, end: 0 } as ConfigNode;
  });

  private statementAlts = [
    { ALT: () => this.SUBRULE(this.assignment) },
    { ALT: () => this.SUBRULE(this.conditionChain) },
    { ALT: () => this.SUBRULE(this.include) },
    { ALT: () => this.SUBRULE(this.globalBlock) },
    {
      ALT: () => {
        const eol = this.CONSUME(T.Eol);
        if (!this.RECORDING_PHASE) this.unplaced.push(eol);
        return undefined;
      },
    },
    { IGNORE_AMBIGUITIES: true, ALT: () => this.stray(this.CONSUME(T.AnyToken), "statement") },
  ];

  private statements = this.RULE("statements", (inBlock: boolean): Statement[] => {
    const body: Statement[] = [];
    this.MANY({
      GATE: () => !this.atEof() && !(inBlock && this.LA(1).tokenType === T.RCurly),
      DEF: () => {
        const s: Statement | undefined = this.OR(this.statementAlts);
        if (s !== undefined && !this.RECORDING_PHASE) body.push(s);
      },
    });
    return body;
  });

  private assignOpAlts = [{ ALT: () => this.CONSUME(T.Assign) }, { ALT: () => this.CONSUME(T.Append) }, { ALT: () => this.CONSUME(T.ForceAssign) }];

  private assignment = this.RULE("assignment", (): AssignmentNode => {
    const key = this.CONSUME(T.Key);
    const dropped = this.drop(1, ASSIGN_OPS, "after-key");
    let op: IToken | undefined;
    let value: ExpressionNode | undefined;
    this.OPTION(() => {
      op = this.OR(this.assignOpAlts);
      value = this.SUBRULE(this.expression, DROP_FIRST);
    });
    if (this.RECORDING_PHASE) return undefined as never;
    // Array literals get exactly the room they need; arrays grown by push keep 16+ slots each.
    let children: Child[];
    if (dropped.length === 0 && op && value) children = [key, op, value];
    else {
      children = [key];
      pushAll(children, dropped);
      if (op) children.push(op);
      if (value) children.push(value);
    }
    if (!op) this.missing.push({ what: `'=' after '${key.image}'`, at: key });
    return { kind: "assignment", key, op, value, children, start: key.startOffset, end: childEnd(children[children.length - 1]) };
  });

  // A value is read inline (OR / OR2 in this rule) rather than as a rule of its own: the grammar
  // is the same, and 200,000 values in a large config save as many rule calls.
  private optionalValue = (): ValueNode => this.OR(this.valueAlts);

  /** `value (+ value)*`. With `dropFirst`, tokens before the first value are dropped. */
  private expression = this.RULE("expression", (dropFirst: boolean): ExpressionNode | undefined => {
    const before = this.drop(1, dropFirst ? VALUE_START : NOTHING, "value");
    const first: ValueNode | undefined = this.OPTION(this.optionalValue);
    const children: Child[] = before.length ? before.slice() : first ? [first] : [];
    const operands: ValueNode[] = first ? [first] : [];
    if (first && before.length && !this.RECORDING_PHASE) children.push(first);
    // The loop starts with '+': without one (the usual case) it would not run.
    if (this.RECORDING_PHASE || (first !== undefined && this.LA(1).tokenType === T.Plus)) {
      this.MANY({
        GATE: () => first !== undefined,
        DEF: () => {
          const plus = this.CONSUME(T.Plus);
          const dropped = this.drop(2, VALUE_START, "value");
          let v: ValueNode | undefined;
          this.OPTION2(() => {
            v = this.OR2(this.valueAlts2);
          });
          if (this.RECORDING_PHASE) return;
          children.push(plus);
          pushAll(children, dropped);
          if (v) {
            operands.push(v);
            children.push(v);
          } else this.missing.push({ what: "a value after '+'", at: plus });
        },
      });
    }
    if (this.RECORDING_PHASE) return undefined;
    if (!first) {
      this.missing.push({ what: "a value", at: this.lastToken() });
      if (children.length === 0) return undefined;
    }
    return { kind: "expression", operands, children, start: childStart(children[0]), end: childEnd(children[children.length - 1]) };
  });

  private valueAlts = [
    { ALT: () => this.stringNode(this.CONSUME(T.StringLit)) },
    { ALT: () => this.tokenNode("integer", this.CONSUME(T.IntegerLit)) },
    { ALT: () => this.tokenNode("ref", this.CONSUME(T.Key)) },
    { ALT: () => this.SUBRULE(this.array) },
  ];

  /** The same for the second place (chevrotain tells places in a rule apart by the number). */
  private valueAlts2 = [
    { ALT: () => this.stringNode(this.CONSUME2(T.StringLit)) },
    { ALT: () => this.tokenNode("integer", this.CONSUME2(T.IntegerLit)) },
    { ALT: () => this.tokenNode("ref", this.CONSUME2(T.Key)) },
    { ALT: () => this.SUBRULE2(this.array) },
  ];

  private stringNode(token: IToken): ValueNode {
    if (this.RECORDING_PHASE) return undefined as never;
    const value = unescapeString(token.image, !!(token as { unterminated?: boolean }).unterminated);
    return { kind: "string", token, value, children: [token], start: token.startOffset, end: tokenEnd(token) };
  }

  private tokenNode(kind: "integer" | "ref", token: IToken): ValueNode {
    if (this.RECORDING_PHASE) return undefined as never;
    return { kind, token, children: [token], start: token.startOffset, end: tokenEnd(token) };
  }

  /** The array being read; its alternatives below are built once, so they find their state here. */
  private arr: ArrayState = { children: [], elements: [], close: undefined, more: false };

  private firstElement = {
    GATE: () => this.is(VALUE_START),
    DEF: () => {
      const e = this.SUBRULE(this.element);
      if (!this.RECORDING_PHASE) {
        this.arr.elements.push(e);
        this.arr.children.push(e);
      }
    },
  };

  private elementAfterComma = {
    GATE: () => this.is(VALUE_START),
    DEF: () => {
      const e = this.SUBRULE2(this.element);
      if (!this.RECORDING_PHASE) {
        this.arr.elements.push(e);
        this.arr.children.push(e);
      }
    },
  };

  private afterElementAlts = [
    {
      ALT: () => {
        const close = this.CONSUME(T.RParen);
        if (!this.RECORDING_PHASE) {
          this.arr.close = close;
          this.arr.children.push(close);
          this.arr.more = false;
        }
      },
    },
    {
      ALT: () => {
        const comma = this.CONSUME(T.Comma);
        if (!this.RECORDING_PHASE) this.arr.children.push(comma);
        this.OPTION2(this.elementAfterComma);
      },
    },
    {
      ALT: () => {
        this.CONSUME(EOF);
        if (!this.RECORDING_PHASE) this.arr.more = false;
      },
    },
  ];

  private moreElements = {
    GATE: () => this.arr.more && !this.atEof(),
    DEF: () => {
      const dropped = this.drop(2, COMMA_OR_CLOSE, "after-element");
      pushAll(this.arr.children, dropped);
      this.OR(this.afterElementAlts);
    },
  };

  private array = this.RULE("array", (): ArrayNode => {
    const open = this.CONSUME(T.LParen);
    const a: ArrayState = { children: [open], elements: [], close: undefined, more: true };
    // Arrays nest (an element's value may be an array): restore the outer one at the end.
    const outer = this.arr;
    this.arr = a;
    const lead = this.drop(1, ARRAY_LEAD, "array");
    pushAll(a.children, lead);
    this.OPTION(this.firstElement);
    this.MANY(this.moreElements);
    this.arr = outer;
    if (this.RECORDING_PHASE) return undefined as never;
    const { children, elements, close } = a;
    if (!close) this.missing.push({ what: "')'", at: open });
    return { kind: "array", open, close, elements, children, start: open.startOffset, end: childEnd(children[children.length - 1]) };
  });

  /** `=> value` of an element; returns the arrow, leaves the value in `arrowValue`. */
  arrowValue: ExpressionNode | undefined;
  private arrowPart = (): IToken => {
    const arrow = this.CONSUME(T.ArrayAssign);
    this.arrowValue = this.SUBRULE2(this.expression, DROP_FIRST);
    return arrow;
  };

  private element = this.RULE("element", (): ArrayElementNode => {
    const first = this.SUBRULE(this.expression, KEEP_FIRST);
    let arrow: IToken | undefined;
    let value: ExpressionNode | undefined;
    // The optional part starts with '=>'.
    if (this.RECORDING_PHASE || this.LA(1).tokenType === T.ArrayAssign) {
      arrow = this.OPTION(this.arrowPart);
      if (arrow) value = this.arrowValue;
    }
    if (this.RECORDING_PHASE) return undefined as never;
    const children: Child[] = first && arrow && value ? [first, arrow, value] : first && !arrow ? [first] : [];
    if (children.length === 0) {
      if (first) children.push(first);
      if (arrow) children.push(arrow);
      if (value) children.push(value);
    }
    const start = children.length ? childStart(children[0]) : 0;
    const end = children.length ? childEnd(children[children.length - 1]) : 0;
    return arrow ? { kind: "element", key: first, arrow, value, children, start, end } : { kind: "element", value: first, children, start, end };
  });

  private conditionChain = this.RULE("conditionChain", (): ConditionChainNode => {
    const children: Child[] = [];
    const branches: BranchNode[] = [];
    const first = this.SUBRULE(this.condition);
    const block = this.SUBRULE(this.blockAfter, BEFORE_BLOCK);
    if (!this.RECORDING_PHASE) {
      const bc: Child[] = [first];
      pushAll(bc, block.children);
      const b: BranchNode = { kind: "branch", condition: first, block: block.block, children: bc, start: first.start, end: childEnd(bc[bc.length - 1]) };
      branches.push(b);
      children.push(b);
    }
    this.MANY({
      GATE: () => this.LA(1).tokenType === T.Else || (this.LA(1).tokenType === T.Eol && this.LA(2).tokenType === T.Else),
      DEF: () => {
        const bc: Child[] = [];
        this.OPTION(() => {
          const eol = this.CONSUME(T.Eol);
          if (!this.RECORDING_PHASE) children.push(eol);
        });
        const elseToken = this.CONSUME(T.Else);
        let cond: ConditionNode | undefined;
        this.OPTION2(() => {
          cond = this.SUBRULE2(this.condition);
        });
        const b2 = this.SUBRULE2(this.blockAfter, cond ? BEFORE_BLOCK : AFTER_ELSE);
        if (this.RECORDING_PHASE) return;
        bc.push(elseToken);
        if (cond) bc.push(cond);
        pushAll(bc, b2.children);
        const b: BranchNode = { kind: "branch", elseToken, condition: cond, block: b2.block, children: bc, start: elseToken.startOffset, end: childEnd(bc[bc.length - 1]) };
        branches.push(b);
        children.push(b);
      },
    });
    if (this.RECORDING_PHASE) return undefined as never;
    return { kind: "conditionChain", branches, children, start: childStart(children[0]), end: childEnd(children[children.length - 1]) };
  });

  private conditionOpAlts = [
    { ALT: () => this.CONSUME(T.Eq) },
    { ALT: () => this.CONSUME(T.Ne) },
    { ALT: () => this.CONSUME(T.Match) },
    { ALT: () => this.CONSUME(T.NoMatch) },
    { ALT: () => this.CONSUME(T.Prefix) },
    { ALT: () => this.CONSUME(T.Suffix) },
  ];

  private condition = this.RULE("condition", (): ConditionNode => {
    const children: Child[] = [];
    const dollar = this.CONSUME(T.Dollar);
    let object: IToken | undefined;
    let field: ExpressionNode | undefined;
    let op: IToken | undefined;
    let value: ExpressionNode | undefined;
    const d1 = this.drop(1, [T.SrvVarName], "condition");
    if (!this.RECORDING_PHASE) {
      children.push(dollar);
      pushAll(children, d1);
    }
    this.OPTION(() => {
      object = this.CONSUME(T.SrvVarName);
      if (!this.RECORDING_PHASE) children.push(object);
      const d2 = this.drop(2, [T.LBracket], "condition");
      pushAll(children, d2);
      this.OPTION2(() => {
        const lb = this.CONSUME(T.LBracket);
        field = this.SUBRULE(this.expression, DROP_FIRST);
        if (!this.RECORDING_PHASE) {
          children.push(lb);
          if (field) children.push(field);
        }
        const d3 = this.drop(3, [T.RBracket], "condition");
        pushAll(children, d3);
        this.OPTION3(() => {
          const rb = this.CONSUME(T.RBracket);
          if (!this.RECORDING_PHASE) children.push(rb);
          const d4 = this.drop(4, T.conditionOperators, "condition");
          pushAll(children, d4);
          this.OPTION4(() => {
            op = this.OR(this.conditionOpAlts);
            value = this.SUBRULE2(this.expression, DROP_FIRST);
            if (!this.RECORDING_PHASE) {
              children.push(op);
              if (value) children.push(value);
            }
          });
        });
      });
    });
    if (this.RECORDING_PHASE) return undefined as never;
    if (!op) this.missing.push({ what: 'a complete condition ($OBJECT["field"] operator "value")', at: dollar });
    return { kind: "condition", dollar, object, field, op, value, children, start: dollar.startOffset, end: childEnd(children[children.length - 1]) };
  });

  /** Drops tokens up to `{`, then reads a block. Returns the dropped tokens and the block. */
  private blockAfter = this.RULE("blockAfter", (context: DropContext): { children: Child[]; block?: BlockNode } => {
    const dropped = this.drop(1, [T.LCurly], context);
    const block: BlockNode | undefined = this.OPTION(() => this.SUBRULE(this.block));
    if (this.RECORDING_PHASE) return undefined as never;
    if (!block) this.missing.push({ what: "'{'", at: this.lastToken() });
    const children: Child[] = dropped.slice();
    if (block) children.push(block);
    return { children, block };
  });

  private block = this.RULE("block", (): BlockNode => {
    const open = this.CONSUME(T.LCurly);
    const body = this.SUBRULE(this.statements, IN_BLOCK);
    const close: IToken | undefined = this.OPTION(() => this.CONSUME(T.RCurly));
    if (this.RECORDING_PHASE) return undefined as never;
    if (!close) this.missing.push({ what: "'}'", at: open });
    const children: Child[] = [open];
    pushAll(children, body);
    if (close) children.push(close);
    return { kind: "block", open, body, close, children, start: open.startOffset, end: childEnd(children[children.length - 1]) };
  });

  private includeAlts = [{ ALT: () => this.CONSUME(T.Include) }, { ALT: () => this.CONSUME(T.IncludeShell) }];

  private include = this.RULE("include", (): IncludeNode => {
    const keyword = this.OR(this.includeAlts);
    const arg = this.SUBRULE(this.expression, DROP_FIRST);
    if (this.RECORDING_PHASE) return undefined as never;
    const children: Child[] = [keyword];
    if (arg) children.push(arg);
    return { kind: "include", keyword, shell: keyword.tokenType === T.IncludeShell, arg, children, start: keyword.startOffset, end: childEnd(children[children.length - 1]) };
  });

  private globalBlock = this.RULE("globalBlock", (): GlobalNode => {
    const keyword = this.CONSUME(T.Global);
    const b = this.SUBRULE(this.blockAfter, BEFORE_BLOCK);
    if (this.RECORDING_PHASE) return undefined as never;
    const children: Child[] = [keyword];
    pushAll(children, b.children);
    return { kind: "global", keyword, block: b.block, children, start: keyword.startOffset, end: childEnd(children[children.length - 1]) };
  });
}

let shared: LighttpdParser | undefined;

/** Parses significant tokens into a tree (without trivia). Reuses one parser instance. */
export function parseTokens(tokens: IToken[]): { config: ConfigNode; strays: Stray[]; missing: Missing[]; unplaced: IToken[] } {
  shared ??= new LighttpdParser();
  const p = shared;
  p.strays = [];
  p.missing = [];
  p.unplaced = [];
  p.input = tokens;
  const config = p.config();
  const result = { config, strays: p.strays, missing: p.missing, unplaced: p.unplaced };
  // Do not keep the last file's tokens alive through the shared parser.
  p.input = [];
  p.strays = [];
  p.missing = [];
  p.unplaced = [];
  p.arrowValue = undefined;
  return result;
}

/** push(...items) overflows the stack for very long lists (100k dropped tokens in junk input). */
function pushAll<T>(target: T[], items: T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}
