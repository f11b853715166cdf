import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({ id: "invalid-condition", description: "A condition lighttpd refuses: unknown $OBJECT[\"field\"], a non-string value, a bad address, or a condition inside global { }", severity: "error", fixable: false, effect: "refused" });
