/**
 * The JSON schema of `.lighttpd-lint.json`, built from the rule registry. The shipped copy
 * (schema/lighttpd-lint.schema.json, for editors via `"$schema"`) is this object, written by
 * `npm run schema`; a test keeps the two equal. Validation at run time uses this object with ajv.
 */
import { rules } from "../../rules/index.js";

export const SCHEMA_URL = "https://raw.githubusercontent.com/lighttpd-lint/lighttpd-lint/main/schema/lighttpd-lint.schema.json";

export function configSchema(): Record<string, unknown> {
  const severity = { enum: ["error", "warning", "warn", "info", "off"], description: '"warn" is the same as "warning"' };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: SCHEMA_URL,
    title: "lighttpd-lint configuration (.lighttpd-lint.json)",
    description: "Settings for lighttpd-lint; comments are allowed (JSONC). See docs/cli.md.",
    type: "object",
    additionalProperties: false,
    properties: {
      $schema: { type: "string" },
      lighttpdVersion: { type: "string", description: "Target lighttpd version, e.g. 1.4.69 (default: the installed lighttpd -v, else 1.4.69)" },
      socketDir: { type: "string", pattern: "^/", description: "Where backend sockets belong (default /run/lighttpd): socket-in-tmp's fix target" },
      checkFs: { type: "boolean", description: "Also check sockets, bin-path, docroot and certificates on this machine" },
      root: { type: "string", description: "With checkFs: a mounted image to check instead of /" },
      rules: {
        type: "object",
        description: "Severity per rule id: error, warning (or warn), info, off",
        additionalProperties: false,
        properties: Object.fromEntries(rules.map((r) => [r.meta.id, { $ref: "#/definitions/ruleSetting", description: `${r.meta.description} (default: ${r.meta.severity})` }])),
      },
    },
    definitions: {
      severity,
      ruleSetting: {
        // No rule takes options: `[severity]` and `[severity, {}]` are accepted for ESLint habits.
        oneOf: [{ $ref: "#/definitions/severity" }, { type: "array", minItems: 1, maxItems: 2, items: [{ $ref: "#/definitions/severity" }, { type: "object", maxProperties: 0 }] }],
      },
    },
  };
}
