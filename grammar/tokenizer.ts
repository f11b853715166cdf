/**
 * The lighttpd tokenizer, ported from src/configfile.c: config_tokenizer() as a state machine.
 *
 * Why not chevrotain's regex Lexer: lighttpd's tokens depend on state that a context-free lexer
 * cannot see (newlines are statement ends only outside parentheses, a comma outside parentheses is
 * skipped, words after `$` are condition objects, `}` followed by text inserts a statement end).
 * It keeps every byte: what the parser does not see is returned as trivia.
 *
 * Unlike lighttpd it never stops at the first error: it records a diagnostic, skips the bad text
 * and goes on, so one run reports every problem.
 */
import * as T from "./tokens.js";
import { SourceText, Token, TokenList, type TokenType } from "./tokens.js";
import { languageFeatures, type LanguageFeatures } from "../src/util/version.js";

export interface TokenizerError {
  message: string;
  start: number;
  end: number;
  /** Where the problem really started (e.g. the `(` that was never closed). */
  origin?: { start: number; end: number };
  /** A replacement for start..end that repairs the error, when one is obvious. */
  replacement?: string;
  /** The rule when it is not syntax-error. */
  ruleId?: "arrow-typo";
}

export interface TokenizeResult {
  /** Tokens the parser reads, in order. */
  tokens: TokenList;
  /**
   * Every token including trivia, in order: their images concatenate to the input. Made on first
   * use (most of a lint never looks at white space and comments).
   */
  readonly all: Token[];
  /**
   * Comments, rejected text, newlines inside parentheses...: what the parser does not see, except
   * runs of blanks (spaces and tabs). Those are the gaps between these and `tokens` (`all` makes
   * them as WhiteSpace tokens): 300,000 of the 380,000 trivia of a 5 MB config, 1.8 MB not stored.
   */
  trivia: TokenList;
  errors: TokenizerError[];
  /** The text, for the tokens' lines and columns. */
  source: SourceText;
}

/**
 * Significant tokens and trivia merged in source order. A zero-width statement end the tokenizer
 * inserted comes before trivia starting at the same offset (it was emitted first).
 */
