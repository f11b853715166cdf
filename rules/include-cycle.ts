import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "include-cycle",
  description: "A file includes itself, directly or through other files: lighttpd recurses until it fails",
  severity: "error",
  fixable: false,
  effect: "refused",
});
