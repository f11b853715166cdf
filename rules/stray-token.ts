import { silentRule } from "../src/engine/silent.js";

export default silentRule({
  id: "stray-token",
  description: "Text lighttpd silently discards (a stray '}', a ',' outside parentheses, the 9 of '9abc', the 2 of 'x = 1 2')",
  severity: "error",
  fixable: "fix",
  effect: "misread",
});
