/**
 * The formatter: reprints a config in the house style of lighttpd's own `-p` printer (4-space
 * indent, `}` and `else` on their own lines, long lists one element per line with a trailing comma)
 * without changing what lighttpd reads.
 *
 * `else` goes on the line after `}` as `-p` prints it: `condlines ::= condlines eols ELSE ...` in
 * src/configparser.y of every release checked (1.4.59 to 1.4.85) takes it with or without the newline.
 *
 * It works on the lossless token stream of src/parse and only ever changes white space, newlines
 * inside parentheses (where lighttpd ignores them) and commas lighttpd's grammar makes optional:
 * every significant token is printed with its original image, in its original order, and a newline
 * is printed outside parentheses exactly where lighttpd saw a statement end (plus after `{` and
 * before `}`, where lighttpd's `metaline ::= EOL` allows empty lines). Comments stay on their
 * statement (a trailing comment stays on its line), blank lines are capped, never removed.
 *
 * It refuses (leaves the text alone, with a reason) a file with syntax errors or with text lighttpd
 * silently drops (stray tokens, a comma outside a list, `if` before `$` in 1.4.74+): reprinting
 * it could hide or change what lighttpd does with it.
 */
import type { Token, TokenType } from "../../grammar/tokens.js";
import * as T from "../../grammar/tokens.js";
import { parseConfig } from "../parse/parse.js";
import { atLeast } from "../util/version.js";

export interface FormatOptions {
  /** Target lighttpd version: decides which optional syntax may be added. */
  version: string;
  /** Spaces per level (lighttpd -p: 4). */
  indent?: number;
  /** Consecutive blank lines kept at most (more are capped to this, never removed below it). */
  maxBlankLines?: number;
  /** A list written on one line stays on one line while it fits in this many columns. */
  printWidth?: number;
  /** Pad the keys of a list so its `=>` line up. */
  alignArrows?: boolean;
}

export type FormatResult = { ok: true; text: string; changed: boolean } | { ok: false; reason: string; offset: number };

export const FMT_OFF = /^#\s*lighttpd-lint-fmt:\s*off\b/;
export const FMT_ON = /^#\s*lighttpd-lint-fmt:\s*on\b/;

/**
 * Whether a trailing comma in a list is accepted: `aelements ::= aelements COMMA.` is in
 * src/configparser.y of every release checked (1.4.59 to 1.4.85); older ones are not verified, so
 * the formatter adds none for them.
 */
export function trailingCommaAccepted(version: string): boolean {
  return atLeast(version, "1.4.59");
}

class Unformattable extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Trivia types that stand for text lighttpd drops or rejects: never reprinted. */
const REFUSED_TRIVIA = new Map<TokenType, string>([
  [T.Invalid, "text lighttpd rejects"],
  [T.IgnoredComma, "a ',' outside a list, which lighttpd silently skips"],
  [T.IgnoredIf, "an 'if' before '$', which lighttpd 1.4.74+ silently drops"],
  [T.NulTail, "a NUL byte (lighttpd stops reading there)"],
]);

export function formatText(text: string, options: FormatOptions): FormatResult {
  const parsed = parseConfig(text, { version: options.version });
  if (parsed.problems.length > 0) {
    const p = parsed.problems[0];
    return { ok: false, reason: `syntax error: ${p.message}`, offset: p.start };
  }
  if (parsed.strays.length > 0) {
    const t = parsed.strays[0].node.token;
    return { ok: false, reason: `lighttpd silently drops ${JSON.stringify(t.image)} here (a stray token): fix it first (lighttpd-lint shows why)`, offset: t.startOffset };
  }
  for (const t of parsed.tokens) {
    const why = REFUSED_TRIVIA.get(t.tokenType);
    if (why) return { ok: false, reason: `contains ${why}`, offset: t.startOffset };
  }
  try {
    const out = new Printer(text, parsed.tokens, options).run();
    return { ok: true, text: out, changed: out !== text };
  } catch (e) {
    if (e instanceof Unformattable) return { ok: false, reason: e.message, offset: e.offset };
    throw e;
  }
}

const isNewline = (t: Token) => (t.tokenType === T.Eol || t.tokenType === T.Newline) && t.image !== "";

/** A list `( ... )`, read from the tokens before it is laid out. */
interface ListNode {
  open: Token;
  /** A comment on the line of `(`. */
  openComment?: string;
  elements: Element[];
  /** Comments after the last element (own lines), with the blank lines before each. */
  tail: CommentLine[];
  /** Blank lines before `)`. */
  tailBlanks: number;
  /** A newline or a comment anywhere inside (nested lists included). */
  multiline: boolean;
  hasComments: boolean;
  lastComma: boolean;
}

interface CommentLine {
  blanks: number;
  text: string;
}

