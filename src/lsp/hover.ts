/**
 * Hover: what a key is (from the schema), what a variable holds (from the evaluator), what a module
 * in server.modules provides, what a backend host-entry key means.
 */
import { tokenEnd, type Token } from "../ast/nodes.js";
import type { EvaluatedConfig } from "../eval/model.js";
import { effectiveModules } from "../schema/effective-modules.js";
import { BACKEND_SERVER_KEYS, availability, lookupBackendHostKey, lookupFeatureFlag, lookupKey, modulesOfKey, moduleInfo, typeAt, type KeyInfo } from "../schema/index.js";
import { contextAt, formatValue, lookupSetting } from "./analysis.js";
import { innermost, locate, tokenName } from "./locate.js";
import { lossless, type ParseResult } from "../parse/parse.js";

export const LIGHTTPD_DOCS = "https://redmine.lighttpd.net/projects/lighttpd/wiki/Docs_ConfigurationOptions";

export interface HoverAnswer {
  markdown: string;
  start: number;
  end: number;
}

export interface HoverInput {
  config: EvaluatedConfig;
  version: string;
  file: string;
  parse: ParseResult;
  offset: number;
}

export function hoverAt(input: HoverInput): HoverAnswer | undefined {
  const { path: nodes, token } = locate(lossless(input.parse), input.offset);
  if (!token) return undefined;
  const at = (markdown: string | undefined): HoverAnswer | undefined => (markdown ? { markdown, start: token.startOffset, end: tokenEnd(token) } : undefined);
  const name = tokenName(token);
  const assignment = innermost(nodes, "assignment");
  if (name === "Key") {
    const inRef = nodes[nodes.length - 1]?.kind === "ref";
    if (inRef) return at(variableHover(input, token.image));
    if (assignment && assignment.key === token) {
      if (/^(var|env)\./i.test(token.image)) return at(variableHover(input, token.image));
      return at(keyHover(input, token.image));
    }
    return undefined;
  }
  if (name === "StringLit" && assignment) {
    const key = assignment.key.image.toLowerCase();
    const value = unquote(token);
    const elements = nodes.filter((n) => n.kind === "element");
    const element = elements[elements.length - 1];
    const isElementKey = element?.kind === "element" && element.key !== undefined && element.arrow !== undefined && token.startOffset < element.arrow.startOffset;
    if (key === "server.modules") return at(moduleHover(input, value));
    if (BACKEND_SERVER_KEYS.includes(key) && elements.length === 3 && isElementKey) return at(hostKeyHover(value));
    if (key === "server.feature-flags" && elements.length === 1 && isElementKey) {
      const flag = lookupFeatureFlag(value);
      if (flag) return at(`**${flag.key}** (feature flag, ${flag.type}${flag.default ? `, default \`${flag.default}\`` : ""})\n\n${flag.description}`);
    }
  }
  return undefined;
}

function unquote(t: Token): string {
  const s = t.image;
  return (s.endsWith('"') && s.length > 1 ? s.slice(1, -1) : s.slice(1)).replace(/\\"/g, '"');
}

function keyHover(input: HoverInput, key: string): string | undefined {
  const info = lookupKey(key);
  if (!info) return `**${key}**\n\nlighttpd ${input.version} does not know this key: it logs "unknown config-key: ${key} (ignored)" and ignores it.`;
  const lines: string[] = [];
  const { type, scope } = typeAt(info, input.version);
  lines.push(`**${info.key}** — ${type}, ${scopeText(scope)}`);
  lines.push("", info.description);
  if (info.default) lines.push("", `Default: \`${info.default}\``);
  if (info.values?.length) lines.push("", `Values: ${info.values.map((v) => `\`${v}\``).join(", ")}`);
  lines.push("", moduleLine(input, info));
  const version = versionLine(info, input.version);
  if (version) lines.push("", version);
  if (info.deprecated) lines.push("", `Deprecated: ${info.deprecated.note}${info.deprecated.replacement ? ` (use \`${info.deprecated.replacement}\`)` : ""}`);
  if (info.notes) lines.push("", info.notes);
  const here = lookupSetting(contextAt(input.config, input.file, input.offset), key);
  if (here) lines.push("", "Value here:", "```lighttpd", formatValue(here.setting.value), "```");
  lines.push("", `[lighttpd documentation](${LIGHTTPD_DOCS})`);
  return lines.join("\n");
}

function scopeText(scope: string): string {
  if (scope === "server") return "global scope only (ignored inside conditions)";
  if (scope === "socket") return 'global or $SERVER["socket"] scope';
  return "any scope";
}

function moduleLine(input: HoverInput, info: KeyInfo): string {
  const modules = modulesOfKey(info);
  if (modules.length === 1 && modules[0] === "core") return "Module: core (always available)";
  const eff = effectiveModules(input.config, input.version);
  const loaded = modules.filter((m) => eff.loaded.includes(m));
  const names = modules.map((m) => `\`${m}\``).join(" or ");
  if (eff.unknown) return `Module: ${names} (whether it is loaded is not known statically)`;
  if (loaded.length) return `Module: ${names} — loaded`;
  return `Module: ${names} — **not loaded**: add "${modules[0]}" to server.modules, else lighttpd ignores this key`;
}

