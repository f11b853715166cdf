/**
 * condition-nesting: blocks nested so deep that lighttpd's config parser runs out of stack.
 * configparser.y is a LEMON parser with the default YYSTACKDEPTH of 100 entries; a stack overflow
 * discards the rest of the file without an error, and configfile.c then aborts on
 * `assertion failed: !(0 == ret && context.ok && 0 != context.configs_stack.used)` (SIGABRT, also
 * under -t and -p). How deep is too deep depends on what is nested: 32 plain condition blocks, 16
 * blocks each opened by an `else $COND`, fewer with nested lists inside. So the rule replays the
 * parser's stack (one entry per grammar symbol, as the rules of configparser.y shift them) instead
 * of counting blocks. Every file has a parser of its own: includes do not add up.
 */
import { tokenEnd } from "../src/ast/nodes.js";
import type { ArrayNode, ConditionNode, ExpressionNode, Statement, Token, ValueNode } from "../src/ast/nodes.js";
import type { Rule } from "../src/engine/types.js";

/**
 * LEMON's YYSTACKDEPTH for configparser.y: the same in every release lighttpd-lint targets
 * (1.4.59 to 1.4.85 set no %stack_size, so lemon.c writes its default, 100).
 */
export const LEMON_STACK_DEPTH = 100;

type Span = { start: number; end: number } | Token;

function range(x: Span): { start: number; end: number } {
  return "startOffset" in x ? { start: x.startOffset, end: tokenEnd(x) } : { start: x.start, end: x.end };
}

interface Overflow {
  start: number;
  end: number;
  /** Condition/global blocks around the place where the stack overflows. */
  depth: number;
}

/**
 * Where the first stack overflow happens when lighttpd parses this file, or undefined. Entry 0 is
 * lemon's base, entry 1 the top-level `metalines`; an index reaching LEMON_STACK_DEPTH overflows.
 */
export function parserStackOverflow(body: Statement[], limit = LEMON_STACK_DEPTH): Overflow | undefined {
  let found: Overflow | undefined;
  let depth = 0;
  const at = (index: number, node: Span): boolean => {
    if (index < limit) return false;
    found ??= { ...range(node), depth };
    return true;
  };
  // value ::= STRING | INTEGER | key | array ; array ::= LPARAN aelements RPARAN
  const value = (e: number, v: ValueNode): boolean => {
    if (at(e, v)) return true;
    return v.kind === "array" ? array(e, v) : false;
  };
  const array = (e: number, a: ArrayNode): boolean => {
    // aelements sits at e+1; each later element follows a COMMA at e+2, from e+3.
    let i = 0;
    for (const el of a.elements) {
      const first = i++ === 0 ? e + 1 : e + 3;
      if (i > 1 && at(e + 2, el)) return true;
      if (el.key) {
        // aelement ::= stringop ARRAY_ASSIGN expression
        if (expression(first, el.key) || at(first + 1, el) || (el.value && expression(first + 2, el.value))) return true;
      } else if (el.value && expression(first, el.value)) return true;
    }
    // RPARAN (or a trailing COMMA) right after aelements / LPARAN.
    return at(a.elements.length ? e + 2 : e + 1, a);
  };
  // expression ::= expression PLUS value | value
  const expression = (e: number, x: ExpressionNode): boolean => {
    let i = 0;
    for (const v of x.operands) {
      if (i++ === 0 ? value(e, v) : at(e + 1, v) || value(e + 2, v)) return true;
    }
    return false;
  };
  // context ::= DOLLAR SRVVARNAME LBRACKET stringop RBRACKET cond expression
  const condition = (f: number, c: ConditionNode): boolean =>
    at(f, c) || at(f + 1, c) || at(f + 2, c) || (!!c.field && expression(f + 3, c.field)) || at(f + 4, c) || at(f + 5, c) || (!!c.value && expression(f + 6, c.value));
  // X LCURLY metalines ... RCURLY with X at `f`: the block's statements start at f+3.
  const block = (f: number, body: Statement[] | undefined, head: Span): boolean => {
    if (at(f + 1, head) || at(f + 2, head)) return true;
    depth++;
    const overflow = statements(f + 3, body ?? []) || at(f + 3, head);
    depth--;
    return overflow;
  };
  const statements = (f: number, list: Statement[]): boolean => {
    for (const s of list) {
      switch (s.kind) {
        case "assignment":
          // varline ::= key ASSIGN expression
          if (at(f, s.key) || (s.op && at(f + 1, s.op)) || (s.value && expression(f + 2, s.value))) return true;
          break;
        case "include":
          if (at(f, s.keyword) || (s.arg && expression(f + 1, s.arg))) return true;
          break;
        case "global":
          if (at(f, s.keyword) || (s.block && block(f, s.block.body, s.keyword))) return true;
          break;
        case "conditionChain": {
          let i = 0;
          for (const b of s.branches) {
            // The first branch starts the chain at f; each `else` follows condlines (f) eols (f+1) ELSE (f+2).
            const g = i++ === 0 ? f : f + 3;
            const head = b.condition ?? b.elseToken ?? b;
            if (i > 1 && (at(f + 1, head) || at(f + 2, head))) return true;
            if (b.condition ? condition(g, b.condition) : at(g, head)) return true;
            if (block(g, b.block?.body, head)) return true;
          }
          // metaline ::= condlines EOL
          if (at(f + 1, s.branches[s.branches.length - 1]?.block?.close ?? s)) return true;
          break;
        }
        case "stray":
          break;
      }
    }
    return false;
  };
  statements(2, body);
  return found;
}

/**
 * Each level of `{` adds at most 6 entries to the stack (an `else $COND` branch's block: the chain at
 * f, ELSE at f+2, the block's statements at f+6), each `(` at most 5 (an element's value after
 * `key =>`), and a statement's own parts and a condition's header at most 14 more. So a file whose
 * blocks and lists nest `depth` levels stays below 2 + 6·depth + 14 — most files need no walk.
 */
export function cannotOverflow(depth: number, limit = LEMON_STACK_DEPTH): boolean {
  return 2 + 6 * depth + 14 < limit;
}

const rule: Rule = {
  meta: {
    id: "condition-nesting",
    description: "Blocks nested so deep that lighttpd's config parser runs out of stack and lighttpd aborts",
    severity: "error",
    fixable: false,
    effect: "refused",
  },
  check(context) {
    for (const [file, source] of context.config.files) {
      // After a syntax error lighttpd stops parsing anyway, and the tree is a recovery guess.
      if (source.parse.problems.length > 0) continue;
      if (cannotOverflow(source.parse.nesting)) continue;
      const overflow = parserStackOverflow(source.parse.tree.body);
      if (!overflow) continue;
      context.report({
        message: `nested too deep for lighttpd's config parser (${overflow.depth} blocks around this point; its stack holds ${LEMON_STACK_DEPTH} entries, about 3 per condition block and 6 per "else $COND" block): lighttpd ignores the rest of the file and aborts ("assertion failed: ... configs_stack.used"). Flatten the conditions, e.g. join nested ones into one regex, or move a branch into an include file`,
        file,
        start: overflow.start,
        end: overflow.end,
      });
    }
  },
};

export default rule;
