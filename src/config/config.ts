/**
 * Project configuration: `.lighttpd-lint.json`, found upward from the linted file (or given with
 * --config). Same keys as the CLI options.
 *
 *   { "lighttpdVersion": "1.4.69", "socketDir": "/run/lighttpd",
 *     "rules": { "debug-enabled": "off", "socket-in-tmp": "warn" } }
 * Comments and trailing commas are allowed (JSONC); the schema is src/engine/config-schema.ts.
 * Reading and checking the file itself is config-file.ts: it loads ajv and jsonc-parser, which a
 * run without a config file (most editor and pre-commit runs) need not load at start-up.
 */
import fs from "node:fs";
import path from "node:path";
import type { RuleConfig, RuleSetting } from "../engine/types.js";
import { rules } from "../../rules/index.js";
import { didYouMean } from "../util/suggest.js";
import { ConfigError } from "./errors.js";

export const CONFIG_FILE_NAME = ".lighttpd-lint.json";

export type { ProjectConfig, RuleConfig } from "../engine/types.js";

const SEVERITIES = new Set(["error", "warning", "warn", "info", "off"]);

export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A rule's setting: "error" | "warning" | "warn" | "info" | "off", or [severity] / [severity, {}]. */
export function parseRuleSetting(value: unknown, where: string): RuleConfig {
  const sev = (v: unknown): RuleSetting | undefined => (typeof v === "string" && SEVERITIES.has(v) ? (v === "warn" ? "warning" : (v as RuleSetting)) : undefined);
  if (typeof value === "string") {
    const s = sev(value);
    if (!s)
      throw new ConfigError(`${where}: severity must be one of error, warning, info, off (got ${JSON.stringify(value)}${didYouMean(value, ["error", "warning", "info", "off"])})`);
    return { severity: s };
  }
  if (Array.isArray(value) && value.length >= 1 && value.length <= 2 && sev(value[0])) {
    const options = value[1];
    if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options)))
      throw new ConfigError(`${where}: expected [severity] or [severity, {}]`);
    if (options && Object.keys(options).length)
      throw new ConfigError(
        `${where}: this rule takes no options (got ${Object.keys(options)
          .map((k) => JSON.stringify(k))
          .join(", ")})`,
      );
    return { severity: sev(value[0]) };
  }
  throw new ConfigError(`${where}: expected a severity ("error", "warning", "info", "off") or [severity]`);
}

/** Known rule ids; an unknown one is an error naming the closest id. */
export function checkRuleIds(ids: Iterable<string>, where: string): void {
  const known = rules.map((r) => r.meta.id);
  for (const id of ids) if (!known.includes(id)) throw new ConfigError(`${where}: unknown rule ${JSON.stringify(id)}${didYouMean(id, known)} (see 'lighttpd-lint rules')`);
}
