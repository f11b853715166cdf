import { silentRule } from "../src/engine/silent.js";

export default silentRule({
  id: "orphan-else",
  description: "An 'else' block with no condition before it: lighttpd applies its body to every request",
  severity: "error",
  fixable: false,
  effect: "misread",
});
