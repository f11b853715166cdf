import { stageRule } from "../src/engine/stage-rule.js";

export default stageRule({ id: "invalid-utf8", description: "A file that is not valid UTF-8 (linted byte for byte)", severity: "info", fixable: false, effect: "risk" });
