/**
 * The lossless syntax tree. Every node lists its children (nodes and tokens, trivia included) in
 * source order, so printing the children of the root reproduces the input exactly.
 * Offsets are UTF-16 offsets into the decoded text; `end` is exclusive.
 */
import type { Token } from "../../grammar/tokens.js";

export type { Token };
export type Child = Node | Token;

interface NodeBase {
  start: number;
  end: number;
  children: Child[];
}

export interface ConfigNode extends NodeBase {
  kind: "config";
  body: Statement[];
}

export type Statement = AssignmentNode | ConditionChainNode | IncludeNode | GlobalNode | StrayNode;

export interface AssignmentNode extends NodeBase {
  kind: "assignment";
  key: Token;
  /** `=`, `+=` or `:=`; missing only when the file ended first. */
  op?: Token;
  value?: ExpressionNode;
}

/** Values joined by `+`. */
export interface ExpressionNode extends NodeBase {
  kind: "expression";
  operands: ValueNode[];
}

export type ValueNode = StringNode | IntegerNode | RefNode | ArrayNode;

export interface StringNode extends NodeBase {
  kind: "string";
  token: Token;
  /** The value lighttpd sees: `\"` becomes `"`, nothing else is unescaped. */
  value: string;
}

export interface IntegerNode extends NodeBase {
  kind: "integer";
  token: Token;
}

/** A bare name in a value: a reference to an earlier key (`var.x`, `server.port`, `env.HOME`). */
export interface RefNode extends NodeBase {
  kind: "ref";
  token: Token;
}

export interface ArrayNode extends NodeBase {
  kind: "array";
  open: Token;
  close?: Token;
  elements: ArrayElementNode[];
}

export interface ArrayElementNode extends NodeBase {
  kind: "element";
  key?: ExpressionNode;
  arrow?: Token;
  value?: ExpressionNode;
}

export interface ConditionChainNode extends NodeBase {
  kind: "conditionChain";
  branches: BranchNode[];
}

export interface BranchNode extends NodeBase {
  kind: "branch";
  /** Absent on the first branch. */
  elseToken?: Token;
  /** Absent on a catch-all `else`. */
  condition?: ConditionNode;
  block?: BlockNode;
}

export interface ConditionNode extends NodeBase {
  kind: "condition";
  dollar: Token;
  object?: Token;
  field?: ExpressionNode;
  op?: Token;
  value?: ExpressionNode;
}

export interface BlockNode extends NodeBase {
  kind: "block";
  open: Token;
  body: Statement[];
  close?: Token;
}

export interface IncludeNode extends NodeBase {
  kind: "include";
  keyword: Token;
  shell: boolean;
  arg?: ExpressionNode;
}

export interface GlobalNode extends NodeBase {
  kind: "global";
  keyword: Token;
  block?: BlockNode;
}

/** A token lighttpd's parser silently discards (LEMON error recovery without an error symbol). */
export interface StrayNode extends NodeBase {
  kind: "stray";
  token: Token;
}

export type Node =
  | ConfigNode
  | AssignmentNode
  | ExpressionNode
  | StringNode
  | IntegerNode
  | RefNode
  | ArrayNode
  | ArrayElementNode
  | ConditionChainNode
  | BranchNode
  | ConditionNode
  | BlockNode
  | IncludeNode
  | GlobalNode
  | StrayNode;

export function isToken(c: Child): c is Token {
  return (c as Token).tokenType !== undefined;
}

/** The exclusive end offset of a token. */
export function tokenEnd(t: Token): number {
  return t.endOffset + 1;
}
