import { silentRule } from "../src/engine/silent.js";

export default silentRule({
  id: "else-if",
  description: "'else if' / 'elseif' / 'elsif' / 'elif' / 'if' on lighttpd before 1.4.74: the condition is silently dropped",
  severity: "error",
  fixable: "fix",
  effect: "misread",
});
