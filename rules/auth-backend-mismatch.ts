/**
 * auth-backend-mismatch: an auth.require that the auth.backend in effect cannot check. lighttpd
 * starts, and fails each protected request:
 * - no auth.backend for a "basic" or "digest" require: mod_auth.c mod_auth_check_basic/_digest
 *   log "auth.backend not configured for <path>" and answer 500;
 * - "method" => "digest" with a backend that has no digest function (http_auth_backend_t of
 *   mod_authn_file.c htpasswd, mod_authn_ldap/pam/sasl/gssapi: basic only): "auth.require "method"
 *   => "digest" invalid (try "basic"?)" and 500;
 * - a mod_authn_file backend without its auth.backend.<name>.userfile: mod_authn_file.c returns an
 *   error for every user (`if (!auth_fn) return -1`), so every login fails with 401.
 * "extern" (and mod_authn_gssapi's "gssapi") requires do not use auth.backend. The same in 1.4.59-1.4.85.
 */
import type { Rule, RuleContext } from "../src/engine/types.js";
import type { ArrayItem, Context, EvaluatedConfig, Setting } from "../src/eval/model.js";
import { contextChain, hasUnknown, itemRange, itemValueRange, settingRange, settingsWithKey, stringOf, toBool, valueRange } from "../src/engine/config-query.js";
import { encloses, exclusive } from "../src/engine/context-scope.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { atLeast } from "../src/util/version.js";

interface BackendInfo {
  module: string;
  digest: boolean;
  /** The mod_authn_file key naming its password file. */
  userfile?: string;
  /** The release that removed it (mod_authn_mysql: 1.4.64). */
  removedIn?: string;
}

/** Each backend's http_auth_backend_t: { name, basic, digest } (mod_authn_*.c *_init). */
const BACKENDS: Record<string, BackendInfo> = {
  htpasswd: { module: "mod_authn_file", digest: false, userfile: "auth.backend.htpasswd.userfile" },
  htdigest: { module: "mod_authn_file", digest: true, userfile: "auth.backend.htdigest.userfile" },
  plain: { module: "mod_authn_file", digest: true, userfile: "auth.backend.plain.userfile" },
  dbi: { module: "mod_authn_dbi", digest: true },
  mysql: { module: "mod_authn_mysql", digest: true, removedIn: "1.4.64" },
  ldap: { module: "mod_authn_ldap", digest: false },
  pam: { module: "mod_authn_pam", digest: false },
  sasl: { module: "mod_authn_sasl", digest: false },
  gssapi: { module: "mod_authn_gssapi", digest: false },
};

/** A non-blank auth.backend of one block (a blank one sets nothing: mod_auth_set_defaults skips it). */
interface BackendSetting {
  context: Context;
  setting: Setting;
  name: string;
}

/**
 * The backends that may be in effect for a request reaching `ctx`: the one of the innermost block
 * around it that sets one, and those of later blocks that may also hold (they would override it).
 * Undefined when a value is unknown.
 */
function possibleBackends(config: EvaluatedConfig, ctx: Context): BackendSetting[] | undefined {
  const all: BackendSetting[] = [];
  for (const { context, setting } of settingsWithKey(config, "auth.backend")) {
    if (hasUnknown(setting.value)) return undefined;
    const name = stringOf(setting.value);
    if (name === undefined) return undefined;
    if (name.trim() !== "") all.push({ context, setting, name });
  }
  const chain = contextChain(ctx);
  const inner = all.filter((b) => chain.includes(b.context)).pop();
  const innerAt = inner ? config.contexts.indexOf(inner.context) : -1;
  const later = all.filter((b) => b !== inner && !encloses(b.context, ctx) && config.contexts.indexOf(b.context) > innerAt && !exclusive(b.context, ctx));
  return inner ? [inner, ...later] : later;
}

/** Whether some block that may hold for requests reaching `ctx` sets this key to a non-blank value. */
function setNearby(config: EvaluatedConfig, ctx: Context, key: string): boolean {
  return settingsWithKey(config, key).some(({ context, setting }) => {
    if (hasUnknown(setting.value)) return true;
    const v = stringOf(setting.value);
    return v !== undefined && v.trim() !== "" && (encloses(context, ctx) || !exclusive(context, ctx));
  });
}

