/**
 * Lookups over the lighttpd key schema (keys.ts, modules.ts). Keys and module names are compared
 * ASCII case-insensitively for keys (as lighttpd's array_caseless_compare does) and exactly for
 * module names (server.modules entries are compared with buffer_eq_slen: case matters).
 */
import { distance } from "fastest-levenshtein";
import { compareVersions } from "../util/version.js";
import { BACKEND_HOST_KEYS, FEATURE_FLAGS, KEYS } from "./keys.js";
import { MODULES } from "./modules.js";
import type { BackendHostKeyInfo, FeatureFlagInfo, KeyInfo, KeyScope, KeyType, ModuleInfo } from "./types.js";

export type { BackendHostKeyInfo, FeatureFlagInfo, KeyInfo, KeyScope, KeyType, ModuleInfo } from "./types.js";

const keyIndex = new Map<string, KeyInfo>(KEYS.map((k) => [k.key.toLowerCase(), k]));
const moduleIndex = new Map<string, ModuleInfo>(MODULES.map((m) => [m.name, m]));
const hostKeyIndex = new Map<string, BackendHostKeyInfo>(BACKEND_HOST_KEYS.map((k) => [k.key.toLowerCase(), k]));
const featureIndex = new Map<string, FeatureFlagInfo>(FEATURE_FLAGS.map((f) => [f.key.toLowerCase(), f]));

/** The schema entry of a key (case-insensitive), including removed keys. */
export function lookupKey(name: string): KeyInfo | undefined {
  // Callers mostly pass keys lower-cased already (found as they are: lower-casing changes nothing).
  return keyIndex.get(name) ?? keyIndex.get(name.toLowerCase());
}

export function allKeys(): readonly KeyInfo[] {
  return KEYS;
}

/** A module by its exact server.modules name (`mod_rewrite`). */
export function moduleInfo(name: string): ModuleInfo | undefined {
  return moduleIndex.get(name);
}

export function allModules(): readonly ModuleInfo[] {
  return MODULES;
}

/** Keys of a backend host entry (fastcgi.server, scgi.server, proxy.server, ajp13.server, sockproxy.server, wstunnel.server). */
export function backendHostKeys(): readonly BackendHostKeyInfo[] {
  return BACKEND_HOST_KEYS;
}

/** A backend host-entry key. lighttpd looks these up case-insensitively too (array_get_element_klen). */
export function lookupBackendHostKey(name: string): BackendHostKeyInfo | undefined {
  return hostKeyIndex.get(name.toLowerCase());
}

export function featureFlags(): readonly FeatureFlagInfo[] {
  return FEATURE_FLAGS;
}

export function lookupFeatureFlag(name: string): FeatureFlagInfo | undefined {
  return featureIndex.get(name.toLowerCase());
}

/** The `*.server` keys whose values are lists of backend host entries (gw_backend.c). */
export const BACKEND_SERVER_KEYS: readonly string[] = ["fastcgi.server", "scgi.server", "proxy.server", "ajp13.server", "sockproxy.server", "wstunnel.server"];

export type Availability = "available" | "not-yet" | "removed";

/** Whether a key (or module, or host key) exists in a given lighttpd version. */
export function availability(entry: { since: string; removed?: string }, version: string): Availability {
  if (compareVersions(version, entry.since) < 0) return "not-yet";
  if (entry.removed && compareVersions(version, entry.removed) >= 0) return "removed";
  return "available";
}

/** The type and scope a key has in a given version (types and scopes changed in a few releases). */
export function typeAt(info: KeyInfo, version: string): { type: KeyType; scope: KeyScope } {
  let found = { type: info.type, scope: info.scope };
  if (!info.history) return found;
  for (const h of info.history) {
    if (compareVersions(version, h.from) >= 0) found = { type: h.type, scope: h.scope };
  }
  // Older than the first recorded entry: the oldest known shape is the best guess.
  if (compareVersions(version, info.history[0].from) < 0) found = { type: info.history[0].type, scope: info.history[0].scope };
  return found;
}

/** The modules that claim a key (ssl.* is claimed by every TLS module). */
export function modulesOfKey(info: KeyInfo): readonly string[] {
  return info.modules ?? [info.module];
}

/**
 * The one clearly closest name from a list, or undefined when nothing is close or it is ambiguous.
 * `_` is read as `-` first (lighttpd keys never contain `_` in their words: `max_procs`).
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase().replace(/_/g, "-");
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 5)));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of candidates) {
    const d = distance(wanted, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && c.toLowerCase() !== best?.toLowerCase()) {
      tie = true;
    }
  }
  if (best === undefined || tie || bestDistance > limit) return undefined;
  return best;
}

/**
 * "Did you mean ...?" for a key lighttpd does not know: the one current key (in `version`, when
 * given) that is clearly closest, else undefined. A match on a renamed key suggests its new name.
 */
export function suggestKey(name: string, version?: string): string | undefined {
  // A generated config repeats its typo in every vhost: one search per name and version.
  const memo = `${version ?? ""}\0${name}`;
  if (suggestedKeys.has(memo)) return suggestedKeys.get(memo);
  if (suggestedKeys.size > 10_000) suggestedKeys.clear();
  const suggestion = searchKey(name, version);
  suggestedKeys.set(memo, suggestion);
  return suggestion;
}

const suggestedKeys = new Map<string, string | undefined>();

function searchKey(name: string, version?: string): string | undefined {
  const candidates = KEYS.filter((k) => !k.removed && (!version || availability(k, version) === "available")).map((k) => k.key);
  const hit = closestName(name, candidates);
  if (!hit || hit.toLowerCase() === name.toLowerCase()) return undefined;
  return lookupKey(hit)?.deprecated?.replacement ?? hit;
}

/** "Did you mean ...?" for a backend host-entry key (`max_procs` → `max-procs`). */
export function suggestBackendHostKey(name: string, version?: string): string | undefined {
  const candidates = BACKEND_HOST_KEYS.filter((k) => !version || availability(k, version) === "available").map((k) => k.key);
  const hit = closestName(name, candidates);
  if (!hit || hit === name) return undefined;
  return lookupBackendHostKey(hit)?.deprecated?.replacement ?? hit;
}

/** "Did you mean ...?" for a server.modules entry (`rewrite` → `mod_rewrite`, `mod_fcgi` → ?). */
export function suggestModule(name: string, version?: string): string | undefined {
  const current = MODULES.filter((m) => m.name !== "mod_skeleton" && !m.removed && (!version || availability(m, version) === "available")).map((m) => m.name);
  const exact = current.find((m) => m.toLowerCase() === name.toLowerCase() || m.toLowerCase() === `mod_${name.toLowerCase()}`);
  if (exact) return exact;
  const wanted = name.toLowerCase().startsWith("mod_") ? name : `mod_${name}`;
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 5)));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of current) {
    const d = distance(wanted.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance, tie] = [c, d, false];
    else if (d === bestDistance) tie = true;
  }
  return best !== undefined && !tie && bestDistance <= limit ? best : undefined;
}
