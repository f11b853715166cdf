/**
 * access-deny-bypass: a url.access-deny inside a `$HTTP["url"]` block that a url.rewrite-once (or
 * url.rewrite, url.rewrite-final) rewrites away before mod_access looks.
 *
 * How lighttpd 1.4.59-1.4.85 gets there: mod_rewrite's rules run in handle_uri_raw (mod_rewrite.c
 * mod_rewrite_uri_handler), and plugin.c puts every handle_uri_raw before every handle_uri_clean, so
 * they run before mod_access (handle_uri_clean) whatever the order of server.modules. A rewrite
 * returns HANDLER_COMEBACK; response.c http_response_comeback parses the new target into
 * r->uri.path and http_response_config resets the condition cache (config_cond_cache_reset), so
 * `$HTTP["url"]` is then the rewritten path. A deny on "^/admin/" no longer holds for
 * "/index.php/admin/x", and the backend behind index.php answers with REQUEST_URI "/admin/x"
 * (http_cgi.c: REQUEST_URI is r->target_orig): the application serves what the deny meant to block.
 * url.rewrite-if-not-file runs in handle_physical, after mod_access: it does not bypass a deny.
 *
 * Precision first: the rule looks for one example path the deny blocks, follows it through the
 * rewrite rules in effect (patterns run by src/schema/bounded-regex.ts, never by RegExp), and reports
 * only when every step is certain: the rewrite applies, the rewritten path is outside every deny
 * that may apply, and a backend (fastcgi/scgi/proxy/cgi) handles it.
 */
import type { Rule, RuleContext } from "../src/engine/types.js";
import type { ArrayItem, Context, EvaluatedConfig, Setting } from "../src/eval/model.js";
import { contextChain, hasUnknown, settingKeyRange, settingsNamed, settingsWithKey, stringOf } from "../src/engine/config-query.js";
import { encloses, exclusive } from "../src/engine/context-scope.js";
import { boundedMatch, regexExamples } from "../src/schema/bounded-regex.js";
import { effectiveModules } from "../src/schema/effective-modules.js";
import { stringList } from "../src/schema/values.js";

/** The keys mod_rewrite merges into the list it runs in handle_uri_raw (mod_rewrite_merge_config_cpv). */
const URI_RAW_REWRITE_KEYS = ["url.rewrite-once", "url.rewrite-final", "url.rewrite"];
const ALL_URI_RAW_REWRITE_KEYS = [...URI_RAW_REWRITE_KEYS, "url.rewrite-repeat"];

/** Fields whose value a rewrite does not change (the request path and query do change). */
const STABLE_FIELDS = new Set(["host", "remoteip", "remote-ip", "remote_ip", "socket", "scheme", "request-method", "useragent", "user-agent", "referer", "cookie", "language"]);

function stable(ctx: Context): boolean {
  const c = ctx.condition!;
  return c.object === "REQUEST_HEADER" || c.object === "SERVER" || STABLE_FIELDS.has(c.field.toLowerCase());
}

type Tri = boolean | undefined;

/**
 * Bounds on the work per deny: example paths tried, and rewrite rules followed for one path (each
 * pattern run is itself bounded by bounded-regex's step budget). A longer rewrite list is not followed.
 */
const MAX_EXAMPLES = 8;
const MAX_RULES = 64;

/** A `$HTTP["url"]` condition on a path, as lighttpd compares it (configfile-glue.c config_check_cond_nocache). */
function urlConditionHolds(ctx: Context, path: string): Tri {
  const c = ctx.condition!;
  const v = c.normalized ?? c.value;
  switch (c.op) {
    case "==":
      return path === v;
    case "!=":
      return path !== v;
    case "=^":
      return path.startsWith(v);
    case "!^":
      return !path.startsWith(v);
    case "=$":
      return path.endsWith(v);
    case "!$":
      return !path.endsWith(v);
    case "=~":
    case "!~": {
      const r = boundedMatch(c.value, path);
      if (r === undefined) return undefined;
      return c.op === "=~" ? r !== null : r === null;
    }
  }
}

