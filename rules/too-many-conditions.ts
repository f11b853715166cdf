import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "too-many-conditions",
  description: "More than 4095 distinct condition blocks: lighttpd 1.4 aborts at startup",
  severity: "error",
  fixable: false,
  effect: "refused",
});
