import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "duplicate-array-key",
  description: "A list has the same key twice (keys ignore letter case): lighttpd refuses the config",
  severity: "error",
  fixable: false,
  effect: "refused",
});
