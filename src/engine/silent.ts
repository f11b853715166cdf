/**
 * What lighttpd silently misreads: tokens its parser drops (see grammar/parser.ts) and text its
 * tokenizer skips. Each finding is classified once here, so the rules that report them
 * (orphan-else, dangling-plus, missing-comma, else-if, stray-token) never report the same token twice.
 */
import type { Token, TokenType } from "../../grammar/tokens.js";
import * as T from "../../grammar/tokens.js";
import type { Finding, Fix } from "../ast/diagnostics.js";
import { assignmentKey, tokenEnd, type AssignmentNode, type Statement } from "../ast/nodes.js";
import { ignoredCommas, type ParseResult } from "../parse/parse.js";
import { atLeast, languageFeatures } from "../util/version.js";
import type { Rule, RuleMeta } from "./types.js";

/** Every rule id of what lighttpd silently drops (each is a registered rule: test/finding-ids.test.ts). */
export const SILENT_RULE_IDS = ["orphan-else", "dangling-plus", "missing-comma", "else-if", "stray-token"] as const;
export type SilentKind = (typeof SILENT_RULE_IDS)[number];

/** The common Finding, per parse (so without `file`). */
export type SilentFinding = Omit<Finding<SilentKind>, "file" | "severity">;

const VALUE_TOKENS = new Set<TokenType>([T.StringLit, T.IntegerLit, T.Key, T.LParen]);
const VALUE_END_TOKENS = new Set<TokenType>([T.StringLit, T.IntegerLit, T.Key, T.RParen]);
const ELSE_SPELLINGS = new Set(["elseif", "elsif", "elif"]);

const cache = new WeakMap<ParseResult, SilentFinding[]>();

export function silentFindings(parse: ParseResult): SilentFinding[] {
  let found = cache.get(parse);
  if (!found) {
    // Before 1.4.69 a dropped token fails the parse (syntax-error says where): nothing is silent then.
    found = parse.strays.length > 0 && languageFeatures(parse.version).syntaxErrorsFatal ? [] : classify(parse);
    cache.set(parse, found);
  }
  return found;
}

function shown(tokens: Token[], text: string): string {
  const s = text.slice(tokens[0].startOffset, tokenEnd(tokens[tokens.length - 1]));
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 40 ? one.slice(0, 37) + "..." : one;
}

