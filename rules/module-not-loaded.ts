import type { TextEdit } from "../src/ast/diagnostics.js";
import { getSetting, looksLikeMainConfig } from "../src/engine/config-query.js";
import type { Rule } from "../src/engine/types.js";
import type { EvaluatedConfig } from "../src/eval/model.js";
import { availability, BACKEND_SERVER_KEYS, lookupKey, moduleInfo, modulesOfKey, typeAt } from "../src/schema/index.js";
import { effectiveModules, valuesEverywhere } from "../src/schema/effective-modules.js";
import { addModuleEdit, allSettings, keyRange } from "../src/schema/rule-support.js";
import { isOptEnabled, resultHasUnknown, typeProblem } from "../src/schema/values.js";
import type { Report, RuleContext } from "../src/engine/types.js";
import valueType from "./value-type.js";
import backendAddress from "./backend-address.js";

/**
 * Error findings of the rules that check what lighttpd refuses in a module's settings (value
 * types, backend host options, backend addresses: gw_backend.c), found while the module is not
 * loaded and therefore still harmless. Run here so that loading the module is never the fix.
 */
function refusalsInSettings(context: RuleContext): Report[] {
  const out: Report[] = [];
  for (const r of [valueType, backendAddress]) {
    try {
      r.check({
        ...context,
        report: (rep) => {
          if ((rep.severity ?? r.meta.severity) === "error") out.push(rep);
        },
      });
    } catch {
      /* a failing rule reports itself in the engine */
    }
  }
  return out;
}

/**
 * Why adding `module` would make things worse, or undefined: a setting of that module that lighttpd
 * would then refuse (a type error is harmless only while the module is not loaded: lighttpd checks a
 * module's keys in its set_defaults, configfile-glue.c config_plugin_values_init), or a deprecated
 * setting that would go live after years of being ignored (compress.* under mod_deflate).
 */
function activationHazard(config: EvaluatedConfig, module: string, version: string, refusals: Report[]): string | undefined {
  for (const { key, setting } of allSettings(config)) {
    const info = lookupKey(key);
    if (!info || info.module === "core" || availability(info, version) !== "available") continue;
    if (!modulesOfKey(info).includes(module) && info.module !== module) continue;
    const refused = refusals.find((f) => setting.sites.some((s) => s.file === f.file && f.start >= s.node.start && f.end <= s.node.end));
    if (refused) return `loading ${module} would make lighttpd refuse ${setting.key} ("Configuration of plugins failed"): ${refused.message}`;
    if (info.deprecated) return `${setting.key} is deprecated (${info.deprecated.note}) and would go live after being ignored: review it before loading ${module}`;
    if (resultHasUnknown(setting.value)) continue;
    const problem = typeProblem(setting.key, typeAt(info, version).type, setting.value);
    if (problem) return `loading ${module} would make lighttpd refuse ${setting.key} ("Configuration of plugins failed"): ${problem}`;
    if (BACKEND_SERVER_KEYS.includes(key) && setting.value.type === "array") {
      const bad = setting.value.items.some(
        (ext) => ext.value.type === "array" && ext.value.items.some((h) => !(h.value.type === "array" && h.value.items.every((i) => i.key !== undefined))),
      );
      if (bad) return `loading ${module} would make lighttpd refuse ${setting.key}: a backend there is not a list of "key" => value options (see value-type)`;
    }
  }
  return undefined;
}

/**
 * The edit adding `module` to server.modules: in the finding's own file when server.modules is
 * assigned there, else where server.modules is assigned (a cross-file fix: a module key in
 * conf.d/10-static.conf, server.modules in lighttpd.conf). A reason when there is no such place.
 */
function moduleEdit(config: EvaluatedConfig, file: string, module: string): { edit?: TextEdit; why?: string } {
  const own = addModuleEdit(config, file, module);
  if (own) return { edit: own };
  const setting = config.global.settings.get("server.modules");
  const files = setting ? [...new Set(setting.sites.map((s) => s.file))].reverse() : [config.main];
  for (const f of files) {
    const edit = addModuleEdit(config, f, module);
    if (edit) return { edit: f === file ? edit : { ...edit, file: f } };
  }
  return { why: setting ? "server.modules is not a list written out in a config file (built from a variable?): add it by hand" : "add it by hand" };
}

