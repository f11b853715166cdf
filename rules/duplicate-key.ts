import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "duplicate-key",
  description: "A key is set twice with '=' in the same block: lighttpd refuses the config",
  severity: "error",
  fixable: "suggestion",
  effect: "refused",
});
