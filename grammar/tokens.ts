/**
 * Token types of lighttpd 1.4's configuration language (src/configfile.c: config_tokenizer).
 *
 * The parser consumes the "significant" tokens; trivia (white space, comments, extra newlines,
 * characters lighttpd rejects) is kept beside them so the source can be reproduced byte for byte.
 */
import { createToken, type TokenType } from "chevrotain";

// A category every significant token belongs to, so the parser can "drop" any token the way
// lighttpd's LEMON parser does (it discards an unexpected token and carries on).
export const AnyToken = createToken({ name: "AnyToken", pattern: /NEVER_MATCHED/ });

function tok(name: string, label?: string): TokenType {
  return createToken({ name, pattern: /NEVER_MATCHED/, categories: [AnyToken], label: label ?? name });
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

/** Trivia: never seen by the parser. */
function trivia(name: string): TokenType {
  return createToken({ name, pattern: /NEVER_MATCHED/, group: "trivia" });
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

export const significantTokens: TokenType[] = [
  AnyToken,
  Key,
  SrvVarName,
  StringLit,
  IntegerLit,
  Include,
  IncludeShell,
  Global,
  Else,
  Dollar,
  LBracket,
  RBracket,
  LParen,
  RParen,
  LCurly,
  RCurly,
  Comma,
  ArrayAssign,
  Assign,
  Append,
  ForceAssign,
  Plus,
  Eq,
  Match,
  Prefix,
  Suffix,
  Ne,
  NoMatch,
  Eol,
];
export const triviaTokens: TokenType[] = [WhiteSpace, Newline, Comment, IgnoredComma, IgnoredIf, Invalid, NulTail, UnreadTail];
export const allTokenTypes: TokenType[] = [...significantTokens, ...triviaTokens];

export const conditionOperators = [Eq, Match, Prefix, Suffix, Ne, NoMatch];
export const valueStartTokens = [Key, StringLit, IntegerLit, LParen];
