/**
 * value-too-large: a value that grows past MAX_VALUE_WEIGHT (16 Mi characters and elements), almost
 * always by doubling (`var.a += var.a` 28 times is 2^28 copies). lighttpd would build it at startup
 * and run out of memory; lighttpd-lint stops evaluating it (src/eval/evaluate.ts: sizeOk) so a hostile
 * config cannot exhaust the linter's memory and hide every other finding.
 */
import { stageRule } from "../src/engine/stage-rule.js";

export default stageRule({
  id: "value-too-large",
  description: "A value grows past 16 Mi characters and elements (e.g. a variable doubled again and again)",
  severity: "error",
  fixable: false,
  effect: "risk",
});