function isUrl(ctx: Context): boolean {
  return ctx.condition?.object === "HTTP" && ctx.condition.field === "url";
}

/**
 * Whether block `other` holds for a request for `path` that reaches block `deny` (whose own blocks
 * hold): true, false, or undefined when it cannot be told.
 */
function holdsFor(other: Context, deny: Context, path: string): Tri {
  let result: Tri = true;
  for (const c of contextChain(other)) {
    if (!c.condition) continue;
    if (c.isElse || c.condition.unknown) return exclusive(other, deny) ? false : undefined;
    if (isUrl(c)) {
      const r = urlConditionHolds(c, path);
      if (r === false) return false;
      if (r === undefined) result = undefined;
    } else if (!encloses(c, deny)) {
      if (exclusive(other, deny)) return false;
      // A condition the deny's blocks do not decide (another host, a header): it may or may not hold.
      result = undefined;
    }
  }
  return result;
}

/** The paths to try: examples of the deny block's url conditions, ending with each denied suffix. */
function examplePaths(deny: Context, suffixes: string[]): string[] {
  const url = contextChain(deny).filter(isUrl);
  const seeds = new Set<string>();
  for (const c of url) {
    const cond = c.condition!;
    const v = cond.normalized ?? cond.value;
    if (cond.op === "==") seeds.add(v);
    else if (cond.op === "=^") seeds.add(v.endsWith("/") ? `${v}x` : `${v}/x`).add(v);
    else if (cond.op === "=$") seeds.add(`/x${v}`);
    else if (cond.op === "=~") for (const e of regexExamples(cond.value)) seeds.add(e.endsWith("/") ? `${e}x` : e).add(e);
    else seeds.add("/x/y"); // a negation: any path it does not name (checked below like every example)
  }
  const out = new Set<string>();
  for (const s of seeds) {
    for (const base of s.startsWith("/") ? [s] : [`/x${s}`, `/${s}`]) {
      for (const suffix of suffixes) out.add(base.endsWith(suffix) ? base : base + suffix);
    }
  }
  return [...out].filter((p) => /^\/[A-Za-z0-9._~\-/]*$/.test(p) && !/\/\.\.?(\/|$)|\/\//.test(p)).slice(0, MAX_EXAMPLES);
}

/** mod_access's suffix match of url.access-deny (mod_access.c mod_access_check, array_match_value_suffix). */
function denies(suffixes: string[], path: string): boolean {
  return suffixes.some((s) => path.endsWith(s));
}

interface Deny {
  context: Context;
  setting: Setting;
  suffixes: string[];
}

interface RewriteList {
  context: Context;
  items: { item: ArrayItem; key: string; pattern: string; target: string }[];
}

/** The uri_raw rewrite list of each block, as mod_rewrite builds it (once, final, rewrite in that order). */
function rewriteLists(config: EvaluatedConfig): RewriteList[] | undefined {
  const lists = new Map<Context, RewriteList>();
  for (const { context, setting } of settingsNamed(config, ...ALL_URI_RAW_REWRITE_KEYS)) {
    if (setting.key.toLowerCase() === "url.rewrite-repeat") return undefined; // repeat rules run again after a rewrite: not modelled
    if (setting.value.type !== "array" || hasUnknown(setting.value)) return undefined;
    const list = lists.get(context) ?? { context, items: [] };
    lists.set(context, list);
    for (const item of setting.value.items) {
      const target = stringOf(item.value);
      if (item.key === undefined || target === undefined) return undefined;
      list.items.push({ item, key: setting.key, pattern: item.key, target });
    }
  }
  for (const list of lists.values()) {
    const order = (k: string) => URI_RAW_REWRITE_KEYS.indexOf(k.toLowerCase());
    list.items.sort((a, b) => order(a.key) - order(b.key)); // stable: config order within a key
  }
  return [...lists.values()].sort((a, b) => a.context.id - b.context.id);
}

/** The rewrite target for `path` (pcre_keyvalue.c: $0-$9 are the rule's captures), or undefined when it depends on more. */
function substitute(target: string, groups: (string | undefined)[]): string | undefined {
  if (/[%\\]|\$\{/.test(target)) return undefined; // condition captures, ${url.*} forms, escapes
  return target.replace(/\$(\d)/g, (_, d: string) => groups[Number(d)] ?? "");
}

interface Bypass {
  path: string;
  /** The whole new target (path and query) and its path. */
  target: string;
  rewritten: string;
  rule: RewriteList["items"][number];
  handler: string;
}

interface BackendKey {
  /** For the message: `fastcgi.server ".php"`. */
  what: string;
  key: string;
  context: Context;
}

/** The settings whose keys route a path to a backend, and their module. */
const BACKEND_SETTINGS: [string, string][] = [
  ["fastcgi.server", "mod_fastcgi"],
  ["scgi.server", "mod_scgi"],
  ["proxy.server", "mod_proxy"],
  ["cgi.assign", "mod_cgi"],
];

/** Whether a backend takes the rewritten path: a "/prefix" key it starts with, or an extension of its file (before any path-info). */
function backendFor(path: string, deny: Context, keys: BackendKey[]): string | undefined {
  const prefixes = path.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  for (const k of keys) {
    if (holdsFor(k.context, deny, path) !== true) continue; // set in a block that may not hold for this request
    if (k.key.startsWith("/") ? path.startsWith(k.key) : prefixes.some((p) => p.length > 0 && p.endsWith(k.key))) return k.what;
  }
  return undefined;
}

function findBypass(deny: Deny, denials: Deny[], rewrites: RewriteList[], keys: BackendKey[]): Bypass | undefined {
  for (const path of examplePaths(deny.context, deny.suffixes)) {
    // The example is denied today: the deny's url conditions hold, its suffix matches, and no later
    // block that may hold sets another url.access-deny.
    if (contextChain(deny.context).some((c) => isUrl(c) && urlConditionHolds(c, path) !== true)) continue;
    if (!denies(deny.suffixes, path)) continue;
    if (denials.some((d) => d.context.id > deny.context.id && holdsFor(d.context, deny.context, path) !== false)) continue;
    // The rewrite list in effect for it: the last block that holds; a later one that may hold: cannot tell.
    let list: RewriteList | undefined;
    let unsure = false;
    for (const r of rewrites) {
      const h = holdsFor(r.context, deny.context, path);
      if (h === true) {
        list = r;
        unsure = false;
      } else if (h === undefined) unsure = true;
    }
    if (!list || unsure) continue;
    let hit: { rule: RewriteList["items"][number]; groups: (string | undefined)[] } | undefined;
    if (list.items.length > MAX_RULES) return undefined;
    for (const rule of list.items) {
      const m = boundedMatch(rule.pattern, path);
      if (m === undefined) break; // cannot tell whether this rule takes it
      if (m) {
        hit = { rule, groups: m.groups };
        break;
      }
    }
    if (!hit) continue;
    const target = substitute(hit.rule.target, hit.groups);
    if (!target?.startsWith("/")) continue;
    const rewritten = target.split("?")[0];
    if (rewritten === path || /%|\/\.\.?(\/|$)|\/\//.test(rewritten)) continue;
    // After the rewrite every deny that may hold for the new path must let it through.
    const deniedAfter = [deny, ...denials.filter((d) => d !== deny)].some((d) => {
      const h = holdsFor(d.context, deny.context, rewritten);
      return h !== false && denies(d.suffixes, rewritten);
    });
    if (deniedAfter) continue;
    const handler = backendFor(rewritten, deny.context, keys);
    if (!handler) continue; // a static file or a 404: the denied resource is not what is served
    return { path, target, rewritten, rule: hit.rule, handler };
  }
  return undefined;
}

/** A `|` outside any group or class (it would split the whole pattern). */
function topLevelBar(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

/** A first rewrite rule that keeps the denied paths as they are, when one follows from the condition. */
function keepRule(ctx: Context): string | undefined {
  const c = contextChain(ctx).filter(isUrl).pop()?.condition;
  if (!c) return undefined;
  const v = c.normalized ?? c.value;
  if (c.op === "=^") return `"^${v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*" => "$0"`;
  if (c.op === "=~" && c.value.startsWith("^") && !c.value.endsWith("$") && !topLevelBar(c.value)) return `"${c.value}.*" => "$0"`;
  return undefined;
}

function check(context: RuleContext): void {
  const { config } = context;
  if (config.incomplete || config.snippet) return;
  const modules = effectiveModules(config, context.settings.lighttpdVersion);
  if (modules.unknown || !modules.loaded.includes("mod_access") || !modules.loaded.includes("mod_rewrite")) return;
  // url.access-allow, when set, decides alone (mod_access_check): not modelled.
  if (settingsWithKey(config, "url.access-allow").length > 0) return;
  const denials: Deny[] = [];
  for (const { context: ctx, setting } of settingsWithKey(config, "url.access-deny")) {
    const suffixes = hasUnknown(setting.value) ? undefined : stringList(setting.value);
    if (!suffixes) return;
    denials.push({ context: ctx, setting, suffixes });
  }
  // Only a deny inside a $HTTP["url"] block can be rewritten away: most configs have none, and the
  // rewrite lists (every rule of a mass-hosting config) are then not gathered.
  if (!denials.some((d) => d.suffixes.length > 0 && contextChain(d.context).some(isUrl))) return;
  const rewrites = rewriteLists(config);
  if (!rewrites || rewrites.length === 0) return;
  const keys: BackendKey[] = [];
  for (const [key, module] of BACKEND_SETTINGS) {
    if (!modules.loaded.includes(module)) continue;
    for (const { context: ctx, setting } of settingsNamed(config, key)) {
      if (setting.value.type !== "array") continue;
      for (const i of setting.value.items) if (i.key !== undefined) keys.push({ what: `${key} "${i.key}"`, key: i.key, context: ctx });
    }
  }
  if (keys.length === 0) return;
  for (const deny of denials) {
    const chain = contextChain(deny.context);
    if (!chain.some(isUrl) || deny.suffixes.length === 0) continue;
    // A rewrite changes the path and the query; a condition on anything else stays as it was.
    if (chain.some((c) => c.condition && (c.isElse || c.condition.unknown || (!isUrl(c) && !stable(c))))) continue;
    const found = findBypass(deny, denials, rewrites, keys);
    if (!found) continue;
    const c = chain.filter(isUrl).pop()!.condition!;
    const written = `$HTTP["url"] ${c.writtenOp ?? c.op} "${c.value}"`;
    const keep = keepRule(deny.context);
    const where = settingKeyRange(deny.setting);
    const ruleAt = found.rule.item.keyOrigin;
    context.report({
      message:
        `url.access-deny in ${written} does not block "${found.path}": ${found.rule.key} rewrites it to "${found.target}" first, lighttpd then tests the condition on the rewritten path "${found.rewritten}", and ${found.handler} answers (its REQUEST_URI is still "${found.path}"). ` +
        `Keep these paths out of the rewrite${keep ? ` (a first rule ${keep} leaves them as they are)` : ""}, or deny them in the application`,
      file: where.file,
      start: where.start,
      end: where.end,
      related: ruleAt ? [{ file: ruleAt.file, start: ruleAt.start, end: ruleAt.end, message: "the rewrite rule that takes the request first" }] : undefined,
    });
  }
}

const rule: Rule = {
  meta: {
    id: "access-deny-bypass",
    description: 'A url.access-deny in a $HTTP["url"] block that url.rewrite-once rewrites away first: the backend serves the denied path',
    severity: "warning",
    fixable: false,
    effect: "risk",
  },
  check,
};

export default rule;