export function mergeTokens(tokens: TokenList, trivia: TokenList): Token[] {
  const all: Token[] = [];
  const source = tokens.source;
  // Where the last token ended: a gap from there to the next one is a run of blanks (see TokenizeResult.trivia).
  let at = 0;
  const add = (list: TokenList, k: number): void => {
    const start = list.start(k);
    if (start > at) all.push(new Token(T.WhiteSpace, at, start - 1, source));
    all.push(list.token(k));
    at = Math.max(at, list.end(k));
  };
  let i = 0;
  let j = 0;
  while (i < tokens.length && j < trivia.length) {
    if (tokens.start(i) <= trivia.start(j)) add(tokens, i++);
    else add(trivia, j++);
  }
  while (i < tokens.length) add(tokens, i++);
  while (j < trivia.length) add(trivia, j++);
  if (source.text.length > at) all.push(new Token(T.WhiteSpace, at, source.text.length - 1, source));
  return all;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isKeyChar = (c: number) => isAlpha(c) || isDigit(c) || c === 46 /*.*/ || c === 95 /*_*/ || c === 45; /*-*/

/** At most this many tokens (trivia included) are read from one file; see docs/limits.md. */
export const MAX_TOKENS = 1_000_000;

export function tokenize(text: string, version: string): TokenizeResult {
  return new Tokenizer(text, languageFeatures(version)).run();
}

class Tokenizer {
  private readonly trivia: TokenList;
  private readonly tokens: TokenList;
  private readonly errors: TokenizerError[] = [];
  private readonly source: SourceText;
  /** The first NUL at or after the last string's start (Infinity: none); see string(). */
  private nextNul = -1;
  private offset = 0;
  private parens: number[] = [];
  private inCond = false;
  private prev: TokenType | undefined;
  /** Runs of blanks read: trivia not stored (TokenizeResult.trivia), counted towards MAX_TOKENS. */
  private blanks = 0;

  constructor(
    private readonly text: string,
    private readonly features: LanguageFeatures,
  ) {
    this.source = new SourceText(text);
    // A token per 12-16 characters and a trivia per 12 (the shared corpus: 16 and 12; the generated
    // 5 MB config: 12 and 13): room for that at once, one doubling at most when a file has more.
    const expected = Math.min(MAX_TOKENS + 1, Math.max(1024, Math.ceil(text.length / 12)));
    this.tokens = new TokenList(this.source, expected);
    this.trivia = new TokenList(this.source, expected);
  }

  run(): TokenizeResult {
    const s = this.text;
    const n = s.length;
    while (this.offset < n) {
      if (this.tokens.length + this.trivia.length + this.blanks >= MAX_TOKENS) {
        // A bound on memory (9 bytes a token in the lists, ~60 more for each made as an object): 31 MiB of `;` lines would be 32M tokens.
        // No real config comes near; the rest stays in the tree as one token (lossless) and the
        // evaluator reports it (input-too-large).
        this.emit(T.UnreadTail, n);
        break;
      }
      const i = this.offset;
      const c = s.charCodeAt(i);
      switch (c) {
        case 32:
        case 9: {
          // blanks
          let j = i + 1;
          while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
          this.blankRun(j);
          break;
        }
        case 10:
        case 13:
          this.newlineRun();
          break;
        case 35: // '#'
          this.emit(T.Comment, this.commentEnd(i));
          break;
        case 61: // '='
          this.equals();
          break;
        case 33: // '!'
          if (this.inCond && (s[i + 1] === "=" || s[i + 1] === "~")) {
            this.inCond = false;
            this.emit(s[i + 1] === "=" ? T.Ne : T.NoMatch, i + 2);
          } else {
            this.error(i, i + 1, this.inCond ? "only !~ and != are allowed in the condition" : "unexpected '!': lighttpd has no '!' outside a condition operator (!= or !~)");
          }
          break;
        case 44: // ','
          this.emit(this.parens.length ? T.Comma : T.IgnoredComma, i + 1);
          break;
        case 34: // '"'
          this.string();
          break;
        case 40: // '('
          this.parens.push(i);
          this.emit(T.LParen, i + 1);
          break;
        case 41: // ')'
          if (this.parens.length) {
            this.parens.pop();
            this.emit(T.RParen, i + 1);
          } else {
            this.error(i, i + 1, "')' without a matching '('", "");
          }
          break;
        case 36: // '$'
          this.inCond = true;
          this.emit(T.Dollar, i + 1);
          break;
        case 43: // '+'
          this.emit(s[i + 1] === "=" ? T.Append : T.Plus, s[i + 1] === "=" ? i + 2 : i + 1);
          break;
        case 58: // ':'
          if (s[i + 1] === "=") this.emit(T.ForceAssign, i + 2);
          else this.error(i, i + 1, "unexpected ':' (did you mean ':=' ?)");
          break;
        case 123:
          this.emit(T.LCurly, i + 1);
          break;
        case 125:
          this.rightCurly();
          break;
        case 91:
          this.emit(T.LBracket, i + 1);
          break;
        case 93:
          this.emit(T.RBracket, i + 1);
          break;
        case 0:
          // lighttpd logs "stray NUL" and treats the NUL as the end of the file.
          this.emit(T.NulTail, n);
          break;
        default:
          this.word();
      }
    }
    const { tokens, trivia, source } = this;
    let all: Token[] | undefined;
    return {
      tokens,
      trivia,
      errors: this.errors,
      source,
      get all() {
        return (all ??= mergeTokens(tokens, trivia));
      },
    };
  }

  /** A run of blanks up to `end`: not stored, `all` makes it from the gap it leaves. */
  private blankRun(end: number): void {
    this.blanks++;
    this.offset = end;
  }

  private emit(type: TokenType, end: number): void {
    if (type.trivia) this.trivia.push(type, this.offset, end);
    else {
      this.tokens.push(type, this.offset, end);
      this.prev = type;
    }
    this.offset = end;
  }

  /** A zero-width statement end, as lighttpd inserts after `}` followed by more text on the line. */
  private emitSyntheticEol(): void {
    this.tokens.push(T.Eol, this.offset, this.offset);
    this.prev = T.Eol;
  }

  private error(start: number, end: number, message: string, replacement?: string, ruleId?: "arrow-typo"): void {
    this.errors.push({ message, start, end, replacement, ruleId });
    this.offset = start;
    this.emit(T.Invalid, end);
  }

  private commentEnd(i: number): number {
    const s = this.text;
    let j = i + 1;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 10 || c === 13 || c === 0) break;
    }
    return j;
  }

  /** A run of newlines, blanks and comments: one statement end outside parentheses, nothing inside. */
  private newlineRun(): void {
    const s = this.text;
    let first = this.parens.length === 0;
    while (this.offset < s.length) {
      const i = this.offset;
      const c = s.charCodeAt(i);
      if (c === 10 || c === 13) {
        const end = c === 13 && s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        this.emit(first ? T.Eol : T.Newline, end);
        first = false;
      } else if (c === 35) {
        this.emit(T.Comment, this.commentEnd(i));
      } else if (c === 32 || c === 9) {
        let j = i + 1;
        while (j < s.length && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
        this.blankRun(j);
      } else break;
    }
  }

  private equals(): void {
    const s = this.text;
    const i = this.offset;
    const next = s[i + 1];
    if (this.parens.length) {
      if (next === ">") this.emit(T.ArrayAssign, i + 2);
      else this.equalsInParens();
    } else if (this.inCond) {
      const prefixSuffix = this.features.prefixSuffixConditions;
      const op = next === "=" ? T.Eq : next === "~" ? T.Match : next === "^" && prefixSuffix ? T.Prefix : next === "$" && prefixSuffix ? T.Suffix : undefined;
      if (op) {
        this.inCond = false;
        this.emit(op, i + 2);
      } else {
        // Most likely `=` meant `==`: report it and read it so, to keep the rest of the parse useful.
        // Before 1.4.65 (no =^ / =$) lighttpd says "only =~ and == are allowed in the condition".
        const message = prefixSuffix
          ? "only == =~ =^ =$ are allowed in the condition (did you mean '==' ?)"
          : next === "^" || next === "$"
            ? `=${next} needs lighttpd 1.4.65 or later; this release allows only == and =~ in a condition${next === "^" ? ' (write =~ "^…")' : ""}`
            : "only == and =~ are allowed in the condition (did you mean '==' ?)";
        const old = !prefixSuffix && (next === "^" || next === "$");
        this.errors.push(old ? { message, start: i, end: i + 2 } : { message, start: i, end: i + 1, replacement: "==" });
        this.inCond = false;
        this.emit(T.Eq, i + 1);
      }
    } else {
      this.emit(T.Assign, i + 1);
    }
  }

  /**
   * `=` inside parentheses: lighttpd stops with "use => for assignments in arrays". Either the `=`
   * was meant as `=>`, or an earlier `(` was never closed and this `=` belongs to the next
   * statement. The second is likely when the `=` follows a key that starts its line.
   */
  private equalsInParens(): void {
    const i = this.offset;
    const tokens = this.tokens;
    const last = tokens.length - 1;
    const lineOf = (offset: number) => this.source.lineAt(offset);
    // As Token.endLine and startLine count them.
    const keyStartsLine = last >= 0 && tokens.type(last) === T.Key && (last === 0 || lineOf(tokens.end(last - 1)) < lineOf(tokens.start(last)));
    if (keyStartsLine) {
      const open = this.parens[this.parens.length - 1];
      this.errors.push({
        message: `'(' opened at line ${this.source.lineAt(open)} is never closed: lighttpd reads on until this '=' and fails with "use => for assignments in arrays"`,
        start: open,
        end: open + 1,
        origin: { start: i, end: i + 1 },
      });
      // Recover: close every open list just before the key that starts the next statement.
      const at = tokens.start(last);
      this.parens.length = 0;
      tokens.insert(last, [
        { type: T.RParen, start: at, end: at },
        { type: T.Eol, start: at, end: at },
      ]);
      this.emit(T.Assign, i + 1);
    } else {
      this.errors.push({ message: "use '=>' for assignments in arrays, not '='", start: i, end: i + 1, replacement: "=>" });
      this.emit(T.ArrayAssign, i + 1);
    }
  }

  private string(): void {
    const s = this.text;
    const i = this.offset;
    // The closing quote: the first '"' not right after a backslash (lighttpd's only escape is \",
    // so any backslash before a quote escapes it), found with indexOf (most strings are short and a
    // large config has 200,000); a NUL before it ends the string there (the file ends at it: NulTail;
    // a NUL may also sit inside an earlier token, an Invalid one, so the NUL looked for is the next).
    let j = s.indexOf('"', i + 1);
    while (j > i + 1 && s.charCodeAt(j - 1) === 92 /*\*/) j = s.indexOf('"', j + 1);
    if (j < 0) j = s.length;
    // Offsets only grow: the next NUL is searched again only once the last one found is behind.
    if (this.nextNul < i) {
      const nul = s.indexOf("\0", i);
      this.nextNul = nul < 0 ? Infinity : nul;
    }
    if (this.nextNul < j) j = this.nextNul;
    if (this.prev === T.StringLit && this.features.stringAfterStringError) {
      this.errors.push({ message: "two strings in a row: strings may be combined with '+' or separated with ',' or '=>' in lists", start: i, end: i + 1 });
    } else if (this.prev === T.Key && this.features.keySanityErrors) {
      this.errors.push({ message: "missing assignment operator ('=') ?", start: i, end: i + 1 });
    }
    if (j < s.length && s.charCodeAt(j) === 34) {
      this.emit(T.StringLit, j + 1);
      return;
    }
    // Unterminated: lighttpd gives up ("missing closing quote"). To keep reporting, end it at its line.
    let eol = i + 1;
    while (eol < s.length && s.charCodeAt(eol) !== 10 && s.charCodeAt(eol) !== 13 && s.charCodeAt(eol) !== 0) eol++;
    const backslashEnd = s.slice(i, eol).endsWith('\\"');
    this.errors.push({
      message: backslashEnd
        ? 'string is never closed: lighttpd\'s only escape is \\" so a string cannot end in a backslash (the last \\" is an escaped quote)'
        : "string is never closed (missing closing quote)",
      start: i,
      end: i + 1,
    });
    this.tokens.push(T.StringLit, this.offset, eol, true);
    this.prev = T.StringLit;
    this.offset = eol;
  }

  private rightCurly(): void {
    const s = this.text;
    this.emit(T.RCurly, this.offset + 1);
    let j = this.offset;
    while (j < s.length && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
    if (j < s.length) {
      const c = s.charCodeAt(j);
      if (c !== 10 && c !== 13 && c !== 35) this.emitSyntheticEol();
    }
  }

  private word(): void {
    const s = this.text;
    const n = s.length;
    const i = this.offset;
    const c = s.charCodeAt(i);
    if (this.inCond) {
      let j = i;
      while (j < n && (isAlpha(s.charCodeAt(j)) || s.charCodeAt(j) === 95)) j++;
      if (j > i && j < n && s.charCodeAt(j) !== 0) this.emit(T.SrvVarName, j);
      else this.error(i, Math.max(j, i + charLength(s, i)), "invalid character in condition");
      return;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && isDigit(s.charCodeAt(j))) j++;
      this.emit(T.IntegerLit, j);
      return;
    }
    if (c === 45 && s.charCodeAt(i + 1) === 62 && this.parens.length) {
      // `->` where `=>` belongs: lighttpd fails with "invalid character in variable name".
      this.errors.push({ message: "'->' is not an operator: use '=>' between a key and its value", start: i, end: i + 2, replacement: "=>", ruleId: "arrow-typo" });
      this.emit(T.ArrayAssign, i + 2);
      return;
    }
    let j = i;
    while (j < n && isKeyChar(s.charCodeAt(j))) j++;
    if (j > i && j < n && s.charCodeAt(j) !== 0) {
      // Keywords start with 'e', 'g' or 'i': do not copy other words just to compare them.
      const w = c === 101 || c === 103 || c === 105 ? s.slice(i, j) : "";
      let type = T.Key;
      if (w === "include") type = T.Include;
      else if (w === "include_shell") type = T.IncludeShell;
      else if (w === "global") type = T.Global;
      else if (w === "else") type = T.Else;
      else if (this.features.elseIfSpellings && (w === "elif" || w === "elsif" || w === "elseif")) type = T.Else;
      else if (this.features.elseIfSpellings && w === "if") {
        // configfile.c (1.4.74+): `continue` before `$`, and otherwise the word falls out of the
        // if/else chain without a token either: `if` is skipped wherever it stands (1.4.82 accepts
        // `if server.tag = "x"`).
        this.emit(T.IgnoredIf, j);
        return;
      }
      if (type === T.Key && this.prev === T.Key && this.features.keySanityErrors) {
        this.errors.push({ message: "missing assignment operator ('=') or missing string concat operator ('+') ?", start: i, end: j });
      }
      this.emit(type, j);
      return;
    }
    if (j === i && c === 0xa0) {
      this.emit(T.WhiteSpace, i + 1); // lighttpd treats U+00A0 NO-BREAK SPACE as a blank
      return;
    }
    if (j > i) {
      // lighttpd reads a name only when another byte follows it, so a file ending in a name fails.
      this.errors.push({
        message: 'the file ends right after a name: lighttpd rejects it ("invalid character in variable name"); end the file with a newline',
        start: i,
        end: j,
        replacement: s.slice(i, j) + "\n",
      });
      this.emit(T.Key, j);
      return;
    }
    const ch = s[i];
    if (ch === "'") {
      // A single-quoted string: read it as a string to keep parsing, and offer double quotes.
      let k = i + 1;
      while (k < n && s[k] !== "'" && s[k] !== "\n" && s[k] !== "\r" && s[k] !== '"') k++;
      if (s[k] === "'") {
        this.errors.push({ message: "lighttpd has no single-quoted strings: use double quotes", start: i, end: k + 1, replacement: `"${s.slice(i + 1, k)}"` });
        this.emit(T.StringLit, k + 1);
        return;
      }
    }
    // A BOM or a ';' changes nothing when removed, so removing them is a safe fix.
    const removable = ch === ";" || (i === 0 && ch === "\ufeff");
    this.error(i, i + charLength(s, i), invalidCharMessage(s, i), removable ? "" : undefined);
  }
}

function charLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

function invalidCharMessage(s: string, i: number): string {
  const ch = s[i];
  if (i === 0 && ch === "\ufeff") return "the file starts with a UTF-8 byte order mark (BOM), which lighttpd rejects: save it without BOM";
  if (ch === ";") return "';' is not a statement separator in lighttpd.conf: remove it (a new line ends a statement)";
  if (ch === "'") return "lighttpd has no single-quoted strings: use double quotes";
  const code = ch.codePointAt(0)!;
  const shown = code < 32 || code === 127 ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `'${String.fromCodePoint(code)}'`;
  return `invalid character ${shown}: lighttpd expects a key, a string, a number or an operator here`;
}
