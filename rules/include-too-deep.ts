/**
 * include-too-deep: includes nested more than MAX_INCLUDE_DEPTH (100) files deep. lighttpd has no
 * such limit, but no real config comes near it; 1000 files each including the next is how a hostile
 * repository would overflow the linter's stack and hide every other finding. lighttpd-lint stops
 * following includes there and says so (src/eval/evaluate.ts).
 */
import { stageRule } from "../src/engine/stage-rule.js";

export default stageRule({
  id: "include-too-deep",
  description: "Includes nest more than 100 files deep: lighttpd-lint does not follow them further",
  severity: "error",
  fixable: false,
  effect: "risk",
});
