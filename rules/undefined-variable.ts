import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "undefined-variable",
  description: "A variable or environment variable that is not set at that point: lighttpd refuses the config",
  severity: "error",
  fixable: false,
  effect: "refused",
});
