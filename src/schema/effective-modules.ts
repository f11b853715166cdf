/**
 * The modules lighttpd really loads: server.modules (global scope only), with duplicates removed and
 * the compat auto-load rules applied (configfile.c: config_check_module_duplicates,
 * config_compat_module_load, config_deprecate_module_compress).
 */
import { anyKeyStartsWith, settingsWithKey, toBool } from "../engine/config-query.js";
import type { EvaluatedConfig, Setting, Value } from "../eval/model.js";
import { atLeast } from "../util/version.js";
import { isOptEnabled, resultHasUnknown, stringList } from "./values.js";

export const TLS_MODULES: readonly string[] = ["mod_openssl", "mod_boringssl", "mod_gnutls", "mod_mbedtls", "mod_nss", "mod_wolfssl"];

export interface EffectiveModules {
  /** The global server.modules setting, when there is one. */
  setting?: Setting;
  /** server.modules as listed (after lighttpd's duplicate removal). */
  listed: string[];
  /** What lighttpd loads, in order. */
  loaded: string[];
  /** server.compat-module-load is on (the default). */
  compat: boolean;
  /** The list could not be known (unknown values, include_shell, ...): rules must not guess. */
  unknown: boolean;
}

/** Every value a key has in any context (global and every condition). */
export function valuesEverywhere(config: EvaluatedConfig, key: string): Value[] {
  return settingsWithKey(config, key).map((e) => e.setting.value);
}

function enabledAnywhere(config: EvaluatedConfig, ...keys: string[]): boolean {
  return keys.some((k) => valuesEverywhere(config, k).some(isOptEnabled));
}

function stringAnywhere(config: EvaluatedConfig, key: string, values: string[]): boolean {
  return valuesEverywhere(config, key).some((v) => v.type === "string" && values.includes(v.value));
}

export function effectiveModules(config: EvaluatedConfig, version: string): EffectiveModules {
  const setting = config.global.settings.get("server.modules");
  let listed: string[] = [];
  let unknown = config.incomplete;
  if (setting) {
    const list = stringList(setting.value);
    if (!list || resultHasUnknown(setting.value)) unknown = true;
    else listed = [...new Set(list)];
  }
  const compatSetting = config.global.settings.get("server.compat-module-load");
  const compat = compatSetting ? toBool(compatSetting.value) !== false : true;
  let loaded = [...listed];
  if (compat) loaded = applyCompat(config, loaded);
  loaded = applyCompress(config, loaded);
  if (atLeast(version, "1.4.70") && h2Enabled(config) && !loaded.includes("mod_h2")) loaded.push("mod_h2");
  return { setting, listed, loaded, compat, unknown };
}

function h2Enabled(config: EvaluatedConfig): boolean {
  const flags = config.global.settings.get("server.feature-flags")?.value;
  if (!flags || flags.type !== "array") return true;
  const item = flags.items.find((i) => i.key?.toLowerCase() === "server.h2proto");
  return item ? toBool(item.value) !== false : true;
}

/** config_compat_module_load() of 1.4.69 (unchanged in substance up to 1.4.85). */
function applyCompat(config: EvaluatedConfig, modules: string[]): string[] {
  let list = [...modules];
  const has = (m: string) => list.includes(m);
  const authIndex = list.indexOf("mod_auth");
  const authnBeforeAuth = list.some((m, i) => m.startsWith("mod_auth") && m !== "mod_auth" && (authIndex < 0 || i < authIndex));
  const vhostdbBackend = list.some((m) => m.startsWith("mod_vhostdb_")) && !has("mod_vhostdb");
  const tlsListed = list.some((m) => TLS_MODULES.includes(m));

  const indexEnabled = enabledAnywhere(config, "index-file.names", "server.indexfiles");
  if (!indexEnabled) list = list.filter((m) => m !== "mod_indexfile");
  else if (!has("mod_indexfile")) list.unshift("mod_indexfile");

  const dirlistingEnabled = enabledAnywhere(config, "dir-listing.activate", "server.dir-listing");
  if (!dirlistingEnabled) list = list.filter((m) => m !== "mod_dirlisting");
  else if (!has("mod_dirlisting")) list.push("mod_dirlisting");

  if (!has("mod_staticfile")) list.push("mod_staticfile");
  // Debian's and most builds have OpenSSL crypto; then any ssl.* key loads mod_openssl.
  if (!tlsListed && anyKeyStartsWith(config, "ssl.")) list.push("mod_openssl");

  if (authIndex >= 0) {
    if (!has("mod_authn_file") && stringAnywhere(config, "auth.backend", ["htdigest", "htpasswd", "plain"])) list.push("mod_authn_file");
    if (!has("mod_authn_ldap") && stringAnywhere(config, "auth.backend", ["ldap"])) list.push("mod_authn_ldap");
  }
  if (authnBeforeAuth) list.unshift("mod_auth");
  if (vhostdbBackend) list.unshift("mod_vhostdb");
  return list;
}

/** config_deprecate_module_compress(): "mod_compress" becomes "mod_deflate" (or is dropped). */
function applyCompress(config: EvaluatedConfig, modules: string[]): string[] {
  const i = modules.indexOf("mod_compress");
  if (i < 0) return modules;
  const hasCompressKeys = anyKeyStartsWith(config, "compress.");
  if (modules.includes("mod_deflate") || !hasCompressKeys) return modules.filter((m) => m !== "mod_compress");
  const out = [...modules];
  out[i] = "mod_deflate";
  return out;
}
