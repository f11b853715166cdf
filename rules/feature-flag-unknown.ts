/**
 * feature-flag-unknown: a key of server.feature-flags that no lighttpd release reads. lighttpd
 * stores the list as given (configfile.c, case 32: srv->srvconf.feature_flags = cpv->v.a) and
 * looks single flags up by name when it needs them (config_feature_bool / config_feature_int in
 * configfile-glue.c, array_get_element_klen: case-insensitive). A name nothing looks up is never
 * reported: lighttpd starts and the flag has no effect.
 *
 * The known names are FEATURE_FLAGS (src/schema/keys.ts): the union of the flags read by 1.4.59
 * through 1.4.85, so a flag of another supported release is never called unknown.
 */
import type { Rule } from "../src/engine/types.js";
import { settingsNamed } from "../src/engine/config-query.js";
import { featureFlags, lookupFeatureFlag } from "../src/schema/index.js";
import { closest } from "../src/util/suggest.js";

const rule: Rule = {
  meta: {
    id: "feature-flag-unknown",
    description: "A server.feature-flags key lighttpd does not know: the flag has no effect",
    severity: "warning",
    fixable: "suggestion",
    effect: "ignored",
  },
  check(context) {
    const { config } = context;
    const known = featureFlags().map((f) => f.key);
    for (const { setting } of settingsNamed(config, "server.feature-flags")) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        if (item.key === undefined || !item.keyOrigin || lookupFeatureFlag(item.key)) continue;
        const near = closest(item.key, known);
        const where = item.keyOrigin;
        const text = config.files.get(where.file)?.text;
        const literal = text?.slice(where.start, where.end) === `"${item.key}"`;
        context.report({
          message: `"${item.key}" is not a feature flag lighttpd knows: it is accepted silently and has no effect${near ? `; did you mean "${near}"?` : ""}`,
          file: where.file,
          start: where.start,
          end: where.end,
          suggestions: near && literal ? [{ description: `rename to "${near}"`, edits: [{ range: [where.start + 1, where.end - 1], text: near }] }] : undefined,
        });
      }
    }
  },
};

export default rule;
