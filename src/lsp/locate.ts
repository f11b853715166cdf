/** Finding what is under the cursor in the lossless tree. */
import { isToken, tokenEnd, type ConfigNode, type Node, type Statement, type Token } from "../ast/nodes.js";
import type { ArrayElementNode, ArrayNode, ExpressionNode, StringNode } from "../ast/nodes.js";

export interface Located {
  /** Nodes from the root down to the innermost node containing the offset. */
  path: Node[];
  /** The token at the offset (a token ending exactly at the offset counts, for a cursor after a word). */
  token?: Token;
}

/** The node path and token at an offset. Prefers a significant token over trivia. */
export function locate(root: ConfigNode, offset: number): Located {
  const path: Node[] = [root];
  let node: Node = root;
  let token: Token | undefined;
  for (;;) {
    let next: Node | undefined;
    for (const c of node.children) {
      if (isToken(c)) {
        if (c.tokenType.trivia) continue;
        if (c.startOffset <= offset && offset <= tokenEnd(c)) {
          // Between two tokens (`a|=`), the one starting here wins over the one ending here.
          if (!token || c.startOffset === offset) token = c;
        }
      } else if (c.start <= offset && offset <= c.end && c.end > c.start) {
        next = c;
        if (c.start < offset && offset < c.end) break;
      }
    }
    if (!next) break;
    path.push(next);
    node = next;
    token = undefined;
  }
  return { path, token };
}

export function innermost<K extends Node["kind"]>(path: Node[], kind: K): Extract<Node, { kind: K }> | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (path[i].kind === kind) return path[i] as Extract<Node, { kind: K }>;
  return undefined;
}

export function tokenName(t: Token | undefined): string | undefined {
  return t?.tokenType.name;
}

/** The literal string of an expression made of one string (else undefined). */
export function expressionString(e: ExpressionNode | undefined): string | undefined {
  if (!e || e.operands.length !== 1 || e.operands[0].kind !== "string") return undefined;
  return (e.operands[0] as StringNode).value;
}

/** Calls `visit` for every statement, depth first, with the enclosing statements. */
export function walkStatements(body: Statement[], visit: (s: Statement, parents: Statement[]) => void, parents: Statement[] = []): void {
  for (const s of body) {
    visit(s, parents);
    if (s.kind === "conditionChain") {
      for (const b of s.branches) if (b.block) walkStatements(b.block.body, visit, [...parents, s]);
    } else if (s.kind === "global" && s.block) walkStatements(s.block.body, visit, [...parents, s]);
  }
}

/** Every node of a subtree, depth first. */
export function walkNodes(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const c of node.children) if (!isToken(c)) walkNodes(c, visit);
}

export function arrayOf(e: ExpressionNode | undefined): ArrayNode | undefined {
  if (!e || e.operands.length !== 1 || e.operands[0].kind !== "array") return undefined;
  return e.operands[0];
}

export function elementsOf(e: ExpressionNode | undefined): ArrayElementNode[] {
  return arrayOf(e)?.elements ?? [];
}
