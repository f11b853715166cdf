import path from "node:path";
import type { Rule } from "../src/engine/types.js";

/**
 * Which files outside the main config's directory an include read: worth knowing when linting a
 * config from a pull request or an unfamiliar server (`include "/etc/..."`, `../../x.conf`).
 */
const rule: Rule = {
  meta: { id: "include-outside-config-dir", description: "An include that reads a file outside the main config's directory", severity: "info", fixable: false, effect: "risk" },
  check(context) {
    const { config } = context;
    const base = path.dirname(path.resolve(config.main));
    for (const file of config.files.values()) {
      if (file.includeChain.length === 0 || file.path.startsWith("include_shell:")) continue;
      const abs = path.resolve(file.path);
      const rel = path.relative(base, abs);
      if (!rel.startsWith("..") && !path.isAbsolute(rel)) continue;
      const at = file.includeChain[file.includeChain.length - 1];
      context.report({
        message: `this include reads ${abs}, outside the config's directory ${base}`,
        file: at.file,
        start: at.start,
        end: at.end,
      });
    }
  },
};
export default rule;
