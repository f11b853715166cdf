/**
 * Small helpers shared by the schema-driven rules (unknown-key, value-type, module-not-loaded, ...):
 * where a key is written, how to rename it, how to add a module to server.modules.
 */
import type { TextEdit } from "../ast/diagnostics.js";
import type { ArrayElementNode, ArrayNode } from "../ast/nodes.js";
import { assignmentKeyEnd } from "../ast/nodes.js";
import { appendToArray, everySetting } from "../engine/config-query.js";
import type { ArrayItem, AssignmentSite, Context, EvaluatedConfig, Origin, Setting } from "../eval/model.js";

/** Every setting of every context, with its context (global first, then blocks in order). */
export function allSettings(config: EvaluatedConfig): readonly { context: Context; key: string; setting: Setting }[] {
  return everySetting(config);
}

/** Where the key of one assignment is written. */
export function keyRange(site: AssignmentSite): Origin {
  return { file: site.file, start: site.node.start, end: assignmentKeyEnd(site.node) };
}

/** An edit renaming the key token of an assignment. */
export function renameKeyEdit(site: AssignmentSite, newKey: string): TextEdit {
  return { range: [site.node.start, assignmentKeyEnd(site.node)], text: newKey };
}

/**
 * True for a `$SERVER["socket"] == "..."` block (where socket-scope keys work), also when written
 * as `else $SERVER["socket"] == "..."`: lighttpd checks only the block's own comparison
 * (configfile-glue.c: dc->comp == COMP_SERVER_SOCKET && dc->cond == CONFIG_COND_EQ) and
 * network.c opens a listener for every such block. A plain `else { }` is CONFIG_COND_ELSE there,
 * whatever negation its key shows (configparser.y), so it never is one.
 */
export function isSocketEqContext(ctx: Context): boolean {
  const c = ctx.condition;
  const plainElse = !!ctx.isElse && ctx.branches.every((b) => b.node.condition === undefined);
  return !!c && !plainElse && c.object === "SERVER" && c.field === "socket" && c.op === "==";
}

/** A short name of a context for messages. */
export function contextName(ctx: Context): string {
  if (!ctx.condition) return "the global scope";
  return ctx.isElse ? `the else branch of ${ctx.condition.text}` : ctx.condition.text;
}

/**
 * An edit that renames an array key written as a plain `"..."` literal (no `\"` inside).
 * Undefined when the key comes from a variable or an expression.
 */
export function renameArrayKeyEdit(config: EvaluatedConfig, item: ArrayItem, newKey: string): { file: string; edit: TextEdit } | undefined {
  const o = item.keyOrigin;
  if (!o || item.key === undefined) return undefined;
  const text = config.files.get(o.file)?.text;
  if (!text || text.slice(o.start, o.end) !== `"${item.key}"` || item.key.includes('"')) return undefined;
  return { file: o.file, edit: { range: [o.start + 1, o.end - 1], text: newKey } };
}

/** The ArrayNode an assignment's value is written as, when it is exactly one `( ... )` literal. */
export function assignedArrayNode(site: AssignmentSite): ArrayNode | undefined {
  const ops = site.node.value?.operands;
  return ops && ops.length === 1 && ops[0].kind === "array" ? ops[0] : undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** An edit inserting `elementText` as a new element right before `el`, in the list's layout. */
export function insertBeforeElement(text: string, el: ArrayElementNode, elementText: string): TextEdit {
  const ls = lineStart(text, el.start);
  const indent = text.slice(ls, el.start);
  if (/^[ \t]*$/.test(indent) && ls > 0) return { range: [ls, ls], text: `${indent}${elementText},\n` };
  return { range: [el.start, el.start], text: `${elementText}, ` };
}

/** Modules a given module should come before in server.modules (so a new one is inserted there). */
const HANDLER_PREFIXES = [
  "mod_ajp13",
  "mod_cgi",
  "mod_fastcgi",
  "mod_proxy",
  "mod_scgi",
  "mod_sockproxy",
  "mod_wstunnel",
  "mod_ssi",
  "mod_dirlisting",
  "mod_staticfile",
  "mod_webdav",
  "mod_magnet",
];
const BACKEND_PREFIXES = ["mod_ajp13", "mod_cgi", "mod_fastcgi", "mod_proxy", "mod_scgi", "mod_sockproxy", "mod_wstunnel"];

export function isBackendModule(name: string): boolean {
  return BACKEND_PREFIXES.some((p) => name.startsWith(p));
}

/** Where a new module belongs: handlers go before mod_staticfile; URL modules before every handler. */
function insertsBefore(module: string, existing: string): boolean {
  if (module === "mod_openssl" || module.startsWith("mod_ssl")) return false;
  if (isBackendModule(module) || module === "mod_ssi" || module === "mod_webdav") return existing === "mod_staticfile" || existing === "mod_dirlisting";
  if (module === "mod_staticfile" || module === "mod_dirlisting") return false;
  return HANDLER_PREFIXES.some((p) => existing.startsWith(p));
}

/**
 * An edit adding `module` to the global server.modules in `file`: before the first module it must
 * precede, else at the end of the last list written in that file. When the global scope has no
 * server.modules at all and `file` is the main config: a new assignment at the top of the file.
 */
export function addModuleEdit(config: EvaluatedConfig, file: string, module: string): TextEdit | undefined {
  const text = config.files.get(file)?.text;
  if (text === undefined) return undefined;
  const setting = config.global.settings.get("server.modules");
  const element = `"${module}"`;
  if (!setting) {
    if (file !== config.main) return undefined;
    return { range: [0, 0], text: `server.modules = ( ${element} )\n` };
  }
  if (setting.value.type !== "array") return undefined;
  const before = setting.value.items.find((i) => i.file === file && i.element && i.value.type === "string" && insertsBefore(module, i.value.value));
  if (before?.element && arrayOfElementIsLiteral(setting, before)) return insertBeforeElement(text, before.element, element);
  const sites = setting.sites.filter((s) => s.file === file && assignedArrayNode(s));
  const last = sites[sites.length - 1];
  if (!last) return undefined;
  // `server.modules := (...)` or `=` after which nothing else was appended in another file.
  return appendToArray(text, assignedArrayNode(last)!, element);
}

/** The item was written inside one of the setting's own `( ... )` literals (not copied from a variable). */
function arrayOfElementIsLiteral(setting: Setting, item: ArrayItem): boolean {
  return setting.sites.some((s) => {
    const arr = assignedArrayNode(s);
    return !!arr && s.file === item.file && arr.elements.includes(item.element!);
  });
}
