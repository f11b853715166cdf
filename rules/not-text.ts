import { stageRule } from "../src/engine/stage-rule.js";

export default stageRule({ id: "not-text", description: "Binary data where a config file was expected", severity: "error", fixable: false, effect: "refused" });
