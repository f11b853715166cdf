/** The evaluator states no severity (issue 11): a finding's is its rule's, or its own override. */
import type { EvalFinding } from "../../src/eval/model.js";
import { rules } from "../../rules/index.js";

export function severityOf(d: EvalFinding): string {
  return d.severity ?? rules.find((r) => r.meta.id === d.ruleId)?.meta.severity ?? "error";
}
