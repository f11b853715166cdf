import { silentRule } from "../src/engine/silent.js";

export default silentRule({
  id: "missing-comma",
  description: "List elements without a comma between them: lighttpd silently drops the second",
  severity: "error",
  fixable: "fix",
  effect: "misread",
});
