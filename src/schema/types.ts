/** The shapes of the schema data (keys.ts, modules.ts). */

/**
 * lighttpd's T_CONFIG_* value types (plugin_config.h), as checked by
 * configfile-glue.c config_plugin_values_init_block():
 * - `string`: a string (integers are refused)
 * - `short`: 0..65535, an integer or a numeric string
 * - `int`: 0..4294967295, an integer or a numeric string
 * - `bool`: "enable"/"disable"/"true"/"false"/"1"/"0" (any case) or an integer
 * - `array`: any list
 * - `array-kv-any`: every element is `"key" => value`
 * - `array-kv-array`: every element is `"key" => ( ... )`
 * - `array-kv-string`: every element is `"key" => "string"`
 * - `array-vlist`: every element is a plain string (no keys)
 */
export type KeyType = "string" | "short" | "int" | "bool" | "array" | "array-kv-any" | "array-kv-array" | "array-kv-string" | "array-vlist";

/**
 * Where a key has an effect (T_CONFIG_SCOPE_*):
 * - `server`: global scope only; inside a condition lighttpd warns and ignores it
 * - `connection`: anywhere
 * - `socket`: global scope or `$SERVER["socket"] == "..."` only
 */
export type KeyScope = "server" | "connection" | "socket";

export interface KeyDeprecation {
  /** The key to use instead, when it is a plain rename (same value). */
  replacement?: string;
  /** What to do instead, in words. */
  note: string;
  /** True when lighttpd itself logs a warning for it (else it is accepted silently). */
  warns: boolean;
}

export interface KeyHistoryEntry {
  /** First release with this type/scope. */
  from: string;
  type: KeyType;
  scope: KeyScope;
}

export interface KeyInfo {
  /** The key as lighttpd spells it (lookups are case-insensitive, like lighttpd's). */
  key: string;
  /** `core` or the module that claims the key (`mod_rewrite`). For TLS keys: `mod_openssl`. */
  module: string;
  /** Every module that claims the key, when several do (ssl.* in each TLS module). */
  modules?: string[];
  /** The current type (lighttpd 1.4.56 and later; see `history` for changes). */
  type: KeyType;
  scope: KeyScope;
  /** The value lighttpd uses when the key is not set, in words. */
  default?: string;
  /** First 1.4.x release that knows the key ("1.4.1" means: all of 1.4). */
  since: string;
  /** First release that no longer knows the key (it is then "unknown config-key ... (ignored)"). */
  removed?: string;
  description: string;
  deprecated?: KeyDeprecation;
  /** Facts worth knowing (auto-load rules, silent rewrites, ...). */
  notes?: string;
  /** Type or scope changes since 1.4.56, oldest first (the top-level type/scope is the newest). */
  history?: KeyHistoryEntry[];
  /** Known values of a string key, when lighttpd accepts a fixed set. */
  values?: string[];
}

/** A key inside a backend host entry of fastcgi.server, scgi.server, proxy.server, ... (gw_backend.c). */
export interface BackendHostKeyInfo {
  key: string;
  type: KeyType;
  default?: string;
  since: string;
  description: string;
  deprecated?: KeyDeprecation;
  values?: string[];
}

/** A flag inside `server.feature-flags = ( ... )`. */
export interface FeatureFlagInfo {
  key: string;
  /** How lighttpd reads it: config_feature_bool or config_feature_int (or a string). */
  type: "bool" | "int" | "string";
  default?: string;
  description: string;
}

export interface ModuleInfo {
  /** `mod_rewrite` */
  name: string;
  description: string;
  /** First 1.4.x release that has the module. */
  since: string;
  /** First release without it; loading it then fails ("dlopen() failed"). */
  removed?: string;
  /** What to use instead, when removed or renamed. */
  replacement?: string;
  /** Compiled into the lighttpd executable in meson/cmake builds (it must still be listed in server.modules). */
  builtin?: boolean;
  /** lighttpd can load it by itself (server.compat-module-load, mod_h2 for server.h2proto): when and how. */
  autoLoad?: string;
  /** A request handler that serves content (mod_indexfile must come before it; mod_staticfile after it). */
  handler?: boolean;
  /** A dynamic backend (mod_auth must come before it). */
  backend?: boolean;
  /** Key prefixes this module claims, for suggestions. */
  keyPrefixes?: string[];
}
