/**
 * Project configuration: `.lighttpd-lint.json`, found upward from the linted file (or given with
 * --config). Same keys as the CLI options.
 *
 *   { "lighttpdVersion": "1.4.69", "socketDir": "/run/lighttpd",
 *     "rules": { "debug-enabled": "off", "socket-in-tmp": "warn" } }
 * Comments and trailing commas are allowed (JSONC); the schema is src/engine/config-schema.ts.
 */
import { readBounded } from "../util/read-file.js";
import fs from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import type { ProjectConfig, RuleConfig, RuleSetting } from "../engine/types.js";
import { rules } from "../../rules/index.js";
import { didYouMean } from "../util/suggest.js";
import { configSchema } from "./schema.js";
import { resolveLighttpdVersion } from "../util/version.js";
import { ConfigError } from "./errors.js";

export const CONFIG_FILE_NAME = ".lighttpd-lint.json";

export type { ProjectConfig, RuleConfig } from "../engine/types.js";

export { ConfigError };

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

let validator: ValidateFunction | undefined;

/** The schema's verdict on a parsed config, as one readable message, or undefined when valid. */
export function schemaProblem(value: unknown): string | undefined {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(configSchema());
  if (validator(value)) return undefined;
  const e = validator.errors?.[0];
  if (!e) return "invalid configuration";
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "the configuration";
  if (e.keyword === "additionalProperties") {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(configSchema().properties as Record<string, unknown>).filter((k) => k !== "$schema");
    return `unknown setting ${JSON.stringify(extra)}${didYouMean(extra, known)} (known: ${known.join(", ")})`;
  }
  return `${at}: ${e.message}`;
}

/** A .lighttpd-lint.json: JSON with comments and trailing commas (JSONC), checked against the schema. */
export function loadConfigFile(file: string): ProjectConfig {
  let text: string;
  try {
    text = readBounded(file, 1 << 20).toString("utf8");
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, file: string): ProjectConfig {
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const at = positionOf(text, errors[0].offset);
    throw new ConfigError(`${file}:${at.line}:${at.column}: invalid JSON: ${printParseErrorCode(errors[0].error)}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: expected a JSON object`);
  const obj = raw as Record<string, unknown>;
  // Rule ids and settings first: their messages (did you mean, no options) say more than the schema's.
  const rules: Record<string, RuleConfig> = {};
  if (typeof obj.rules === "object" && obj.rules !== null && !Array.isArray(obj.rules)) {
    checkRuleIds(Object.keys(obj.rules), `${file}: rules`);
    for (const [id, v] of Object.entries(obj.rules)) rules[id] = parseRuleSetting(v, `${file}: rules.${id}`);
  }
  const problem = schemaProblem(obj);
  if (problem) throw new ConfigError(`${file}: ${problem}`);
  const str = (k: string) => obj[k] as string | undefined;
  const lighttpdVersion = str("lighttpdVersion");
  if (lighttpdVersion !== undefined) {
    const r = resolveLighttpdVersion(lighttpdVersion);
    if ("error" in r) throw new ConfigError(`${file}: "lighttpdVersion": ${r.error}`);
  }
  return { lighttpdVersion, socketDir: str("socketDir"), root: str("root"), checkFs: obj.checkFs as boolean | undefined, rules };
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