/** A comment between the tokens of one element (`".php" => # PHP` then the value on the next line). */
interface Note {
  note: string;
}

type Part = Token | ListNode | Note;

interface Element {
  leading: CommentLine[];
  /** Blank lines before the element itself (after its leading comments). */
  blanks: number;
  parts: Part[];
  comment?: string;
  comma: boolean;
}

const isList = (p: Part): p is ListNode => (p as ListNode).elements !== undefined;
const isNote = (p: Part): p is Note => (p as Note).note !== undefined;
const isTok = (p: Part): p is Token => (p as Token).tokenType !== undefined;

class Printer {
  private readonly nl: string;
  private readonly unit: string;
  private readonly maxBlank: number;
  private readonly width: number;
  private readonly align: boolean;
  private readonly trailingComma: boolean;
  private readonly out: string[] = [];
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly toks: Token[],
    options: FormatOptions,
  ) {
    const m = /\r\n|\n|\r/.exec(text);
    this.nl = m ? m[0] : "\n";
    this.unit = " ".repeat(options.indent ?? 4);
    this.maxBlank = options.maxBlankLines ?? 1;
    this.width = options.printWidth ?? 100;
    this.align = options.alignArrows ?? false;
    this.trailingComma = trailingCommaAccepted(options.version);
  }

  run(): string {
    this.statements(0, false);
    let s = this.out.join("");
    if (s !== "" && !s.endsWith(this.nl)) s += this.nl;
    return s;
  }

  private pad(depth: number): string {
    return this.unit.repeat(depth);
  }

  /**
   * Statement lines up to the `}` that closes the block (left for the caller) or the end of the file.
   * `line` collects the statement being printed; a newline token ends it, as it ends it for lighttpd.
   */
  private statements(depth: number, inBlock: boolean): void {
    const toks = this.toks;
    let line = "";
    let prev: Token | undefined; // previous significant token on this line
    let newlines = 0; // newlines since the last printed line
    let started = inBlock; // blank lines at the start of the file are dropped, elsewhere capped
    let breakAfterCurly = false;
    const blankLines = () => (started ? Math.min(this.maxBlank, Math.max(0, newlines - 1)) : 0);
    const flush = () => {
      if (line !== "") {
        this.out.push(line, this.nl);
        line = "";
        prev = undefined;
        newlines = 0;
        started = true;
      }
    };
    const startLine = (d: number) => {
      this.out.push(this.nl.repeat(blankLines()));
      newlines = 0;
      line = this.pad(d);
    };
    while (this.i < toks.length) {
      const t = toks[this.i];
      const type = t.tokenType;
      if (type === T.WhiteSpace) {
        this.i++;
        continue;
      }
      if (type === T.Eol || type === T.Newline) {
        flush();
        if (t.image !== "") newlines++;
        breakAfterCurly = false;
        this.i++;
        continue;
      }
      if (type === T.Comment) {
        if (line !== "") {
          line += " " + t.image.trimEnd();
          this.i++;
          continue;
        }
        startLine(depth);
        line += t.image.trimEnd();
        this.i++;
        if (FMT_OFF.test(t.image)) {
          flush();
          this.verbatimRegion(t);
          newlines = 1;
        }
        continue;
      }
      if (type === T.RCurly) {
        if (!inBlock) throw new Unformattable("'}' without '{'", t.startOffset);
        flush();
        this.out.push(this.nl.repeat(blankLines()));
        return;
      }
      if (breakAfterCurly) {
        flush();
        newlines = 1;
        breakAfterCurly = false;
      }
      if (line === "") startLine(depth);
      else if (gap(prev, t)) line += " ";
      if (type === T.LParen) {
        const list = this.readList();
        line += this.layoutList(list, depth, line.length);
        prev = t;
        continue;
      }
      line += t.image;
      prev = t;
      this.i++;
      if (type === T.LCurly) {
        // The block's statements on their own lines; a comment after `{` stays on its line.
        const blockStart = this.i;
        this.skipSameLineComment((c) => {
          line += " " + c;
        });
        flush();
        this.statements(depth + 1, true);
        const close = toks[this.i];
        if (!close || close.tokenType !== T.RCurly) throw new Unformattable("'{' is never closed", toks[blockStart - 1].startOffset);
        line = this.pad(depth) + "}";
        prev = close;
        this.i++;
        breakAfterCurly = true;
        newlines = 0;
      }
    }
    if (inBlock) throw new Unformattable("'{' is never closed", this.text.length);
    flush();
  }

  /** Whitespace then a comment on the same line: hands the comment to `take` and consumes it. */
  private skipSameLineComment(take: (c: string) => void): void {
    let j = this.i;
    while (j < this.toks.length && this.toks[j].tokenType === T.WhiteSpace) j++;
    if (j < this.toks.length && this.toks[j].tokenType === T.Comment) {
      take(this.toks[j].image.trimEnd());
      this.i = j + 1;
    }
  }

  /**
   * After `# lighttpd-lint-fmt: off`: the original text up to the line of `# lighttpd-lint-fmt: on`
   * at the same level, else up to the `}` closing the block, else to the end of the file.
   */
  private verbatimRegion(offComment: Token): void {
    const toks = this.toks;
    let j = this.i;
    // The rest of the `off` comment's line is its newline.
    while (j < toks.length && toks[j].tokenType === T.WhiteSpace) j++;
    if (j < toks.length && isNewline(toks[j])) j++;
    const from = j < toks.length ? toks[j].startOffset : this.text.length;
    let curly = 0;
    let paren = 0;
    let end = j;
    for (; end < toks.length; end++) {
      const t = toks[end];
      if (t.tokenType === T.LCurly) curly++;
      else if (t.tokenType === T.RCurly) {
        if (curly === 0) break;
        curly--;
      } else if (t.tokenType === T.LParen) paren++;
      else if (t.tokenType === T.RParen) paren--;
      else if (t.tokenType === T.Comment && curly === 0 && paren === 0 && FMT_ON.test(t.image) && this.ownLine(end)) break;
    }
    if (end === toks.length && (curly !== 0 || paren !== 0)) throw new Unformattable("unbalanced region after '# lighttpd-lint-fmt: off'", offComment.startOffset);
    const stop = end < toks.length ? toks[end].startOffset : this.text.length;
    let region = this.text.slice(from, stop);
    // Up to the start of the line of what ends the region (its indentation is the formatter's).
    const lastNl = Math.max(region.lastIndexOf("\n"), region.lastIndexOf("\r"));
    const tail = region.slice(lastNl + 1);
    if (/^[ \t]*$/.test(tail)) region = region.slice(0, lastNl + 1);
    else region = region.replace(/[ \t]+$/, "") + this.nl;
    if (region !== "" && region.trim() === "") region = "";
    this.out.push(region);
    this.i = end;
  }

  /** Whether toks[j] is the first thing on its line. */
  private ownLine(j: number): boolean {
    let k = j - 1;
    while (k >= 0 && this.toks[k].tokenType === T.WhiteSpace) k--;
    return k < 0 || isNewline(this.toks[k]);
  }

  /** Reads the list starting at toks[this.i] (a `(`) up to its `)`, consuming it. */
  private readList(): ListNode {
    const toks = this.toks;
    const open = toks[this.i++];
    const list: ListNode = { open, elements: [], tail: [], tailBlanks: 0, multiline: false, hasComments: false, lastComma: false };
    let cur: Element | undefined; // the element being read (until its comma)
    let last: Element | undefined; // the element just finished by a comma or being read
    let pending: CommentLine[] = [];
    let newlines = 0;
    let sawNewlineSinceToken = false;
    let anyToken = false;
    while (this.i < toks.length) {
      const t = toks[this.i];
      const type = t.tokenType;
      if (type === T.WhiteSpace) {
        this.i++;
        continue;
      }
      if (isNewline(t)) {
        list.multiline = true;
        newlines++;
        sawNewlineSinceToken = true;
        this.i++;
        continue;
      }
      if (type === T.Eol || type === T.Newline) {
        this.i++;
        continue;
      }
      if (type === T.Comment) {
        list.hasComments = true;
        list.multiline = true;
        const c = t.image.trimEnd();
        this.i++;
        if (!sawNewlineSinceToken) {
          if (!anyToken) {
            list.openComment = c;
            continue;
          }
          if (last && last.comment === undefined && (last === cur ? true : last.comma)) {
            last.comment = c;
            continue;
          }
        }
        pending.push({ blanks: Math.min(this.maxBlank, Math.max(0, newlines - 1)), text: c });
        newlines = 0;
        continue;
      }
      if (type === T.RParen) {
        this.i++;
        list.tail = pending;
        list.tailBlanks = Math.min(this.maxBlank, Math.max(0, newlines - 1));
        list.lastComma = list.elements.length > 0 && list.elements[list.elements.length - 1].comma;
        return list;
      }
      if (type === T.Comma) {
        if (!cur) throw new Unformattable("a ',' without a list element before it", t.startOffset);
        // Own-line comments between the element and its comma stay with the next element (or the end).
        cur.comma = true;
        cur = undefined;
        anyToken = true;
        sawNewlineSinceToken = false;
        this.i++;
        continue;
      }
      // A significant token (or a nested list) of an element.
      if (!cur) {
        cur = { leading: pending, blanks: Math.min(this.maxBlank, Math.max(0, newlines - 1)), parts: [], comma: false };
        pending = [];
        list.elements.push(cur);
        last = cur;
      } else if (pending.length || cur.comment !== undefined) {
        // Comments between two tokens of the element stay there, each ending its line.
        if (cur.comment !== undefined) cur.parts.push({ note: cur.comment });
        for (const c of pending) cur.parts.push({ note: c.text });
        cur.comment = undefined;
        pending = [];
      }
      newlines = 0;
      anyToken = true;
      sawNewlineSinceToken = false;
      if (type === T.LParen) {
        const inner = this.readList();
        if (inner.multiline) list.multiline = true;
        if (inner.hasComments) list.hasComments = true;
        cur.parts.push(inner);
      } else {
        cur.parts.push(t);
        this.i++;
      }
    }
    throw new Unformattable("'(' is never closed", open.startOffset);
  }

  /** The text of a list whose `(` is at `column` of a line indented `depth` levels. */
  private layoutList(list: ListNode, depth: number, column: number): string {
    if (list.elements.length === 0 && !list.hasComments) return "()";
    if (!list.multiline && !list.hasComments) {
      const inline = this.inlineList(list);
      if (inline !== undefined && column + inline.length <= this.width) return inline;
    }
    const inner = this.pad(depth + 1);
    const lines: string[] = ["(" + (list.openComment ? " " + list.openComment : "")];
    const keyWidth = this.align ? Math.max(0, ...list.elements.map((e) => this.keyText(e)?.length ?? 0)) : 0;
    list.elements.forEach((e, k) => {
      for (const c of e.leading) {
        for (let b = 0; b < c.blanks; b++) lines.push("");
        lines.push(inner + c.text);
      }
      for (let b = 0; b < e.blanks; b++) lines.push("");
      const isLast = k === list.elements.length - 1;
      const comma = !isLast || e.comma || this.trailingComma ? "," : "";
      const body = this.elementText(e, depth + 1, inner.length, keyWidth);
      lines.push(inner + body + comma + (e.comment ? " " + e.comment : ""));
    });
    for (const c of list.tail) {
      for (let b = 0; b < c.blanks; b++) lines.push("");
      lines.push(inner + c.text);
    }
    for (let b = 0; b < list.tailBlanks; b++) lines.push("");
    lines.push(this.pad(depth) + ")");
    return lines.join(this.nl);
  }

  /** One-line text of a list without comments or newlines (undefined if a nested list cannot be). */
  private inlineList(list: ListNode): string | undefined {
    const els: string[] = [];
    for (const e of list.elements) {
      const parts: string[] = [];
      for (const p of e.parts) {
        if (isNote(p)) return undefined;
        if (isList(p)) {
          if (p.multiline || p.hasComments) return undefined;
          const s = p.elements.length === 0 ? "()" : this.inlineList(p);
          if (s === undefined) return undefined;
          parts.push(s);
        } else parts.push(p.image);
      }
      els.push(parts.join(" "));
    }
    return "(" + els.join(", ") + ")";
  }

  /** The key of a `key => value` element as printed, when it is one line. */
  private keyText(e: Element): string | undefined {
    const arrow = e.parts.findIndex((p) => isTok(p) && p.tokenType === T.ArrayAssign);
    if (arrow <= 0) return undefined;
    const key = e.parts.slice(0, arrow);
    if (!key.every(isTok)) return undefined;
    return (key as Token[]).map((t) => t.image).join(" ");
  }

  private elementText(e: Element, depth: number, column: number, keyWidth: number): string {
    let s = "";
    const key = keyWidth > 0 ? this.keyText(e) : undefined;
    let k = 0;
    if (key !== undefined) {
      s = key.padEnd(keyWidth) + " =>";
      k = e.parts.findIndex((p) => isTok(p) && p.tokenType === T.ArrayAssign) + 1;
    }
    // After a comment the element goes on, one level deeper, on the next line.
    let level = depth;
    let afterNote = false;
    for (; k < e.parts.length; k++) {
      const p = e.parts[k];
      if (afterNote) s += this.nl + this.pad(level);
      else if (s !== "") s += " ";
      afterNote = false;
      if (isNote(p)) {
        s += p.note;
        afterNote = true;
        level = depth + 1;
      } else if (isList(p)) {
        const lastLine = s.slice(s.lastIndexOf(this.nl) + this.nl.length);
        s += this.layoutList(p, level, (s.includes(this.nl) ? 0 : column) + lastLine.length);
      } else s += p.image;
    }
    return s;
  }
}

/** Whether a space goes between two tokens of one statement line: `$HTTP["host"]` stays together. */
function gap(prev: Token | undefined, t: Token): boolean {
  if (!prev) return false;
  const p = prev.tokenType;
  if (p === T.Dollar || p === T.SrvVarName || p === T.LBracket) return false;
  if (t.tokenType === T.RBracket) return false;
  return true;
}
