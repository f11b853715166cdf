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
  ArrayElementNode, ArrayNode, AssignmentNode, BlockNode, BranchNode, Child, ConditionChainNode,
  ConditionNode, ConfigNode, ExpressionNode, GlobalNode, IncludeNode, Statement, StrayNode, ValueNode,
} from "../src/ast/nodes.js";
import { tokenEnd } from "../src/ast/nodes.js";

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

function span(children: Child[]): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const c of children) {
    const s = "kind" in c ? c.start : c.startOffset;
    const e = "kind" in c ? c.end : tokenEnd(c);
    if (s < start) start = s;
    if (e > end) end = e;
  }
  return { start: start === Infinity ? 0 : start, end: end === -Infinity ? 0 : end };
}

function nodeOf<N extends { children: Child[] }>(n: N): N & { start: number; end: number } {
  return Object.assign(n, span(n.children));
}

function unescapeString(image: string, unterminated: boolean): string {
  const inner = unterminated ? image.slice(1) : image.slice(1, -1);
  return inner.replace(/\\"/g, '"');
}

export class LighttpdParser extends EmbeddedActionsParser {
  strays: Stray[] = [];
  missing: Missing[] = [];

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

  /** Discard tokens until one of `stop` (or the end of input) comes; LEMON's recovery. An empty `stop` drops nothing. */
  private dropUntil = this.RULE("dropUntil", (stop: TokenType[], context: DropContext): StrayNode[] => {
    const dropped: StrayNode[] = [];
    this.MANY({
      GATE: () => stop.length > 0 && !this.atEof() && !this.is(stop),
      DEF: () => {
        const tok = this.CONSUME(T.AnyToken);
        this.ACTION(() => {
          const node: StrayNode = { kind: "stray", token: tok, children: [tok], start: tok.startOffset, end: tokenEnd(tok) };
          dropped.push(node);
          this.strays.push({ node, context });
        });
      },
    });
    return dropped;
  });

  public config = this.RULE("config", (): ConfigNode => {
    const body = this.SUBRULE(this.statements, { ARGS: [false] });
    return this.ACTION(() => ({ kind: "config", body, children: [...body], start: 0, end: 0 }) as ConfigNode);
  });

  private statements = this.RULE("statements", (inBlock: boolean): Statement[] => {
    const body: Statement[] = [];
    this.MANY({
      GATE: () => !this.atEof() && !(inBlock && this.LA(1).tokenType === T.RCurly),
      DEF: () => {
        this.OR([
          { ALT: () => { const s = this.SUBRULE(this.assignment); this.ACTION(() => body.push(s)); } },
          { ALT: () => { const s = this.SUBRULE(this.conditionChain); this.ACTION(() => body.push(s)); } },
          { ALT: () => { const s = this.SUBRULE(this.include); this.ACTION(() => body.push(s)); } },
          { ALT: () => { const s = this.SUBRULE(this.globalBlock); this.ACTION(() => body.push(s)); } },
          { ALT: () => { this.CONSUME(T.Eol); } },
          {
            IGNORE_AMBIGUITIES: true,
            ALT: () => {
              const tok = this.CONSUME(T.AnyToken);
              this.ACTION(() => {
                const node: StrayNode = { kind: "stray", token: tok, children: [tok], start: tok.startOffset, end: tokenEnd(tok) };
                body.push(node);
                this.strays.push({ node, context: "statement" });
              });
            },
          },
        ]);
      },
    });
    return body;
  });

  private assignment = this.RULE("assignment", (): AssignmentNode => {
    const children: Child[] = [];
    const key = this.CONSUME(T.Key);
    const dropped = this.SUBRULE(this.dropUntil, { ARGS: [[T.Assign, T.Append, T.ForceAssign], "after-key"] });
    let op: IToken | undefined;
    let value: ExpressionNode | undefined;
    this.OPTION(() => {
      op = this.OR([
        { ALT: () => this.CONSUME(T.Assign) },
        { ALT: () => this.CONSUME(T.Append) },
        { ALT: () => this.CONSUME(T.ForceAssign) },
      ]);
      value = this.SUBRULE(this.expression, { ARGS: [true] });
    });
    return this.ACTION(() => {
      children.push(key); pushAll(children, dropped);
      if (op) children.push(op);
      if (value) children.push(value);
      if (!op) this.missing.push({ what: `'=' after '${key.image}'`, at: key });
      return nodeOf({ kind: "assignment", key, op, value, children } as AssignmentNode);
    });
  });

  /** `value (+ value)*`. With `dropFirst`, tokens before the first value are dropped. */
  private expression = this.RULE("expression", (dropFirst: boolean): ExpressionNode | undefined => {
    const children: Child[] = [];
    const operands: ValueNode[] = [];
    const before = this.SUBRULE(this.dropUntil, { ARGS: [dropFirst ? VALUE_START : [], "value"] });
    this.ACTION(() => pushAll(children, before));
    let first: ValueNode | undefined;
    this.OPTION(() => {
      first = this.SUBRULE(this.value);
    });
    this.ACTION(() => {
      if (first) { operands.push(first); children.push(first); }
    });
    this.MANY({
      GATE: () => first !== undefined,
      DEF: () => {
        const plus = this.CONSUME(T.Plus);
        const dropped = this.SUBRULE2(this.dropUntil, { ARGS: [VALUE_START, "value"] });
        let v: ValueNode | undefined;
        this.OPTION2(() => { v = this.SUBRULE2(this.value); });
        this.ACTION(() => {
          children.push(plus); pushAll(children, dropped);
          if (v) { operands.push(v); children.push(v); }
          else this.missing.push({ what: "a value after '+'", at: plus });
        });
      },
    });
    return this.ACTION(() => {
      if (!first) {
        this.missing.push({ what: "a value", at: this.lastToken() });
        if (children.length === 0) return undefined;
      }
      return nodeOf({ kind: "expression", operands, children } as ExpressionNode);
    });
  });

  private value = this.RULE("value", (): ValueNode => {
    return this.OR([
      {
        ALT: () => {
          const token = this.CONSUME(T.StringLit);
          return this.ACTION(() => nodeOf({ kind: "string", token, value: unescapeString(token.image, !!(token as { unterminated?: boolean }).unterminated), children: [token] } as ValueNode));
        },
      },
      { ALT: () => { const token = this.CONSUME(T.IntegerLit); return this.ACTION(() => nodeOf({ kind: "integer", token, children: [token] } as ValueNode)); } },
      { ALT: () => { const token = this.CONSUME(T.Key); return this.ACTION(() => nodeOf({ kind: "ref", token, children: [token] } as ValueNode)); } },
      { ALT: () => this.SUBRULE(this.array) },
    ]);
  });

  private array = this.RULE("array", (): ArrayNode => {
    const children: Child[] = [];
    const elements: ArrayElementNode[] = [];
    const open = this.CONSUME(T.LParen);
    let close: IToken | undefined;
    this.ACTION(() => children.push(open));
    const lead = this.SUBRULE(this.dropUntil, { ARGS: [[...VALUE_START, T.RParen], "array"] });
    this.ACTION(() => pushAll(children, lead));
    let more = true;
    this.OPTION({
      GATE: () => this.is(VALUE_START),
      DEF: () => {
      const e = this.SUBRULE(this.element);
      this.ACTION(() => { elements.push(e); children.push(e); });
    } });
    this.MANY({
      GATE: () => more && !this.atEof(),
      DEF: () => {
        const dropped = this.SUBRULE2(this.dropUntil, { ARGS: [[T.Comma, T.RParen], "after-element"] });
        this.ACTION(() => pushAll(children, dropped));
        this.OR([
          {
            ALT: () => {
              close = this.CONSUME(T.RParen);
              this.ACTION(() => { children.push(close!); more = false; });
            },
          },
          {
            ALT: () => {
              const comma = this.CONSUME(T.Comma);
              this.ACTION(() => children.push(comma));
              this.OPTION2({
                GATE: () => this.is(VALUE_START),
                DEF: () => {
                  const e = this.SUBRULE2(this.element);
                  this.ACTION(() => { elements.push(e); children.push(e); });
                },
              });
            },
          },
          { ALT: () => { this.CONSUME(EOF); this.ACTION(() => { more = false; }); } },
        ]);
      },
    });
    return this.ACTION(() => {
      if (!close) this.missing.push({ what: "')'", at: open });
      return nodeOf({ kind: "array", open, close, elements, children } as ArrayNode);
    });
  });

  private element = this.RULE("element", (): ArrayElementNode => {
    const children: Child[] = [];
    const first = this.SUBRULE(this.expression, { ARGS: [false] });
    let arrow: IToken | undefined;
    let value: ExpressionNode | undefined;
    this.OPTION(() => {
      arrow = this.CONSUME(T.ArrayAssign);
      value = this.SUBRULE2(this.expression, { ARGS: [true] });
    });
    return this.ACTION(() => {
      if (first) children.push(first);
      if (arrow) children.push(arrow);
      if (value) children.push(value);
      return nodeOf(arrow ? { kind: "element", key: first, arrow, value, children } as ArrayElementNode
        : { kind: "element", value: first, children } as ArrayElementNode);
    });
  });

  private conditionChain = this.RULE("conditionChain", (): ConditionChainNode => {
    const children: Child[] = [];
    const branches: BranchNode[] = [];
    const first = this.SUBRULE(this.condition);
    const block = this.SUBRULE(this.blockAfter, { ARGS: ["before-block"] });
    this.ACTION(() => {
      const bc: Child[] = [first, ...(block.children)];
      const b = nodeOf({ kind: "branch", condition: first, block: block.block, children: bc } as BranchNode);
      branches.push(b);
      children.push(b);
    });
    this.MANY({
      GATE: () => this.LA(1).tokenType === T.Else || (this.LA(1).tokenType === T.Eol && this.LA(2).tokenType === T.Else),
      DEF: () => {
        const bc: Child[] = [];
        this.OPTION(() => { const eol = this.CONSUME(T.Eol); this.ACTION(() => children.push(eol)); });
        const elseToken = this.CONSUME(T.Else);
        let cond: ConditionNode | undefined;
        this.OPTION2(() => { cond = this.SUBRULE2(this.condition); });
        const b2 = this.SUBRULE2(this.blockAfter, { ARGS: [cond ? "before-block" : "else"] });
        this.ACTION(() => {
          bc.push(elseToken);
          if (cond) bc.push(cond);
          pushAll(bc, b2.children);
          const b = nodeOf({ kind: "branch", elseToken, condition: cond, block: b2.block, children: bc } as BranchNode);
          branches.push(b);
          children.push(b);
        });
      },
    });
    return this.ACTION(() => nodeOf({ kind: "conditionChain", branches, children } as ConditionChainNode));
  });

  private condition = this.RULE("condition", (): ConditionNode => {
    const children: Child[] = [];
    const dollar = this.CONSUME(T.Dollar);
    let object: IToken | undefined;
    let field: ExpressionNode | undefined;
    let op: IToken | undefined;
    let value: ExpressionNode | undefined;
    const d1 = this.SUBRULE(this.dropUntil, { ARGS: [[T.SrvVarName], "condition"] });
    this.ACTION(() => { children.push(dollar); pushAll(children, d1); });
    this.OPTION(() => {
      object = this.CONSUME(T.SrvVarName);
      this.ACTION(() => children.push(object!));
      const d2 = this.SUBRULE2(this.dropUntil, { ARGS: [[T.LBracket], "condition"] });
      this.ACTION(() => pushAll(children, d2));
      this.OPTION2(() => {
        const lb = this.CONSUME(T.LBracket);
        field = this.SUBRULE(this.expression, { ARGS: [true] });
        this.ACTION(() => { children.push(lb); if (field) children.push(field); });
        const d3 = this.SUBRULE3(this.dropUntil, { ARGS: [[T.RBracket], "condition"] });
        this.ACTION(() => pushAll(children, d3));
        this.OPTION3(() => {
          const rb = this.CONSUME(T.RBracket);
          this.ACTION(() => children.push(rb));
          const d4 = this.SUBRULE4(this.dropUntil, { ARGS: [T.conditionOperators, "condition"] });
          this.ACTION(() => pushAll(children, d4));
          this.OPTION4(() => {
            op = this.OR([
              { ALT: () => this.CONSUME(T.Eq) },
              { ALT: () => this.CONSUME(T.Ne) },
              { ALT: () => this.CONSUME(T.Match) },
              { ALT: () => this.CONSUME(T.NoMatch) },
              { ALT: () => this.CONSUME(T.Prefix) },
              { ALT: () => this.CONSUME(T.Suffix) },
            ]);
            value = this.SUBRULE2(this.expression, { ARGS: [true] });
            this.ACTION(() => { children.push(op!); if (value) children.push(value); });
          });
        });
      });
    });
    return this.ACTION(() => {
      if (!op) this.missing.push({ what: "a complete condition ($OBJECT[\"field\"] operator \"value\")", at: dollar });
      return nodeOf({ kind: "condition", dollar, object, field, op, value, children } as ConditionNode);
    });
  });

  /** Drops tokens up to `{`, then reads a block. Returns the dropped tokens and the block. */
  private blockAfter = this.RULE("blockAfter", (context: DropContext): { children: Child[]; block?: BlockNode } => {
    const dropped = this.SUBRULE(this.dropUntil, { ARGS: [[T.LCurly], context] });
    let block: BlockNode | undefined;
    this.OPTION(() => { block = this.SUBRULE(this.block); });
    return this.ACTION(() => {
      if (!block) this.missing.push({ what: "'{'", at: this.lastToken() });
      return { children: block ? [...dropped, block] : [...dropped], block };
    });
  });

  private block = this.RULE("block", (): BlockNode => {
    const open = this.CONSUME(T.LCurly);
    const body = this.SUBRULE(this.statements, { ARGS: [true] });
    let close: IToken | undefined;
    this.OPTION(() => { close = this.CONSUME(T.RCurly); });
    return this.ACTION(() => {
      if (!close) this.missing.push({ what: "'}'", at: open });
      const children: Child[] = [open, ...body];
      if (close) children.push(close);
      return nodeOf({ kind: "block", open, body, close, children } as BlockNode);
    });
  });

  private include = this.RULE("include", (): IncludeNode => {
    const keyword = this.OR([{ ALT: () => this.CONSUME(T.Include) }, { ALT: () => this.CONSUME(T.IncludeShell) }]);
    const arg = this.SUBRULE(this.expression, { ARGS: [true] });
    return this.ACTION(() => {
      const children: Child[] = [keyword];
      if (arg) children.push(arg);
      return nodeOf({ kind: "include", keyword, shell: keyword.tokenType === T.IncludeShell, arg, children } as IncludeNode);
    });
  });

  private globalBlock = this.RULE("globalBlock", (): GlobalNode => {
    const keyword = this.CONSUME(T.Global);
    const b = this.SUBRULE(this.blockAfter, { ARGS: ["before-block"] });
    return this.ACTION(() => nodeOf({ kind: "global", keyword, block: b.block, children: [keyword, ...b.children] } as GlobalNode));
  });
}

let shared: LighttpdParser | undefined;

/** Parses significant tokens into a tree (without trivia). Reuses one parser instance. */
export function parseTokens(tokens: IToken[]): { config: ConfigNode; strays: Stray[]; missing: Missing[] } {
  shared ??= new LighttpdParser();
  const p = shared;
  p.strays = [];
  p.missing = [];
  p.input = tokens;
  const config = p.config();
  return { config, strays: p.strays, missing: p.missing };
}

/** push(...items) overflows the stack for very long lists (100k dropped tokens in junk input). */
function pushAll<T>(target: T[], items: T[]): void {
  for (const item of items) target.push(item);
}
