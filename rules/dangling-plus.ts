import { silentRule } from "../src/engine/silent.js";

export default silentRule({
  id: "dangling-plus",
  description: "An expression continued with '+' on the next line: lighttpd drops the continuation",
  severity: "error",
  fixable: "fix",
  effect: "misread",
});
