import { parseProblemRule } from "../src/engine/parse-rule.js";

/** `"max-procs" -> 1`: a classic typo that makes lighttpd refuse the whole file. */
export default parseProblemRule({
  id: "arrow-typo",
  description: "'->' where '=>' belongs in a list: lighttpd refuses the file",
  severity: "error",
  fixable: "fix",
  effect: "refused",
});