/** Keys whose module lighttpd removes again when they are not switched on (nothing to warn about then). */
const AUTO_LOAD_SWITCHES: Record<string, string[]> = {
  "index-file.names": ["index-file.names", "server.indexfiles"],
  "server.indexfiles": ["index-file.names", "server.indexfiles"],
  "dir-listing.activate": ["dir-listing.activate", "server.dir-listing"],
  "server.dir-listing": ["dir-listing.activate", "server.dir-listing"],
};

/**
 * A module key whose module is not in server.modules (after lighttpd's own auto-loading): lighttpd
 * ignores the setting with only "WARNING: unknown config-key" (not even that under -t). This is how a
 * missing mod_rewrite, mod_alias or mod_fastcgi shows: rewrites, aliases or PHP silently do nothing.
 */
const rule: Rule = {
  meta: { id: "module-not-loaded", description: "A setting whose module is not in server.modules: lighttpd ignores it", severity: "error", fixable: "fix", effect: "ignored" },
  check(context) {
    const config = context.config;
    const version = context.settings.lighttpdVersion;
    const modules = effectiveModules(config, version);
    if (modules.unknown) return;
    // A fragment linted alone, or a config whose includes are missing: the modules may be loaded elsewhere.
    // (`server.modules += (...)` alone is how fragments add their module to a list set elsewhere)
    const modulesAssigned = modules.setting?.sites.some((s) => s.operator !== "+=") ?? false;
    // A single-file config may rely on lighttpd's defaults for everything but the document root
    // (server.port 80, no server.modules); a fragment for include sets its document root, if at
    // all, inside a condition. Under --snippet the file is a fragment by definition.
    const singleFile = !config.snippet && !!getSetting(config.global, "server.document-root");
    const wholeConfig = looksLikeMainConfig(config) || modulesAssigned || singleFile;
    if (!wholeConfig || config.diagnostics.some((d) => d.ruleId === "include-not-found")) return;
    let refusals: Report[] | undefined; // computed once, only when a module is missing
    const hazards = new Map<string, string | undefined>(); // per module: one walk of all settings each
    const edits = new Map<string, ReturnType<typeof moduleEdit>>(); // per file and module: the same edit for every vhost
    const editFor = (file: string, module: string) => {
      const key = `${module}\0${file}`;
      let found = edits.get(key);
      if (!found) edits.set(key, (found = moduleEdit(config, file, module)));
      return found;
    };
    for (const { key, setting } of allSettings(config)) {
      const info = lookupKey(key);
      if (!info || info.module === "core" || availability(info, version) !== "available") continue;
      if (key.startsWith("dir-listing.") && key !== "dir-listing.activate") continue; // never reported by lighttpd
      const switches = AUTO_LOAD_SWITCHES[key];
      if (switches && !switches.some((k) => valuesEverywhere(config, k).some(isOptEnabled))) continue;
      const owners = modulesOfKey(info).filter((m) => {
        const mi = moduleInfo(m);
        return !mi || availability(mi, version) === "available";
      });
      if (owners.some((m) => modules.loaded.includes(m))) continue;
      const wanted = owners[0] ?? info.module;
      const which = owners.length > 1 ? `a TLS module (${wanted})` : wanted;
      refusals ??= refusalsInSettings(context);
      if (!hazards.has(wanted)) hazards.set(wanted, activationHazard(config, wanted, version, refusals));
      const hazard = hazards.get(wanted);
      for (const site of setting.sites) {
        const { edit, why } = hazard ? { edit: undefined, why: hazard } : editFor(site.file, wanted);
        const where = edit?.file ? ` (in ${edit.file}, where server.modules is set)` : "";
        context.report({
          message: `${setting.key} needs ${which}, which is not in server.modules: lighttpd ignores this setting ("unknown config-key")${why ? `. No fix: ${why}` : ""}`,
          ...keyRange(site),
          fix: edit ? { description: `add "${wanted}" to server.modules${where}`, edits: [edit] } : undefined,
        });
      }
    }
  },
};

export default rule;
