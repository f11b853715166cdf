import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "unreachable-else",
  description: "An else branch that can never match (after a catch-all else, or repeating an earlier condition): lighttpd refuses the config",
  severity: "error",
  fixable: false,
  effect: "refused",
});
