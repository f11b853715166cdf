import { parseProblemRule } from "../src/engine/parse-rule.js";

/** Everything lighttpd refuses to parse. Reported from the parse stage of every file read. */
export default parseProblemRule({ id: "syntax-error", description: "Text lighttpd cannot parse: it refuses to start", severity: "error", fixable: "fix", effect: "refused" });
