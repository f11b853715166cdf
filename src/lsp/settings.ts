/**
 * Settings: `.lighttpd-lint.json` (found upward from the main config, as the CLI does), overridden
 * by the client's `lighttpd-lint` section (the same keys, like command-line flags override the file).
 */
import { dropUntrustedSettings } from "../engine/config-trust.js";
import path from "node:path";
import { checkRuleIds, findConfigFile, parseRuleSetting, type ProjectConfig, type RuleConfig } from "../config/config.js";
import { loadConfigFile } from "../config/config-file.js";
import { ConfigError } from "../config/errors.js";
import { resolveLighttpdVersion } from "../util/version.js";

/** The client's `lighttpd-lint` configuration section. */
export interface ClientSettings {
  lighttpdVersion?: string;
  socketDir?: string;
  /** The main config; relative paths are resolved against the workspace folder. */
  mainConfig?: string;
  rules?: Record<string, unknown>;
  checkFs?: boolean;
  /** Delay between the last keystroke and the lint, in ms (default 150). */
  debounceMs?: number;
  /** textDocument/formatting: the options of `lighttpd-lint fmt`. */
  format?: FormatSettings;
}

export interface FormatSettings {
  indent?: number;
  maxBlankLines?: number;
  printWidth?: number;
  alignArrows?: boolean;
}

function readFormatSettings(raw: unknown, problems: string[]): FormatSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problems.push("lighttpd-lint.format must be an object");
    return undefined;
  }
  const obj = raw as Record<string, unknown>;
  const out: FormatSettings = {};
  for (const k of ["indent", "maxBlankLines", "printWidth"] as const) {
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 1000) out[k] = v;
    else problems.push(`lighttpd-lint.format.${k} must be a whole number from 0 to 1000 (got ${JSON.stringify(v)})`);
  }
  if (obj.alignArrows !== undefined && obj.alignArrows !== null) {
    if (typeof obj.alignArrows === "boolean") out.alignArrows = obj.alignArrows;
    else problems.push(`lighttpd-lint.format.alignArrows must be true or false (got ${JSON.stringify(obj.alignArrows)})`);
  }
  for (const k of Object.keys(obj))
    if (!["indent", "maxBlankLines", "printWidth", "alignArrows"].includes(k))
      problems.push(`lighttpd-lint.format.${k} is not a setting (known: indent, maxBlankLines, printWidth, alignArrows)`);
  return out;
}

export function readClientSettings(raw: unknown): { settings: ClientSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: ClientSettings = {};
  if (typeof raw !== "object" || raw === null) return { settings, problems };
  const obj = raw as Record<string, unknown>;
  const str = (k: "lighttpdVersion" | "socketDir" | "mainConfig"): void => {
    const v = obj[k];
    if (v === undefined || v === null || v === "") return;
    if (typeof v === "string") settings[k] = v;
    else problems.push(`lighttpd-lint.${k} must be a string`);
  };
  str("lighttpdVersion");
  if (settings.lighttpdVersion !== undefined) {
    const r = resolveLighttpdVersion(settings.lighttpdVersion);
    if ("error" in r) {
      problems.push(`lighttpd-lint.lighttpdVersion: ${r.error}`);
      delete settings.lighttpdVersion;
    }
  }
  str("socketDir");
  str("mainConfig");
  if (typeof obj.checkFs === "boolean") settings.checkFs = obj.checkFs;
  else if (obj.checkFs !== undefined && obj.checkFs !== null) problems.push(`lighttpd-lint.checkFs must be true or false (got ${JSON.stringify(obj.checkFs)})`);
  if (typeof obj.debounceMs === "number" && obj.debounceMs >= 0) settings.debounceMs = obj.debounceMs;
  else if (obj.debounceMs !== undefined && obj.debounceMs !== null)
    problems.push(`lighttpd-lint.debounceMs must be a number of milliseconds (got ${JSON.stringify(obj.debounceMs)})`);
  const format = readFormatSettings(obj.format, problems);
  if (format) settings.format = format;
  if (obj.rules !== undefined && obj.rules !== null) {
    if (typeof obj.rules === "object" && !Array.isArray(obj.rules)) settings.rules = obj.rules as Record<string, unknown>;
    else problems.push("lighttpd-lint.rules must be an object");
  }
  return { settings, problems };
}

/** The project config for a main config file, with the client's settings on top. */
export function projectFor(mainPath: string, client: ClientSettings): { project: ProjectConfig; problems: string[] } {
  const problems: string[] = [];
  let project: ProjectConfig = { rules: {} };
  const file = findConfigFile(path.dirname(mainPath));
  if (file) {
    try {
      const trusted = dropUntrustedSettings(loadConfigFile(file), file);
      project = trusted.project;
      problems.push(...trusted.warnings);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(e.message);
    }
  }
  const rules: Record<string, RuleConfig> = { ...project.rules };
  for (const [id, value] of Object.entries(client.rules ?? {})) {
    try {
      checkRuleIds([id], "lighttpd-lint.rules");
      rules[id] = parseRuleSetting(value, `lighttpd-lint.rules.${id}`);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(e.message);
    }
  }
  return {
    project: {
      ...project,
      lighttpdVersion: client.lighttpdVersion ?? project.lighttpdVersion,
      socketDir: client.socketDir ?? project.socketDir,
      checkFs: client.checkFs ?? project.checkFs,
      rules,
    },
    problems,
  };
}
