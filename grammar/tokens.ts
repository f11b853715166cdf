/**
 * Token types of lighttpd 1.4's configuration language (src/configfile.c: config_tokenizer), and
 * the token objects the tokenizer makes.
 *
 * The parser consumes the "significant" tokens; trivia (white space, comments, extra newlines,
 * characters lighttpd rejects) is kept beside them so the source can be reproduced byte for byte.
 */

export interface TokenType {
  /** The name used in JSON output and tests (`Key`, `StringLit`, …). */
  readonly name: string;
  /** How messages call it. */
  readonly label: string;
  /** Never seen by the parser (white space, comments, rejected text). */
  readonly trivia: boolean;
  /** Its index in `allTokenTypes`: what a TokenList stores. */
  readonly id: number;
}

const byId: TokenType[] = [];

function register(name: string, label: string, trivia: boolean): TokenType {
  const type = Object.freeze({ name, label, trivia, id: byId.length });
  byId.push(type);
  return type;
}

function tok(name: string, label: string): TokenType {
  return register(name, label, false);
}

export const Key = tok("Key", "key");
export const SrvVarName = tok("SrvVarName", "condition object");
export const StringLit = tok("StringLit", "string");
export const IntegerLit = tok("IntegerLit", "integer");
export const Include = tok("Include", "include");
export const IncludeShell = tok("IncludeShell", "include_shell");
export const Global = tok("Global", "global");
export const Else = tok("Else", "else");
export const Dollar = tok("Dollar", "'$'");
export const LBracket = tok("LBracket", "'['");
export const RBracket = tok("RBracket", "']'");
export const LParen = tok("LParen", "'('");
export const RParen = tok("RParen", "')'");
export const LCurly = tok("LCurly", "'{'");
export const RCurly = tok("RCurly", "'}'");
export const Comma = tok("Comma", "','");
export const ArrayAssign = tok("ArrayAssign", "'=>'");
export const Assign = tok("Assign", "'='");
export const Append = tok("Append", "'+='");
export const ForceAssign = tok("ForceAssign", "':='");
export const Plus = tok("Plus", "'+'");
export const Eq = tok("Eq", "'=='");
export const Match = tok("Match", "'=~'");
export const Prefix = tok("Prefix", "'=^'");
export const Suffix = tok("Suffix", "'=$'");
export const Ne = tok("Ne", "'!='");
export const NoMatch = tok("NoMatch", "'!~'");
/** End of a statement line: a run of newlines, blanks and comments outside parentheses. */
export const Eol = tok("Eol", "end of line");
/** What the parser sees after the last token (never in a token list). */
export const EOF = tok("EOF", "end of file");

/** Trivia: never seen by the parser. */
function trivia(name: string): TokenType {
  return register(name, name, true);
}
export const WhiteSpace = trivia("WhiteSpace");
export const Newline = trivia("Newline");
export const Comment = trivia("Comment");
/** Text lighttpd skips without complaint but that means something else than it looks like. */
export const IgnoredComma = trivia("IgnoredComma");
export const IgnoredIf = trivia("IgnoredIf");
/** Text lighttpd rejects (the tokenizer reports an error and stops). */
export const Invalid = trivia("Invalid");
/** A NUL byte and everything after it: lighttpd stops reading there. */
export const NulTail = trivia("NulTail");
/** The rest of a file past MAX_TOKENS (grammar/tokenizer.ts): not read, a bound on work and memory. */
export const UnreadTail = trivia("UnreadTail");

/** Every token type (EOF included), indexed by `id`. */
export const allTokenTypes: readonly TokenType[] = byId;

/**
 * A text and, made on first use, where its lines start: tokens keep only offsets and compute their
 * lines and columns from it, and so do diagnostics and the editor. A line ends at "\n", "\r\n" or
 * a lone "\r" (as lighttpd counts them).
 */
export class SourceText {
  private starts: Int32Array | undefined;

  constructor(public text: string) {}

  /**
   * This object, now for `text`: a re-parse that consumes the previous parse of an edited buffer
   * keeps the tokens it takes over pointing here instead of re-pointing each of them
   * (src/parse/incremental.ts). Whatever else points here reads the new text.
   */
  retext(text: string): this {
    this.text = text;
    this.starts = undefined;
    return this;
  }

  /** The offset of every line's start, in order (the first is 0). */
  lineStarts(): Int32Array {
    return (this.starts ??= lineStartsOf(this.text));
  }

