import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "integer-overflow",
  description: "A number too large for lighttpd's parser (past 2^63-1): lighttpd refuses the config",
  severity: "error",
  fixable: false,
  effect: "refused",
});
