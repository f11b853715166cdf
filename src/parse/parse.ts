/**
 * Parse stage: text → tokens (grammar/tokenizer) → tree (grammar/parser) → lossless tree with trivia.
 * Never throws: everything wrong with the input becomes a SyntaxProblem.
 */
import type { SourceText, Token, TokenList, TokenType } from "../../grammar/tokens.js";
import { tokenize } from "../../grammar/tokenizer.js";
import * as T from "../../grammar/tokens.js";
import { fillPendingChildren, parseTokens, type Missing, type Stray } from "../../grammar/parser.js";
import { isToken, tokenEnd, type Child, type ConfigNode, type Node } from "../ast/nodes.js";
import type { Finding } from "../ast/diagnostics.js";
import { languageFeatures } from "../util/version.js";

/** Every rule id the parse stage can report (each is a registered rule: test/finding-ids.test.ts). */
export const PARSE_RULE_IDS = ["syntax-error", "arrow-typo", "internal-error"] as const;
export type ParseRuleId = (typeof PARSE_RULE_IDS)[number];

/**
 * A parse-stage finding: the common Finding without `file` (the parser sees text only; the
 * evaluator knows the path) and with the `kind` of problem, which the incremental re-parse needs:
 * "tokenizer": found by the tokenizer, local to its text; "missing": the parser found something
 * missing (depends on what follows); "limit": the parse gave up (nesting too deep, a bug of ours).
 */
export interface SyntaxProblem extends Omit<Finding<ParseRuleId>, "file" | "severity"> {
  kind: "tokenizer" | "missing" | "limit";
}

export interface ParseResult {
  text: string;
  /** The text with its line index (tokens compute their lines from it). */
  source: SourceText;
  version: string;
  /**
   * The lossless tree: printing its children reproduces the text. In a parse made with
   * `lazy: true`, white space, comments, statement ends and a value's own token join the
   * children only when `lossless()` is called (nodes and their fields are there from the start).
   */
  tree: ConfigNode;
  /** Every token, trivia included, in source order (in a lazy parse, made on first use). */
  readonly tokens: Token[];
  strays: Stray[];
  problems: SyntaxProblem[];
  /** Where the text stops being read (more than MAX_TOKENS tokens: grammar/tokenizer.ts). */
  unreadFrom?: number;
  /** The deepest nesting of `{` and `(` (nestingDepth): rules that depend on depth skip shallow files. */
  nesting: number;
  /** The trivia, compactly (absent in the results of an incremental re-parse). */
  trivia?: TokenList;
  /**
   * An incremental re-parse's commas outside parentheses, spliced from the previous parse's and the
   * region's (src/parse/incremental.ts): read them with `ignoredCommas`.
   */
  ignoredCommaTokens?: readonly Token[];
  /** Present while a lazy parse's trivia are not in the tree yet: puts them there. */
  attachTrivia?: () => void;
  /**
   * Set by an incremental re-parse (src/parse/incremental.ts): which of the tokenizer's repairs its
   * tokens hold, so that the next re-parse need not look at every token for them.
   */
  repairs?: TokenRepairs;
}

/** Tokens the tokenizer repaired: a string cut at its line end, a `(` it closed itself. */
export interface TokenRepairs {
  unterminated: boolean;
  recoveredClose: boolean;
}

export interface ParseOptions {
  version: string;
  /**
   * true: the children lists stay incomplete until `lossless()` — without white space, comments and
   * statement ends, and values' and array elements' lists not made at all. Evaluation and rules read
   * node fields only: on a large file this saves most of the parse's objects. Default false.
   */
  lazy?: boolean;
}

/** The commas outside parentheses (IgnoredComma tokens), without making other tokens. */
export function ignoredCommas(parse: ParseResult): readonly Token[] {
  if (parse.ignoredCommaTokens) return parse.ignoredCommaTokens;
  const trivia = parse.trivia;
  if (!trivia) return parse.tokens.filter((t) => t.tokenType === T.IgnoredComma);
  const out: Token[] = [];
  for (let i = 0; i < trivia.length; i++) if (trivia.type(i) === T.IgnoredComma) out.push(trivia.token(i));
  return out;
}