  /** The 1-based line of `offset`. */
  lineAt(offset: number): number {
    const starts = this.lineStarts();
    // The number of line starts at or before `offset`.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The offset where line `line` (1-based) starts. */
  lineStart(line: number): number {
    return this.lineStarts()[line - 1];
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = Math.max(1, this.lineAt(offset));
    return { line, column: offset - this.lineStart(line) + 1 };
  }

  /** The offset of a 1-based line and column (clamped to the text). */
  offsetAt(line: number, column: number): number {
    const starts = this.lineStarts();
    const start = starts[Math.max(0, Math.min(line - 1, starts.length - 1))];
    return Math.min(start + column - 1, this.text.length);
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  /** The text of a 1-based line, without its line end. */
  lineText(line: number): string {
    const starts = this.lineStarts();
    const s = starts[line - 1] ?? this.text.length;
    const e = starts[line] ?? this.text.length;
    return this.text.slice(s, e).replace(/\r?\n$|\r$/, "");
  }
}

function lineStartsOf(text: string): Int32Array {
  // Written straight into an Int32Array that doubles when full (no growing list of numbers: the
  // editor asks on every keystroke); room for a line per 40 characters at first.
  let starts = new Int32Array(Math.max(16, Math.ceil(text.length / 40)));
  let n = 1;
  const found = (next: number): void => {
    if (n === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[n++] = next;
  };
  if (text.indexOf("\r") < 0) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) found(i + 1);
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) found(i + 1);
    }
  }
  return starts.subarray(0, n);
}

/**
 * A token: its type and where it is. Its text, lines and columns are computed when asked (a 5 MB
 * config has 800,000 tokens; keeping four fields each instead of nine saves most of their memory).
 * `endOffset` is inclusive (a zero-width token has endOffset = startOffset - 1); lines and
 * columns are 1-based, the end column is that of the last character.
 */
export class Token {
  constructor(
    public tokenType: TokenType,
    public startOffset: number,
    public endOffset: number,
    public source: SourceText,
  ) {}

  get image(): string {
    return this.source.text.slice(this.startOffset, this.endOffset + 1);
  }

  get startLine(): number {
    return this.source.lineAt(this.startOffset);
  }

  get endLine(): number {
    return this.source.lineAt(this.endOffset + 1);
  }

  get startColumn(): number {
    return this.startOffset - this.source.lineStart(this.startLine) + 1;
  }

  get endColumn(): number {
    return this.endOffset + 1 - this.source.lineStart(this.endLine);
  }

  /** A string the tokenizer cut at its line end because its closing quote never came. */
  get unterminated(): boolean {
    return false;
  }

  /** The same token `delta` characters further on in `source`. */
  moved(delta: number, source: SourceText): Token {
    return new Token(this.tokenType, this.startOffset + delta, this.endOffset + delta, source);
  }
}

export class UnterminatedStringToken extends Token {
  override get unterminated(): boolean {
    return true;
  }

  override moved(delta: number, source: SourceText): Token {
    return new UnterminatedStringToken(this.tokenType, this.startOffset + delta, this.endOffset + delta, source);
  }
}

/** A token length that does not fit TokenList's byte: its end is kept beside (also for a negative one, which no tokenizer makes). */
const LONG = 255;

/**
 * Tokens as numbers: a type id, a start and a length each, in three typed arrays (6 bytes a token;
 * a length of LONG or more is kept in a Map, for the few long strings and comments). A 5 MB
 * config has 800,000 tokens; an object for each costs memory and, above all, garbage-collection
 * time, while most are never looked at one by one (the parser reads types; the tree keeps offsets).
 * `token(i)` makes the object on first use and then always returns that one, so the same token is
 * the same object wherever it is used (tree, token lists, editor features).
 */
export class TokenList {
  private types: Uint8Array;
  private starts: Int32Array;
  /** end - start, or LONG: then the end is in `longEnds` (a token's length in 1 byte saves 3 of every 9). */
  private lengths: Uint8Array;
  private longEnds: Map<number, number> | undefined;
  length = 0;
  /** Indexes of strings the tokenizer cut at their line end (UnterminatedStringToken). */
  private unterminated: Set<number> | undefined;
  /*
   * Tokens made as objects (token(i)), so that each is made once. A parse makes them forward, so
   * most go to a packed list with their indexes beside it in order (found by binary search:
   * about 12 bytes each where a sparse array took 52, 3 MB on a 5 MB config); any made behind
   * the last one (a lossless tree's commas, trivia) go to a Map.
   */
  private madeTokens: Token[] = [];
  private madeIndexes = new Int32Array(0);
  private madeLater: Map<number, Token> | undefined;

  /** `expected`: about how many tokens will come (room is made for them at once). */
  constructor(
    readonly source: SourceText,
    expected = 1024,
  ) {
    this.types = new Uint8Array(expected);
    this.starts = new Int32Array(expected);
    this.lengths = new Uint8Array(expected);
  }

