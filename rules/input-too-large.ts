import { stageRule } from "../src/engine/stage-rule.js";

export default stageRule({ id: "input-too-large", description: "A config file of 32 MiB or more: lighttpd refuses it", severity: "error", fixable: false, effect: "refused" });
