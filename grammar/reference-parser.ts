/**
 * The reference grammar: lighttpd 1.4's grammar (src/configparser.y) as a chevrotain parser.
 *
 * It is not on the run-time path (grammar/parser.ts is the parser, by hand, for speed): it is the
 * declarative statement of the grammar and of LEMON's recovery that the hand-written parser is
 * checked against, tree for tree (test/property/parser-reference.test.ts). chevrotain validates
 * the grammar itself when the parser is built (performSelfAnalysis).
 *
 * lighttpd's LEMON grammar has no error symbol, so on an unexpected token LEMON silently throws
 * the token away and carries on; the parse only fails when input ends in the middle of a
 * construct. At each point where LEMON has no default reduction, `dropUntil` discards tokens into
 * `StrayNode`s until an expected token arrives.
 */
import { createToken, EmbeddedActionsParser, EOF, type IToken, type TokenType } from "chevrotain";
import * as Ours from "./tokens.js";
import type { Token } from "./tokens.js";
import { pushAll, type DropContext, type Missing, type ParsedTokens, type Stray } from "./parser.js";
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
import { childEnd, childStart, expressionNode, tokenEnd } from "../src/ast/nodes.js";

// chevrotain token types, one per token type of ours (by name), all in a category every
// significant token belongs to, so the parser can drop any token the way LEMON does.
const AnyToken = createToken({ name: "AnyToken", pattern: /NEVER_MATCHED/ });
const byName = new Map<string, TokenType>();
for (const t of Ours.allTokenTypes) {
  if (t === Ours.EOF) continue;
  byName.set(t.name, createToken({ name: t.name, pattern: /NEVER_MATCHED/, categories: t.trivia ? [] : [AnyToken], group: t.trivia ? "trivia" : undefined }));
}
const ct = (t: Ours.TokenType): TokenType => byName.get(t.name)!;
const T = {
  AnyToken,
  Key: ct(Ours.Key),
  SrvVarName: ct(Ours.SrvVarName),
  StringLit: ct(Ours.StringLit),
  IntegerLit: ct(Ours.IntegerLit),
  Include: ct(Ours.Include),
  IncludeShell: ct(Ours.IncludeShell),
  Global: ct(Ours.Global),
  Else: ct(Ours.Else),
  Dollar: ct(Ours.Dollar),
  LBracket: ct(Ours.LBracket),
  RBracket: ct(Ours.RBracket),
  LParen: ct(Ours.LParen),
  RParen: ct(Ours.RParen),
  LCurly: ct(Ours.LCurly),
  RCurly: ct(Ours.RCurly),
  Comma: ct(Ours.Comma),
  ArrayAssign: ct(Ours.ArrayAssign),
  Assign: ct(Ours.Assign),
  Append: ct(Ours.Append),
  ForceAssign: ct(Ours.ForceAssign),
  Plus: ct(Ours.Plus),
  Eq: ct(Ours.Eq),
  Match: ct(Ours.Match),
  Prefix: ct(Ours.Prefix),
  Suffix: ct(Ours.Suffix),
  Ne: ct(Ours.Ne),
  NoMatch: ct(Ours.NoMatch),
  Eol: ct(Ours.Eol),
};
const conditionOperators = [T.Eq, T.Match, T.Prefix, T.Suffix, T.Ne, T.NoMatch];
const valueStartTokens = [T.Key, T.StringLit, T.IntegerLit, T.LParen];

/** Our tokens, given chevrotain's type index for the parse: the tree holds our token objects. */
type Indexed = Token & { tokenTypeIdx?: number };
const tok = (t: IToken): Token => t as unknown as Token;
const typeOf = (t: IToken): TokenType => byIdx[t.tokenTypeIdx];
const byIdx: TokenType[] = [];
for (const t of [AnyToken, ...byName.values()]) byIdx[t.tokenTypeIdx!] = t;

interface ArrayState {
  children: Child[];
  elements: ArrayElementNode[];
  close: Token | undefined;
  more: boolean;
}

