import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "include-shell-skipped",
  description: "An include_shell command was not run, so what it defines is unknown",
  severity: "info",
  fixable: false,
  effect: "risk",
});
