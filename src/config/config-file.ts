/**
 * Reading a .lighttpd-lint.json: JSON with comments and trailing commas (JSONC), checked against the
 * schema (src/config/schema.ts) with ajv. Kept apart from config.ts so that only a run that finds a
 * config file loads ajv and jsonc-parser (a third of the start-up code otherwise).
 */
import { readBounded } from "../util/read-file.js";
import { Ajv, type ValidateFunction } from "ajv";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import type { ProjectConfig, RuleConfig } from "../engine/types.js";
import { didYouMean } from "../util/suggest.js";
import { resolveLighttpdVersion } from "../util/version.js";
import { checkRuleIds, parseRuleSetting } from "./config.js";
import { ConfigError } from "./errors.js";
import { configSchema } from "./schema.js";

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