function versionLine(entry: { since: string; removed?: string }, version: string): string | undefined {
  const parts: string[] = [];
  if (entry.since !== "1.4.1") parts.push(`since lighttpd ${entry.since}`);
  if (entry.removed) parts.push(`removed in ${entry.removed}`);
  const state = availability(entry, version);
  const target = state === "not-yet" ? ` — **not in ${version}** (the target version)` : state === "removed" ? ` — **gone in ${version}** (the target version)` : "";
  return parts.length ? `Version: ${parts.join(", ")}${target}` : undefined;
}

function variableHover(input: HoverInput, name: string): string | undefined {
  const lines = [`**${name}**`];
  if (/^env\./i.test(name)) {
    const value = process.env[name.slice(4)];
    lines.push(
      "",
      value === undefined
        ? `The environment variable ${name.slice(4)} is not set in the linter's environment (lighttpd fails if it is not set when it starts).`
        : "Environment variable (as the linter sees it):",
      ...(value === undefined ? [] : ["```lighttpd", JSON.stringify(value), "```"]),
    );
    return lines.join("\n");
  }
  const found = lookupSetting(contextAt(input.config, input.file, input.offset), name);
  if (!found) {
    lines.push(
      "",
      input.config.incomplete
        ? "Its value is not known (the configuration could not be fully evaluated)."
        : "Not set before this point: lighttpd refuses the config if it is read here.",
    );
    return lines.join("\n");
  }
  const { setting, context } = found;
  lines.push("", "```lighttpd", formatValue(setting.value), "```");
  const where = context.id === 0 ? "global scope" : `block ${context.id}${context.condition ? ` (${context.condition.text})` : ""}`;
  const count = setting.sites.length;
  lines.push("", setting.predefined ? "Predefined by lighttpd." : `Set in the ${where}${count > 1 ? `, by ${count} assignments (the value after the last one)` : ""}.`);
  if (!/^var\./i.test(name)) {
    const info = lookupKey(name);
    if (info) lines.push("", `${info.description}`);
  }
  return lines.join("\n");
}

function moduleHover(input: HoverInput, name: string): string | undefined {
  const info = moduleInfo(name);
  if (!info) return `**${name}**\n\nlighttpd does not know this module: it fails to start ("dlopen() failed for: ${name}").`;
  const lines = [`**${info.name}**`, "", info.description];
  if (info.keyPrefixes?.length) lines.push("", `Keys: ${info.keyPrefixes.map((p) => `\`${p}*\``).join(", ")}`);
  if (info.builtin) lines.push("", "Built into the lighttpd executable (it still has to be listed here).");
  if (info.autoLoad) lines.push("", `Auto-load: ${info.autoLoad}`);
  const version = versionLine(info, input.version);
  if (version) lines.push("", version);
  if (info.replacement) lines.push("", `Use instead: \`${info.replacement}\``);
  return lines.join("\n");
}

function hostKeyHover(name: string): string | undefined {
  const info = lookupBackendHostKey(name);
  if (!info) return `**${name}**\n\nNot a backend host-entry key: lighttpd ignores it.`;
  const lines = [`**${info.key}** — backend host entry, ${info.type}`, "", info.description];
  if (info.default) lines.push("", `Default: \`${info.default}\``);
  if (info.values?.length) lines.push("", `Values: ${info.values.map((v) => `\`${v}\``).join(", ")}`);
  if (info.since !== "1.4.1") lines.push("", `Since lighttpd ${info.since}`);
  if (info.deprecated) lines.push("", `Deprecated: ${info.deprecated.note}`);
  return lines.join("\n");
}