  push(type: TokenType, start: number, end: number, unterminated = false): void {
    if (this.length === this.types.length) this.grow();
    const i = this.length++;
    this.types[i] = type.id;
    this.starts[i] = start;
    this.setEnd(i, start, end);
    if (unterminated) (this.unterminated ??= new Set()).add(i);
  }

  private setEnd(i: number, start: number, end: number): void {
    const n = end - start;
    if (n >= 0 && n < LONG) this.lengths[i] = n;
    else {
      this.lengths[i] = LONG;
      (this.longEnds ??= new Map()).set(i, end);
    }
  }

  /** Inserts tokens before index `at` (a rare repair of the tokenizer's; what follows moves up). */
  insert(at: number, items: { type: TokenType; start: number; end: number }[]): void {
    const k = items.length;
    while (this.length + k > this.types.length) this.grow();
    this.types.copyWithin(at + k, at, this.length);
    this.starts.copyWithin(at + k, at, this.length);
    this.lengths.copyWithin(at + k, at, this.length);
    if (this.unterminated) this.unterminated = new Set([...this.unterminated].map((i) => (i >= at ? i + k : i)));
    if (this.longEnds) this.longEnds = new Map([...this.longEnds].map(([i, e]) => [i >= at ? i + k : i, e]));
    for (let j = 0; j < k; j++) {
      this.types[at + j] = items[j].type.id;
      this.starts[at + j] = items[j].start;
      this.setEnd(at + j, items[j].start, items[j].end);
    }
    this.length += k;
    // Tokens made already keep their objects; those at or after `at` move up with their indexes.
    for (let j = this.firstMadeAtOrAfter(at); j < this.madeTokens.length; j++) this.madeIndexes[j] += k;
    if (this.madeLater) this.madeLater = new Map([...this.madeLater].map(([i, t]) => [i >= at ? i + k : i, t]));
  }

  private grow(): void {
    const size = Math.max(16, this.types.length * 2);
    const types = new Uint8Array(size);
    const starts = new Int32Array(size);
    const lengths = new Uint8Array(size);
    types.set(this.types);
    starts.set(this.starts);
    lengths.set(this.lengths);
    this.types = types;
    this.starts = starts;
    this.lengths = lengths;
  }

  type(i: number): TokenType {
    return byId[this.types[i]];
  }

  start(i: number): number {
    return this.starts[i];
  }

  /** Exclusive. */
  end(i: number): number {
    const n = this.lengths[i];
    return n < LONG ? this.starts[i] + n : this.longEnds!.get(i)!;
  }

  /** Token `i`'s text, without making its object. */
  image(i: number): string {
    return this.source.text.slice(this.starts[i], this.end(i));
  }

  isUnterminated(i: number): boolean {
    return this.unterminated?.has(i) ?? false;
  }

  /** Token `i` as an object, the same one on every call. */
  token(i: number): Token {
    const n = this.madeTokens.length;
    if (n > 0 && i <= this.madeIndexes[n - 1]) {
      const j = this.firstMadeAtOrAfter(i);
      if (this.madeIndexes[j] === i) return this.madeTokens[j];
      const later = this.madeLater?.get(i);
      if (later) return later;
    }
    const end = this.end(i) - 1;
    const t = this.isUnterminated(i)
      ? new UnterminatedStringToken(byId[this.types[i]], this.starts[i], end, this.source)
      : new Token(byId[this.types[i]], this.starts[i], end, this.source);
    if (n === 0 || i > this.madeIndexes[n - 1]) {
      if (n === this.madeIndexes.length) {
        const grown = new Int32Array(Math.max(64, n * 2));
        grown.set(this.madeIndexes);
        this.madeIndexes = grown;
      }
      this.madeIndexes[n] = i;
      this.madeTokens.push(t);
    } else (this.madeLater ??= new Map()).set(i, t);
    return t;
  }

  /** The position in the in-order made list of the first index at or after `i`. */
  private firstMadeAtOrAfter(i: number): number {
    return lowerBound(this.madeIndexes, this.madeTokens.length, i);
  }

  /** The first index whose token starts at or after `offset` (`length` when none does). */
  firstAtOrAfter(offset: number): number {
    return lowerBound(this.starts, this.length, offset);
  }

  /** Every token as an object. */
  toArray(): Token[] {
    const out: Token[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.token(i);
    return out;
  }
}

/** The first position among sorted[0, length) whose value is at least `value` (`length` when none is). */
function lowerBound(sorted: Int32Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What the parser sees past the last token: offsets NaN, like chevrotain's EOF token was. */
export const EOF_TOKEN: Token = new Token(EOF, NaN, NaN, new SourceText(""));
