import type { TextEdit } from "../src/ast/diagnostics.js";
import type { Rule } from "../src/engine/types.js";
import { itemValueRange, moveElementBefore, valueRange } from "../src/engine/config-query.js";
import type { ArrayItem, EvaluatedConfig, Setting } from "../src/eval/model.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { assignedArrayNode, isBackendModule } from "../src/schema/rule-support.js";

/** Modules with both subrequest hooks: mod_indexfile must run before them (server.c). */
const INDEXFILE_BEFORE = ["mod_cgi", "mod_dirlisting", "mod_fastcgi", "mod_scgi", "mod_ssi"];

/**
 * server.modules is also the order in which module hooks run. lighttpd warns about a few orders
 * that break requests (configfile.c, server.c): backends after mod_staticfile (the file is sent as
 * is, e.g. PHP source), mod_auth after a backend (the backend answers before authentication),
 * mod_indexfile after a handler. Without compat-module-load, mod_authn_* before mod_auth fails to load.
 */
const rule: Rule = {
  meta: { id: "module-order", description: "server.modules in an order lighttpd warns about", severity: "warning", fixable: "fix", effect: "misread" },
  check(context) {
    const config = context.config;
    const version = context.settings.lighttpdVersion;
    const modules = effectiveModules(config, version);
    const setting = modules.setting;
    if (!setting || modules.unknown || setting.value.type !== "array") return;
    const items = setting.value.items.filter((i) => i.value.type === "string");
    const name = (i: ArrayItem) => (i.value.type === "string" ? i.value.value : "");
    const first = (pred: (n: string) => boolean) => items.find((i) => pred(name(i)));
    const reported = new Set<ArrayItem>();

    const staticfile = first((n) => n === "mod_staticfile");
    if (staticfile) {
      for (const item of items.slice(items.indexOf(staticfile) + 1)) {
        if (!isBackendModule(name(item))) continue;
        report(
          item,
          staticfile,
          `${name(item)} should be listed before mod_staticfile: otherwise mod_staticfile may send the file itself (e.g. PHP source) instead of passing it to the backend`,
        );
      }
    }

    const auth = first((n) => n === "mod_auth");
    const backend = first(isBackendModule);
    if (auth && backend && items.indexOf(backend) < items.indexOf(auth)) {
      report(auth, backend, `mod_auth should be listed before dynamic backends such as ${name(backend)}: the backend may answer before authentication is checked`);
    }

    const indexfile = first((n) => n === "mod_indexfile");
    if (indexfile && modules.loaded.includes("mod_indexfile")) {
      const handler = items.slice(0, items.indexOf(indexfile)).find((i) => INDEXFILE_BEFORE.includes(name(i)) && modules.loaded.includes(name(i)));
      if (handler) report(indexfile, handler, `mod_indexfile should be listed before ${name(handler)}: otherwise requests for a directory may not find its index file`);
    }

    if (!modules.compat && auth) {
      const authn = items.slice(0, items.indexOf(auth)).find((i) => name(i).startsWith("mod_authn_"));
      if (authn)
        report(
          auth,
          authn,
          `mod_auth must be listed before ${name(authn)}: without server.compat-module-load, ${name(authn)} fails to load ("dlopen() failed ... undefined symbol")`,
          "error",
        );
    }

    /** Reports `item`, with a fix that moves it right before `target` (same list literal only). */
    function report(item: ArrayItem, target: ArrayItem, message: string, severity?: "error"): void {
      if (reported.has(item)) return;
      reported.add(item);
      const where = itemValueRange(item) ?? valueRange(item.value, setting!);
      const edits = moveEdits(config, setting!, item, target);
      context.report({ message, ...where, severity, fix: edits ? { description: `move ${name(item)} before ${name(target)}`, edits } : undefined });
    }
  },
};

function moveEdits(config: EvaluatedConfig, setting: Setting, item: ArrayItem, target: ArrayItem): TextEdit[] | undefined {
  if (!item.element || !target.element || item.file !== target.file || !item.file) return undefined;
  const site = setting.sites.find(
    (s) => s.file === item.file && assignedArrayNode(s)?.elements.includes(item.element!) && assignedArrayNode(s)?.elements.includes(target.element!),
  );
  const array = site && assignedArrayNode(site);
  const text = config.files.get(item.file)?.text;
  if (!array || text === undefined) return undefined;
  return moveElementBefore(text, array, item.element, target.element);
}

export default rule;
