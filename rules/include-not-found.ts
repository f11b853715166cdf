import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "include-not-found",
  description: "An include names a file that does not exist (or an include_shell command fails): lighttpd refuses to start",
  severity: "error",
  fixable: false,
  effect: "refused",
});
