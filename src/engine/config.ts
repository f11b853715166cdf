/**
 * Project configuration: `.lighttpd-lint.json`, found upward from the linted file (or given with
 * --config). Same keys as the CLI options.
 *
 *   { "lighttpdVersion": "1.4.69", "socketDir": "/run/lighttpd",
 *     "rules": { "debug-enabled": "off", "socket-in-tmp": ["warning", { ... }] } }
 */
import fs from "node:fs";
import path from "node:path";
import type { Severity } from "../ast/diagnostics.js";

export const CONFIG_FILE_NAME = ".lighttpd-lint.json";

export type RuleSetting = Severity | "off";

export interface RuleConfig {
  severity?: RuleSetting;
}

export interface ProjectConfig {
  lighttpdVersion?: string;
  socketDir?: string;
  checkFs?: boolean;
  root?: string;
  rules: Record<string, RuleConfig>;
}

export class ConfigError extends Error {}

const SEVERITIES = new Set(["error", "warning", "info", "off"]);

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

export function parseRuleSetting(value: unknown, where: string): RuleConfig {
  if (typeof value === "string") {
    if (!SEVERITIES.has(value)) throw new ConfigError(`${where}: severity must be one of error, warning, info, off (got ${JSON.stringify(value)})`);
    return { severity: value as RuleSetting };
  }
  if (Array.isArray(value) && typeof value[0] === "string" && SEVERITIES.has(value[0]) && (value[1] === undefined || (typeof value[1] === "object" && value[1] !== null))) {
    // The [severity, { options }] form is accepted (ESLint's shape); no rule takes options yet.
    return { severity: value[0] as RuleSetting };
  }
  throw new ConfigError(`${where}: expected a severity ("error", "warning", "info", "off") or [severity, { options }]`);
}

export function loadConfigFile(file: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: expected a JSON object`);
  const obj = raw as Record<string, unknown>;
  const known = new Set(["lighttpdVersion", "socketDir", "checkFs", "root", "rules", "$schema"]);
  for (const k of Object.keys(obj)) if (!known.has(k)) throw new ConfigError(`${file}: unknown setting "${k}" (known: ${[...known].filter((x) => x !== "$schema").join(", ")})`);
  const str = (k: string): string | undefined => {
    if (obj[k] === undefined) return undefined;
    if (typeof obj[k] !== "string") throw new ConfigError(`${file}: "${k}" must be a string`);
    return obj[k] as string;
  };
  const rules: Record<string, RuleConfig> = {};
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== "object" || obj.rules === null || Array.isArray(obj.rules)) throw new ConfigError(`${file}: "rules" must be an object`);
    for (const [id, v] of Object.entries(obj.rules)) rules[id] = parseRuleSetting(v, `${file}: rules.${id}`);
  }
  if (obj.checkFs !== undefined && typeof obj.checkFs !== "boolean") throw new ConfigError(`${file}: "checkFs" must be true or false`);
  return { lighttpdVersion: str("lighttpdVersion"), socketDir: str("socketDir"), root: str("root"), checkFs: obj.checkFs as boolean | undefined, rules };
}
