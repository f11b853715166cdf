/**
 * Settings: `.lighttpd-lint.json` (found upward from the main config, as the CLI does), overridden
 * by the client's `lighttpd-lint` section (the same keys, like command-line flags override the file).
 */
import path from "node:path";
import { ConfigError, findConfigFile, loadConfigFile, parseRuleSetting, type ProjectConfig, type RuleConfig } from "../engine/config.js";
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
  if (typeof obj.debounceMs === "number" && obj.debounceMs >= 0) settings.debounceMs = obj.debounceMs;
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
      project = loadConfigFile(file);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(e.message);
    }
  }
  const rules: Record<string, RuleConfig> = { ...project.rules };
  for (const [id, value] of Object.entries(client.rules ?? {})) {
    try {
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