/** An option of a require entry, by its exact name (mod_auth.c compares the names with buffer_is_equal_string). */
function option(entry: ArrayItem, name: string): ArrayItem | undefined {
  return entry.value.type === "array" ? entry.value.items.find((i) => i.key === name) : undefined;
}

function check(context: RuleContext, ctx: Context, setting: Setting, loaded: string[], externAuthn: boolean): void {
  const { config } = context;
  const version = context.settings.lighttpdVersion;
  if (setting.value.type !== "array" || hasUnknown(setting.value)) return;
  const backends = possibleBackends(config, ctx);
  if (!backends) return;
  const infos = backends.map((b) => ({ b, info: BACKENDS[b.name] }));
  // A backend lighttpd does not know, or whose module is not loaded: lighttpd refuses to start ("auth.backend not supported").
  if (infos.some(({ info }) => !info || !loaded.includes(info.module) || (info.removedIn && atLeast(version, info.removedIn)))) return;
  for (const entry of setting.value.items) {
    if (entry.key === undefined) continue;
    const method = stringOf(option(entry, "method")?.value);
    if (method !== "basic" && method !== "digest") continue; // extern/gssapi need no backend; others are refused at startup
    const where = itemRange(entry, settingRange(setting));
    if (infos.length === 0) {
      if (externAuthn) continue; // auth.extern-authn lets a REMOTE_USER set by another module through first
      context.report({
        message: `auth.require "${entry.key}" uses "method" => "${method}", but no auth.backend is set for these requests: lighttpd starts, then answers every request under "${entry.key}" with 500 ("auth.backend not configured"). Set auth.backend (e.g. "htpasswd" with auth.backend.htpasswd.userfile) in the same scope`,
        file: where.file,
        start: where.start,
        end: where.end,
      });
      continue;
    }
    if (method === "digest" && infos.every(({ info }) => !info.digest)) {
      const names = [...new Set(backends.map((b) => `"${b.name}"`))].join(" or ");
      const m = option(entry, "method")!;
      const at = itemValueRange(m) ?? where;
      const suggestion = backends.some((b) => b.name === "htpasswd")
        ? `Use "method" => "basic" (over TLS), or auth.backend = "htdigest" with an htdigest file`
        : `Use "method" => "basic" (over TLS)`;
      context.report({
        message: `auth.require "${entry.key}" uses "method" => "digest", but auth.backend ${names} can only check "basic": lighttpd answers every request under "${entry.key}" with 500 ("auth.require "method" => "digest" invalid (try "basic"?)"). ${suggestion}`,
        file: at.file,
        start: at.start,
        end: at.end,
      });
      continue;
    }
    if (backends.length === 1) {
      const { b, info } = infos[0];
      if (info.userfile && !setNearby(config, ctx, info.userfile)) {
        const at = valueRange(b.setting.value, b.setting);
        context.report({
          message: `auth.backend "${b.name}" has no ${info.userfile} for auth.require "${entry.key}": mod_authn_file finds no user, so every login under "${entry.key}" fails with 401. Set ${info.userfile} to the password file`,
          file: where.file,
          start: where.start,
          end: where.end,
          related: [{ file: at.file, start: at.start, end: at.end, message: "the backend in effect" }],
        });
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: "auth-backend-mismatch",
    description: "An auth.require the auth.backend in effect cannot check (none set, digest with a basic-only backend, no userfile): every protected request fails",
    severity: "error",
    fixable: false,
    effect: "runtime",
  },
  check(context) {
    const { config } = context;
    // The backend may be set in what we could not read, or in the rest of the server's config.
    if (config.incomplete || config.snippet) return;
    const requires = settingsWithKey(config, "auth.require");
    if (requires.length === 0) return;
    const modules = effectiveModules(config, context.settings.lighttpdVersion);
    if (modules.unknown || !modules.loaded.includes("mod_auth")) return; // not loaded: module-not-loaded says so
    const externAuthn = settingsWithKey(config, "auth.extern-authn").some((s) => hasUnknown(s.setting.value) || toBool(s.setting.value) !== false);
    for (const { context: ctx, setting } of requires) check(context, ctx, setting, modules.loaded, externAuthn);
  },
};

export default rule;