/** The parse's tree with every token in it (see ParseResult.tree). */
export function lossless(parse: ParseResult): ConfigNode {
  parse.attachTrivia?.();
  return parse.tree;
}

/**
 * Deeper nesting of blocks and lists than this is refused: the recursive-descent parser would run
 * out of stack (real configs nest a handful of levels; lighttpd's own parser overflows at about 32).
 */
export const MAX_NESTING = 128;

export function parseConfig(text: string, options: ParseOptions): ParseResult {
  const tokenized = tokenize(text, options.version);
  const { tokens, errors, source, trivia } = tokenized;
  const last = trivia.length ? trivia.type(trivia.length - 1) : undefined;
  const unreadFrom = last === T.UnreadTail ? trivia.start(trivia.length - 1) : undefined;
  const problems: SyntaxProblem[] = errors.map((e) => ({
    kind: "tokenizer",
    ruleId: e.ruleId ?? "syntax-error",
    message: e.message,
    start: e.start,
    end: e.end,
    fix:
      e.replacement !== undefined
        ? { description: e.replacement ? `replace with ${JSON.stringify(e.replacement)}` : "remove it", edits: [{ range: [e.start, e.end], text: e.replacement }] }
        : undefined,
  }));

  const depth = nestingDepth(tokens);
  if (depth > MAX_NESTING) {
    problems.push({
      kind: "limit",
      ruleId: "syntax-error",
      message: `blocks are nested ${depth} levels deep; lighttpd-lint reads at most ${MAX_NESTING} levels (lighttpd itself aborts at about 32 nested blocks: its parser's stack overflows)`,
      start: 0,
      end: 0,
    });
    const tree: ConfigNode = { kind: "config", body: [], children: [...tokenized.all], start: 0, end: text.length };
    return { text, source, version: options.version, tree, tokens: tokenized.all, strays: [], problems, unreadFrom, nesting: depth };
  }

  let parsed: ReturnType<typeof parseTokens>;
  try {
    parsed = parseTokens(tokens, { pending: options.lazy === true });
  } catch (e) {
    // A safety net: nothing in the grammar should throw, but a crash must never reach the user.
    problems.push({ kind: "limit", ruleId: "internal-error", message: `lighttpd-lint could not parse this file (${(e as Error).message})`, start: 0, end: 0 });
    const tree: ConfigNode = { kind: "config", body: [], children: [...tokenized.all], start: 0, end: text.length };
    return { text, source, version: options.version, tree, tokens: tokenized.all, strays: [], problems, unreadFrom, nesting: depth };
  }
  const { config, strays, missing, unplaced } = parsed;
  for (const m of missing) problems.push(missingProblem(m, text));
  // Before 1.4.69 a token the parser cannot use fails the whole parse (see LanguageFeatures).
  if (strays.length > 0 && languageFeatures(options.version).syntaxErrorsFatal) {
    const t = strays[0].node.token;
    const shown = t.tokenType === T.Eol ? "(EOL)" : t.image;
    problems.push({
      kind: "tokenizer",
      ruleId: "syntax-error",
      message: `lighttpd ${options.version} refuses this file here ("parser failed somehow near here: ${shown}"); releases from 1.4.69 on drop such tokens silently instead`,
      start: t.startOffset,
      end: tokenEnd(t),
    });
  }
  config.start = 0;
  config.end = text.length;
  const result: ParseResult = {
    text,
    source,
    version: options.version,
    tree: config,
    get tokens() {
      return tokenized.all;
    },
    strays,
    problems,
    unreadFrom,
    nesting: depth,
    trivia,
    attachTrivia: () => {
      result.attachTrivia = undefined;
      if (options.lazy) fillPendingChildren(config, tokens);
      attachLooseTokens(
        config,
        tokenized.all,
        unplaced.map((i) => tokens.token(i)),
      );
    },
  };
  if (!options.lazy) result.attachTrivia!();
  return result;
}

/** The deepest nesting of `{` and `(` among the significant tokens (a list's tokens are not made). */
function nestingDepth(tokens: TokenList): number {
  const count = new NestingCounter();
  for (let i = 0; i < tokens.length; i++) count.add(tokens.type(i));
  return count.deepest;
}

/** nestingDepth of the token types given to `add`, in order (an incremental re-parse counts three runs of tokens). */
export class NestingCounter {
  private depth = 0;
  deepest = 0;