function classify(parse: ParseResult): SilentFinding[] {
  const { text, version } = parse;
  // The significant tokens and their positions are needed only around dropped tokens and old
  // `elseif` keys (rare): built on first use, and a token's position is found by binary search
  // on its offset (a Map over 400,000 tokens cost more than the rest of this function).
  let sig: Token[] | undefined;
  const significantTokens = (): Token[] => (sig ??= parse.tokens.filter((t) => !t.tokenType.trivia));
  const sigIndex = { get: (t: Token | undefined): number | undefined => (t ? significantIndex(significantTokens(), t) : undefined) };
  const findings: SilentFinding[] = [];
  const consumed = new Set<Token>();

  // Groups of dropped tokens: consecutive in the significant token stream, same drop context.
  type Group = { tokens: Token[]; context: string };
  const groups: Group[] = [];
  for (const s of parse.strays) {
    const t = s.node.token;
    if (t.tokenType === T.Eol) continue; // a dropped line end is harmless (`{` on the next line)
    const last = groups[groups.length - 1];
    const prevTok = last?.tokens[last.tokens.length - 1];
    if (last && last.context === s.context && sigIndex.get(t) === (sigIndex.get(prevTok!) ?? -2) + 1) last.tokens.push(t);
    else groups.push({ tokens: [t], context: s.context });
  }
  // A group by its first token: an old `elseif` in each of 4,000 vhosts looks its group up 4,000 times.
  const groupStartingAt = new Map(groups.map((g) => [g.tokens[0], g]));

  const prevSignificant = (t: Token, skipEol = false): Token | undefined => {
    let i = (sigIndex.get(t) ?? 0) - 1;
    const significant = significantTokens();
    while (i >= 0 && skipEol && significant[i].tokenType === T.Eol) i--;
    return i >= 0 ? significant[i] : undefined;
  };
  /** The `}` that closes a dropped `{` (its body was read at the outer level). */
  const markMatchingClose = (open: Token): void => {
    let depth = 0;
    const significant = significantTokens();
    for (let i = sigIndex.get(open)!; i < significant.length; i++) {
      const type = significant[i].tokenType;
      if (type === T.LCurly) depth++;
      else if (type === T.RCurly && --depth === 0) {
        consumed.add(significant[i]);
        return;
      }
    }
  };
  const oldElse = !atLeast(version, "1.4.74");

  // `elseif`/`elsif`/`elif`/`if` read as a key before 1.4.74: the condition is dropped up to the first `=`.
  const visit = (body: Statement[]): void => {
    for (const st of body) {
      if (st.kind === "assignment") checkElseKey(st);
      else if (st.kind === "conditionChain") {
        for (const b of st.branches) if (b.block) visit(b.block.body);
      } else if (st.kind === "global" && st.block) visit(st.block.body);
    }
  };
  const checkElseKey = (a: AssignmentNode): void => {
    if (!oldElse) return;
    const word = assignmentKey(a); // without making the key's token (src/ast/nodes.ts pendingAssignment)
    if (!(ELSE_SPELLINGS.has(word) || word === "if")) return;
    const next = significantTokens()[(sigIndex.get(a.key) ?? 0) + 1];
    if (!next || next.tokenType !== T.Dollar) return;
    const group = groupStartingAt.get(next);
    if (group) {
      group.tokens.forEach((t) => consumed.add(t));
      const open = group.tokens.find((t) => t.tokenType === T.LCurly);
      if (open) markMatchingClose(open);
    }
    const isIf = word === "if";
    findings.push({
      ruleId: "else-if",
      start: a.key.startOffset,
      end: tokenEnd(a.key),
      message: isIf
        ? `lighttpd ${version} has no 'if' keyword (it came in 1.4.74): it reads 'if' as a variable name, drops the condition and sets var.if instead; write the condition without 'if'`
        : `lighttpd ${version} does not know '${word}' (it came in 1.4.74): it reads it as the variable var.${word}, drops the condition and applies what follows to every request; write 'else $...'`,
      fix: isIf
        ? { description: "remove 'if'", edits: [{ range: [a.key.startOffset, next.startOffset], text: "" }] }
        : { description: `replace '${word}' with 'else'`, edits: [{ range: [a.key.startOffset, tokenEnd(a.key)], text: "else" }] },
    });
  };
  visit(parse.tree.body);

  for (const g of groups) {
    const first = g.tokens[0];
    if (g.tokens.every((t) => consumed.has(t))) continue;
    const type = first.tokenType;
    const start = first.startOffset;
    const end = tokenEnd(g.tokens[g.tokens.length - 1]);
    if (g.context === "statement" && type === T.Else) {
      const open = g.tokens.find((t) => t.tokenType === T.LCurly);
      if (open) markMatchingClose(open);
      findings.push({
        ruleId: "orphan-else",
        start,
        end: tokenEnd(first),
        message: "'else' without a condition block right before it: lighttpd ignores 'else' and applies this block's settings to every request",
      });
      continue;
    }
    if (g.context === "statement" && type === T.Plus) {
      const before = prevSignificant(first);
      const valueEnd = before?.tokenType === T.Eol ? prevSignificant(before) : undefined;
      const fix: Fix | undefined =
        valueEnd && VALUE_END_TOKENS.has(valueEnd.tokenType)
          ? { description: "join the continued line", edits: [{ range: [tokenEnd(valueEnd), first.startOffset], text: " " }] }
          : undefined;
      findings.push({
        ruleId: "dangling-plus",
        start,
        end,
        message: `'${shown(g.tokens, text)}' continues an expression on a new line: lighttpd ends the statement at the line break and silently drops this part; put the '+' at the end of the previous line or join the lines`,
        fix,
      });
      continue;
    }
    if (g.context === "after-element" && VALUE_TOKENS.has(type)) {
      const before = prevSignificant(first);
      findings.push({
        ruleId: "missing-comma",
        start,
        end,
        message: `missing ',' before '${shown(g.tokens, text)}': lighttpd silently drops this list element`,
        // With brackets among the dropped tokens a comma would change the list structure: no fix.
        fix:
          before && !g.tokens.some((t) => t.tokenType === T.LParen || t.tokenType === T.RParen)
            ? { description: "insert the missing comma", edits: [{ range: [tokenEnd(before), tokenEnd(before)], text: "," }] }
            : undefined,
      });
      continue;
    }
    if (g.context === "else" && oldElse && g.tokens.some((t) => t.tokenType === T.Dollar)) {
      const elseTok = prevSignificant(first, true);
      const ifTok = type === T.Key && first.image === "if" ? first : undefined;
      const dollar = g.tokens.find((t) => t.tokenType === T.Dollar)!;
      findings.push({
        ruleId: "else-if",
        start: elseTok?.startOffset ?? start,
        end,
        message: `lighttpd ${version} does not know 'else if' (it came in 1.4.74): it drops the condition and applies this block to every request not matched before; write 'else $...'`,
        fix: ifTok ? { description: "remove 'if'", edits: [{ range: [ifTok.startOffset, dollar.startOffset], text: "" }] } : undefined,
      });
      continue;
    }
    const remove: Fix = { description: "remove what lighttpd ignores", edits: [{ range: [start, end], text: "" }] };
    if (g.tokens.every((t) => t.tokenType === T.Comma)) {
      // A leading or doubled comma in a list changes nothing: removing it is safe.
      findings.push({ ruleId: "stray-token", start, end, message: "lighttpd ignores this ',' (a list element was expected): remove it", fix: remove });
      continue;
    }
    let message = `lighttpd silently ignores '${shown(g.tokens, text)}' here`;
    if (type === T.RCurly && g.context === "statement") message = "'}' without an open '{': lighttpd ignores it";
    else if (type === T.IntegerLit && g.context === "statement") {
      const next = significantTokens()[(sigIndex.get(g.tokens[g.tokens.length - 1]) ?? 0) + 1];
      if (next && next.tokenType === T.Key && next.startOffset === end)
        message = `a name cannot start with a digit: lighttpd drops '${first.image}' and reads the name as '${next.image}'`;
    } else if (g.context === "value" || g.context === "after-key") message = `lighttpd silently ignores '${shown(g.tokens, text)}' in this statement`;
    else if (g.context === "after-element" || g.context === "array") message = `lighttpd silently ignores '${shown(g.tokens, text)}' in this list`;
    findings.push({ ruleId: "stray-token", start, end, message, suggestions: [remove] });
  }

  // Commas outside parentheses are skipped by the tokenizer: harmless, so removing them is a safe fix.
  for (const t of ignoredCommas(parse)) {
    findings.push({
      ruleId: "stray-token",
      start: t.startOffset,
      end: tokenEnd(t),
      message: "a ',' outside parentheses is ignored by lighttpd (statements need no separator)",
      fix: { description: "remove the comma", edits: [{ range: [t.startOffset, tokenEnd(t)], text: "" }] },
    });
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** The position of `t` in `tokens` (source order), found by its offset; undefined when absent. */
function significantIndex(tokens: Token[], t: Token): number | undefined {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid].startOffset < t.startOffset) lo = mid + 1;
    else hi = mid;
  }
  // Zero-width tokens (inserted statement ends) share their offset with the next token.
  for (let i = lo; i < tokens.length && tokens[i].startOffset === t.startOffset; i++) if (tokens[i] === t) return i;
  return undefined;
}

/** A rule that reports the silent findings of one kind in every file read. */
export function silentRule(meta: RuleMeta & { id: SilentKind }): Rule {
  return {
    meta,
    check(context) {
      for (const file of context.config.files.values()) {
        // Past a syntax error lighttpd reads nothing, so what it would drop is a guess: report, but fix nothing.
        const sure = file.parse.problems.length === 0;
        for (const f of silentFindings(file.parse)) {
          if (f.ruleId !== meta.id) continue;
          context.report({ message: f.message, file: file.path, start: f.start, end: f.end, fix: sure ? f.fix : undefined, suggestions: sure ? f.suggestions : undefined });
        }
      }
    },
  };
}