const VALUE_START = valueStartTokens;
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
  unplaced: Token[] = [];

  constructor() {
    super([AnyToken, ...byName.values()], { recoveryEnabled: false, maxLookahead: 2, skipValidations: true });
    this.performSelfAnalysis();
  }

  private is(types: TokenType[]): boolean {
    const t = typeOf(this.LA(1));
    return types.includes(t);
  }

  private atEof(): boolean {
    return this.LA(1).tokenTypeIdx === EOF.tokenTypeIdx;
  }

  private lastToken(): Token {
    return tok(this.LA(0));
  }

  private stray(token: Token, context: DropContext): StrayNode {
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
        const node = this.stray(tok(this.CONSUME(T.AnyToken)), context);
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
        const eol = tok(this.CONSUME(T.Eol));
        if (!this.RECORDING_PHASE) this.unplaced.push(eol);
        return undefined;
      },
    },
    { IGNORE_AMBIGUITIES: true, ALT: () => this.stray(tok(this.CONSUME(T.AnyToken)), "statement") },
  ];

  private statements = this.RULE("statements", (inBlock: boolean): Statement[] => {
    const body: Statement[] = [];
    this.MANY({
      GATE: () => !this.atEof() && !(inBlock && this.LA(1).tokenTypeIdx === T.RCurly.tokenTypeIdx),
      DEF: () => {
        const s: Statement | undefined = this.OR(this.statementAlts);
        if (s !== undefined && !this.RECORDING_PHASE) body.push(s);
      },
    });
    return body;
  });

  private assignOpAlts = [{ ALT: () => tok(this.CONSUME(T.Assign)) }, { ALT: () => tok(this.CONSUME(T.Append)) }, { ALT: () => tok(this.CONSUME(T.ForceAssign)) }];

  private assignment = this.RULE("assignment", (): AssignmentNode => {
    const key = tok(this.CONSUME(T.Key));
    const dropped = this.drop(1, ASSIGN_OPS, "after-key");
    let op: Token | undefined;
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
    if (this.RECORDING_PHASE || (first !== undefined && this.LA(1).tokenTypeIdx === T.Plus.tokenTypeIdx)) {
      this.MANY({
        GATE: () => first !== undefined,
        DEF: () => {
          const plus = tok(this.CONSUME(T.Plus));
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
    return expressionNode(operands, children, childStart(children[0]), childEnd(children[children.length - 1]));
  });

  private valueAlts = [
    { ALT: () => this.stringNode(tok(this.CONSUME(T.StringLit))) },
    { ALT: () => this.tokenNode("integer", tok(this.CONSUME(T.IntegerLit))) },
    { ALT: () => this.tokenNode("ref", tok(this.CONSUME(T.Key))) },
    { ALT: () => this.SUBRULE(this.array) },
  ];

  /** The same for the second place (chevrotain tells places in a rule apart by the number). */
  private valueAlts2 = [
    { ALT: () => this.stringNode(tok(this.CONSUME2(T.StringLit))) },
    { ALT: () => this.tokenNode("integer", tok(this.CONSUME2(T.IntegerLit))) },
    { ALT: () => this.tokenNode("ref", tok(this.CONSUME2(T.Key))) },
    { ALT: () => this.SUBRULE2(this.array) },
  ];

  private stringNode(token: Token): ValueNode {
    if (this.RECORDING_PHASE) return undefined as never;
    const value = unescapeString(token.image, !!(token as { unterminated?: boolean }).unterminated);
    return { kind: "string", value, children: [token], start: token.startOffset, end: tokenEnd(token) };
  }

  private tokenNode(kind: "integer" | "ref", token: Token): ValueNode {
    if (this.RECORDING_PHASE) return undefined as never;
    return { kind, children: [token], start: token.startOffset, end: tokenEnd(token) };
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
        const close = tok(this.CONSUME(T.RParen));
        if (!this.RECORDING_PHASE) {
          this.arr.close = close;
          this.arr.children.push(close);
          this.arr.more = false;
        }
      },
    },
    {
      ALT: () => {
        const comma = tok(this.CONSUME(T.Comma));
        if (!this.RECORDING_PHASE) this.arr.children.push(comma);
        this.OPTION2(this.elementAfterComma);
      },
    },
    {
      ALT: () => {
        tok(this.CONSUME(EOF));
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
    const open = tok(this.CONSUME(T.LParen));
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
  private arrowPart = (): Token => {
    const arrow = tok(this.CONSUME(T.ArrayAssign));
    this.arrowValue = this.SUBRULE2(this.expression, DROP_FIRST);
    return arrow;
  };

  private element = this.RULE("element", (): ArrayElementNode => {
    const first = this.SUBRULE(this.expression, KEEP_FIRST);
    let arrow: Token | undefined;
    let value: ExpressionNode | undefined;
    // The optional part starts with '=>'.
    if (this.RECORDING_PHASE || this.LA(1).tokenTypeIdx === T.ArrayAssign.tokenTypeIdx) {
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
      GATE: () => this.LA(1).tokenTypeIdx === T.Else.tokenTypeIdx || (this.LA(1).tokenTypeIdx === T.Eol.tokenTypeIdx && this.LA(2).tokenTypeIdx === T.Else.tokenTypeIdx),
      DEF: () => {
        const bc: Child[] = [];
        this.OPTION(() => {
          const eol = tok(this.CONSUME(T.Eol));
          if (!this.RECORDING_PHASE) children.push(eol);
        });
        const elseToken = tok(this.CONSUME(T.Else));
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
    { ALT: () => tok(this.CONSUME(T.Eq)) },
    { ALT: () => tok(this.CONSUME(T.Ne)) },
    { ALT: () => tok(this.CONSUME(T.Match)) },
    { ALT: () => tok(this.CONSUME(T.NoMatch)) },
    { ALT: () => tok(this.CONSUME(T.Prefix)) },
    { ALT: () => tok(this.CONSUME(T.Suffix)) },
  ];

  private condition = this.RULE("condition", (): ConditionNode => {
    const children: Child[] = [];
    const dollar = tok(this.CONSUME(T.Dollar));
    let object: Token | undefined;
    let field: ExpressionNode | undefined;
    let op: Token | undefined;
    let value: ExpressionNode | undefined;
    const d1 = this.drop(1, [T.SrvVarName], "condition");
    if (!this.RECORDING_PHASE) {
      children.push(dollar);
      pushAll(children, d1);
    }
    this.OPTION(() => {
      object = tok(this.CONSUME(T.SrvVarName));
      if (!this.RECORDING_PHASE) children.push(object);
      const d2 = this.drop(2, [T.LBracket], "condition");
      pushAll(children, d2);
      this.OPTION2(() => {
        const lb = tok(this.CONSUME(T.LBracket));
        field = this.SUBRULE(this.expression, DROP_FIRST);
        if (!this.RECORDING_PHASE) {
          children.push(lb);
          if (field) children.push(field);
        }
        const d3 = this.drop(3, [T.RBracket], "condition");
        pushAll(children, d3);
        this.OPTION3(() => {
          const rb = tok(this.CONSUME(T.RBracket));
          if (!this.RECORDING_PHASE) children.push(rb);
          const d4 = this.drop(4, conditionOperators, "condition");
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
    const open = tok(this.CONSUME(T.LCurly));
    const body = this.SUBRULE(this.statements, IN_BLOCK);
    const close: Token | undefined = this.OPTION(() => tok(this.CONSUME(T.RCurly)));
    if (this.RECORDING_PHASE) return undefined as never;
    if (!close) this.missing.push({ what: "'}'", at: open });
    const children: Child[] = [open];
    pushAll(children, body);
    if (close) children.push(close);
    return { kind: "block", open, body, close, children, start: open.startOffset, end: childEnd(children[children.length - 1]) };
  });

  private includeAlts = [{ ALT: () => tok(this.CONSUME(T.Include)) }, { ALT: () => tok(this.CONSUME(T.IncludeShell)) }];

  private include = this.RULE("include", (): IncludeNode => {
    const keyword = this.OR(this.includeAlts);
    const arg = this.SUBRULE(this.expression, DROP_FIRST);
    if (this.RECORDING_PHASE) return undefined as never;
    const children: Child[] = [keyword];
    if (arg) children.push(arg);
    return { kind: "include", keyword, shell: keyword.tokenType === Ours.IncludeShell, arg, children, start: keyword.startOffset, end: childEnd(children[children.length - 1]) };
  });

  private globalBlock = this.RULE("globalBlock", (): GlobalNode => {
    const keyword = tok(this.CONSUME(T.Global));
    const b = this.SUBRULE(this.blockAfter, BEFORE_BLOCK);
    if (this.RECORDING_PHASE) return undefined as never;
    const children: Child[] = [keyword];
    pushAll(children, b.children);
    return { kind: "global", keyword, block: b.block, children, start: keyword.startOffset, end: childEnd(children[children.length - 1]) };
  });
}

let shared: LighttpdParser | undefined;

/** Parses significant tokens (grammar/tokenizer.ts) as grammar/parser.ts does, with the chevrotain grammar. */
export function referenceParseTokens(tokens: Token[]): ParsedTokens {
  shared ??= new LighttpdParser();
  const p = shared;
  p.strays = [];
  p.missing = [];
  p.unplaced = [];
  for (const t of tokens) (t as Indexed).tokenTypeIdx = ct(t.tokenType).tokenTypeIdx;
  try {
    p.input = tokens as unknown as IToken[];
    const config = p.config();
    // Past the end chevrotain reads its own EOF token; ours is EOF_TOKEN.
    const missing = p.missing.map((m) => (m.at instanceof Ours.Token ? m : { what: m.what, at: Ours.EOF_TOKEN }));
    const index = new Map(tokens.map((t, i) => [t, i]));
    return { config, strays: p.strays, missing, unplaced: p.unplaced.map((t) => index.get(t)!) };
  } finally {
    for (const t of tokens) delete (t as Indexed).tokenTypeIdx;
    // Do not keep the last file's tokens alive through the shared parser.
    p.input = [];
    p.strays = [];
    p.missing = [];
    p.unplaced = [];
    p.arrowValue = undefined;
  }
}
