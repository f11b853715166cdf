import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "type-mismatch",
  description: "Values of types that '+' or '+=' cannot combine (e.g. a list and a string): lighttpd refuses the config",
  severity: "error",
  fixable: false,
  effect: "refused",
});
