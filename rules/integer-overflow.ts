import { stageRule } from "../src/engine/stage-rule.js";

/** Reported by the evaluator (src/eval/evaluate.ts). */
export default stageRule({ id: "integer-overflow", description: "A number too large for lighttpd: refused past 2^63-1, silently wrapped past 2147483647", severity: "error", fixable: false });