  add(type: TokenType): void {
    if (type === T.LCurly || type === T.LParen) {
      this.depth++;
      if (this.depth > this.deepest) this.deepest = this.depth;
    } else if ((type === T.RCurly || type === T.RParen) && this.depth > 0) this.depth--;
  }
}

function missingProblem(m: Missing, text: string): SyntaxProblem {
  // After the parser read past the end of input (an unclosed list), `at` is EOF_TOKEN, whose
  // offsets are NaN: the problem is then at the end of the file.
  const at = m.at && m.at.startOffset >= 0 ? m.at : undefined;
  const start = at ? at.startOffset : text.length;
  const end = at ? tokenEnd(at) : text.length;
  let message: string;
  if (m.what === "'}'") message = "'{' is never closed: lighttpd fails at the end of the file (\"parser failed somehow near here: (EOL)\")";
  else if (m.what === "')'") message = "'(' is never closed: lighttpd fails at the end of the file";
  else message = `the file ends before ${m.what}`;
  return { kind: "missing", ruleId: "syntax-error", message, start: Number.isFinite(start) ? start : text.length, end: Number.isFinite(end) ? end : text.length };
}

/**
 * Puts every token the parser did not place (trivia, statement ends) into the innermost node
 * around it. `unplaced` are the significant tokens the parser consumed without placing them.
 */
function attachLooseTokens(root: ConfigNode, all: Token[], unplaced: Token[]): void {
  const loose = looseTokens(all, unplaced);
  if (loose.length > 0) new LooseAttacher(loose).attach(root, Infinity);
}

/**
 * The walk of `attachLooseTokens`, in source order. It runs over most of the tree of every file
 * (and on every keystroke in the editor), so the next loose token's offset is kept in a field
 * rather than read from the token again and again.
 */
class LooseAttacher {
  private idx = 0;
  /** Offset of the next loose token (Infinity when none is left), and whether it is zero-width. */
  private nextStart: number;
  private nextEmpty: boolean;

  constructor(private readonly loose: Token[]) {
    this.nextStart = loose[0].startOffset;
    this.nextEmpty = loose[0].image === "";
  }

  /** The next loose token, moving on to the one after it. */
  private take(): Token {
    const t = this.loose[this.idx++];
    if (this.idx < this.loose.length) {
      const n = this.loose[this.idx];
      this.nextStart = n.startOffset;
      this.nextEmpty = n.image === "";
    } else {
      this.nextStart = Infinity;
      this.nextEmpty = false;
    }
    return t;
  }

  attach(node: Node, end: number): void {
    const children = node.children;
    // Most nodes (values, expressions) get no loose token: build a new list only when one does.
    let out: Child[] | undefined;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const childIsToken = isToken(child);
      const start = childIsToken ? child.startOffset : child.start;
      // Zero-width tokens (inserted statement ends) at a child's start belong before the child.
      while (this.nextStart < start || (this.nextStart === start && this.nextEmpty)) {
        out ??= children.slice(0, i);
        out.push(this.take());
      }
      // Whether the child could receive the next loose token: not when it starts after the child,
      // or at its end unless it is zero-width (it then goes before a zero-width child at the end).
      // Skipping the rest saves walking most of the tree.
      if (!childIsToken) {
        const childEnd = child.end;
        if (this.nextStart < childEnd || (this.nextStart === childEnd && this.nextEmpty)) this.attach(child, childEnd);
      }
      if (out) out.push(child);
    }
    while (this.nextStart < end) {
      out ??= children.slice();
      out.push(this.take());
    }
    // A copy has exactly the room it needs (`out` grew by push); the tree keeps 100,000s of these.
    if (out) node.children = out.slice();
  }
}

/** The tokens of `all` that are not in the tree: trivia, and the statement ends the parser skipped. */
function looseTokens(all: Token[], unplaced: Token[]): Token[] {
  const loose: Token[] = [];
  let next = 0;
  for (let i = 0; i < all.length; i++) {
    const t = all[i];
    if (t.tokenType.trivia) loose.push(t);
    else if (next < unplaced.length && t === unplaced[next]) {
      loose.push(t);
      next++;
    }
  }
  return loose;
}
