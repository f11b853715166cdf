import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({
  id: "env-assign",
  description: "Assigning to env.*: lighttpd refuses the config, env.* names only read the environment",
  severity: "error",
  fixable: false,
  effect: "refused",
});
