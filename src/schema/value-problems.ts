/**
 * The values lighttpd refuses or truncates for their key's type, classified once per evaluated
 * config so that value-type (refused) and integer-truncated (silently truncated) each report their
 * own findings without walking the settings twice. Mirrors configfile-glue.c
 * config_plugin_values_init_block() and gw_backend.c for *.server.
 */
import { itemRange, itemValueRange, valueRange } from "../engine/config-query.js";
import type { ArrayItem, EvaluatedConfig, Setting } from "../eval/model.js";
import { availability, BACKEND_SERVER_KEYS, lookupBackendHostKey, lookupKey, typeAt } from "./index.js";
import { allSettings } from "./rule-support.js";
import { kind, knownTypeProblem, resultHasUnknown, truncation, typeProblem } from "./values.js";

export interface ValueProblem {
  /** "refused": lighttpd refuses the value; "truncated": it accepts it and silently truncates it. */
  kind: "refused" | "truncated";
  message: string;
  file: string;
  start: number;
  end: number;
  /** Core keys are checked while the config is read (-t, -p); module keys only when lighttpd starts (-tt). */
  refusedAt: "load" | "start";
}

const cache = new WeakMap<EvaluatedConfig, Map<string, ValueProblem[]>>();

export function valueProblems(config: EvaluatedConfig, version: string): ValueProblem[] {
  let byVersion = cache.get(config);
  if (!byVersion) cache.set(config, (byVersion = new Map()));
  let found = byVersion.get(version);
  if (!found) byVersion.set(version, (found = classify(config, version)));
  return found;
}

function classify(config: EvaluatedConfig, version: string): ValueProblem[] {
  const out: ValueProblem[] = [];
  for (const { key, setting } of allSettings(config)) {
    if (key.startsWith("var.")) continue;
    const info = lookupKey(key);
    if (!info || availability(info, version) !== "available" || resultHasUnknown(setting.value)) continue;
    const refusedAt = info.module === "core" ? "load" : "start";
    const type = typeAt(info, version).type;
    const problem = knownTypeProblem(setting.key, type, setting.value);
    if (problem) {
      out.push({ kind: "refused", message: problem, ...badElementRange(setting, type), refusedAt });
      continue;
    }
    const truncated = truncation(setting.key, type, setting.value);
    if (truncated) out.push({ kind: "truncated", message: truncated, ...badElementRange(setting, type), refusedAt });
    if (BACKEND_SERVER_KEYS.includes(key)) checkBackendHosts(setting, version, out);
  }
  return out;
}

/** gw_backend.c: each backend a list of "key" => value options, each option of its type (checked at startup). */
function checkBackendHosts(setting: Setting, version: string, out: ValueProblem[]): void {
  if (setting.value.type !== "array") return;
  for (const ext of setting.value.items) {
    if (ext.value.type !== "array") continue;
    for (const host of ext.value.items) {
      const hostIsKv = host.value.type === "array" && host.value.items.every((i) => i.key !== undefined);
      if (!hostIsKv) {
        out.push({
          kind: "refused",
          message: `${setting.key} "${ext.key}": each backend must be a list of "key" => value options; lighttpd refuses ${kind(host.value)} here (expected ( "ext" => ( "backend-label" => ( "key" => "value" ) ) ))`,
          ...(itemValueRange(host) ?? itemRange(host, valueRange(setting.value, setting))),
          refusedAt: "start",
        });
        break; // lighttpd stops at the first bad host entry
      }
      if (host.value.type !== "array") continue;
      for (const opt of host.value.items) {
        const hk = opt.key !== undefined ? lookupBackendHostKey(opt.key) : undefined;
        if (!hk || availability(hk, version) !== "available") continue;
        const where = itemValueRange(opt) ?? itemRange(opt, valueRange(setting.value, setting));
        const problem = typeProblem(`"${opt.key}"`, hk.type, opt.value);
        const truncated = problem ? undefined : truncation(`"${opt.key}"`, hk.type, opt.value);
        if (problem) out.push({ kind: "refused", message: `${setting.key}: ${problem}`, ...where, refusedAt: "start" });
        else if (truncated) out.push({ kind: "truncated", message: `${setting.key}: ${truncated}`, ...where, refusedAt: "start" });
      }
    }
  }
}

/** The element that breaks a list's shape, else the whole value. */
function badElementRange(setting: Setting, type: string) {
  const v = setting.value;
  const fallback = valueRange(v, setting);
  if (v.type !== "array") return fallback;
  const bad: ArrayItem | undefined = v.items.find((i) =>
    type === "array-vlist"
      ? i.key !== undefined || i.value.type !== "string"
      : type === "array-kv-string"
        ? i.key === undefined || i.value.type !== "string"
        : type === "array-kv-array"
          ? i.key === undefined || i.value.type !== "array"
          : i.key === undefined,
  );
  if (!bad) return fallback;
  if (bad.element && bad.file) return { file: bad.file, start: bad.element.start, end: bad.element.end };
  return itemValueRange(bad) ?? fallback;
}
