/**
 * The converter's middle: what a source config asks for, in lighttpd's terms (a Plan), the mapping
 * report's one entry shape, and the emitter that writes a Plan as lighttpd 1.4 config text.
 * Each source language (nginx.ts, lighttpd2.ts, htaccess.ts) reads its file into a Plan plus report
 * entries; nothing here knows a source language.
 */
import { printable } from "../format/printable.js";

export type MapStatus = "mapped" | "approximated" | "unsupported";

/** One source directive and what became of it (like caddy's nginx adapter's warnings, for every line). */
export interface ReportEntry {
  file: string;
  line: number;
  /** The directive as written (first words, shortened). */
  directive: string;
  status: MapStatus;
  /** mapped: what it became; approximated: why, and what differs at runtime; unsupported: what to do. */
  note: string;
}

export type BackendKind = "fastcgi" | "scgi" | "proxy";

export interface BackendHost {
  socket?: string;
  host?: string;
  port?: number;
}

/** A `fastcgi.server` / `scgi.server` / `proxy.server` entry. */
export interface Mount {
  kind: BackendKind;
  /** "/app" (prefix: SCRIPT_NAME=/app, PATH_INFO=rest), "/" (root) or ".php" (extension). */
  key: string;
  host: BackendHost;
  /** false: "check-local" => "disable" (the backend answers for paths that are not files). */
  checkLocal: boolean;
  /** "fix-root-scriptname" => "enable": a root mount gives SCRIPT_NAME "" and PATH_INFO = the path. */
  fixRootScriptname?: boolean;
  /** proxy.header "map-urlpath": the backend sees `to` instead of the prefix `from`. */
  mapUrlpath?: [string, string];
}

export interface Redirect {
  /** Matched against lighttpd's request target (url-encoded path plus "?query"). */
  regex: string;
  target: string;
  status: number;
}

export interface Rewrite {
  regex: string;
  target: string;
  /** url.rewrite-if-not-file (only when the path is not a regular file) instead of url.rewrite-once. */
  ifNotFile: boolean;
}

export interface Plan {
  docroot?: string;
  port?: number;
  bind?: string;
  indexFiles?: string[];
  redirects: Redirect[];
  rewrites: Rewrite[];
  /** alias.url: URL prefix => directory (served by lighttpd, never by a backend). */
  aliases: [string, string][];
  /** URL prefixes served as static files by lighttpd (aliases and docroot prefixes): kept off backends. */
  staticPrefixes: string[];
  mounts: Mount[];
  /** setenv.add-environment (extra FastCGI/SCGI parameters with literal values). */
  environment: [string, string][];
}

export function emptyPlan(): Plan {
  return { redirects: [], rewrites: [], aliases: [], staticPrefixes: [], mounts: [], environment: [] };
}

/**
 * A string literal of lighttpd 1.4's config grammar: `\"` is its only escape, every other backslash
 * is kept verbatim (configparser; reference/lighttpd-grammar.md), so regexes are written as they are.
 * Control characters from a hostile source never reach the config: they are shown as escapes.
 */
export function q(s: string): string {
  return `"${printable(s).replace(/"/g, '\\"')}"`;
}

/** A PCRE that matches `s` literally. */
export function reQuote(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === "/" ? c : `\\${c}`));
}

/** The modules a plan needs, in an order where redirects and rewrites run before backends (mod_* order = handler order). */
export function modulesOf(plan: Plan): string[] {
  const m: string[] = [];
  if (plan.aliases.length) m.push("mod_alias");
  if (plan.redirects.length) m.push("mod_redirect");
  if (plan.rewrites.length) m.push("mod_rewrite");
  if (plan.environment.length) m.push("mod_setenv");
  for (const kind of ["fastcgi", "scgi", "proxy"] as const) if (plan.mounts.some((x) => x.kind === kind)) m.push(`mod_${kind}`);
  return m;
}

function hostLines(mt: Mount, indent: string): string[] {
  const kv: string[] = [];
  if (mt.host.socket !== undefined) kv.push(`"socket" => ${q(mt.host.socket)}`);
  if (mt.host.host !== undefined) kv.push(`"host" => ${q(mt.host.host)}`);
  if (mt.host.port !== undefined) kv.push(`"port" => ${mt.host.port}`);
  if (mt.kind !== "proxy") kv.push(`"check-local" => ${q(mt.checkLocal ? "enable" : "disable")}`);
  if (mt.fixRootScriptname) kv.push(`"fix-root-scriptname" => "enable"`);
  return [`${indent}${q(mt.key)} => ((`, ...kv.map((l, i) => `${indent}  ${l}${i < kv.length - 1 ? "," : ""}`), `${indent}))`];
}

/** Backend keys, longest prefix first: lighttpd takes the first key that matches (gw_backend.c gw_check_extension). */
function orderedMounts(mounts: Mount[]): Mount[] {
  return [...mounts].sort((a, b) => {
    const pa = a.key.startsWith("/") ? 1 : 0;
    const pb = b.key.startsWith("/") ? 1 : 0;
    return pa - pb || b.key.length - a.key.length;
  });
}

export interface EmitOptions {
  full: boolean;
  /** Shown in a comment at the top. */
  source: string;
}

/** lighttpd 1.4 config text for a plan: a snippet to include, or (full) a config lighttpd can start with. */
export function emit(plan: Plan, opts: EmitOptions): string {
  const out: string[] = [`# converted by lighttpd-lint convert from ${opts.source}`, `# see the mapping report for what differs at runtime`];
  const modules = modulesOf(plan);
  // A snippet is included into a main config that may set the same keys: a second "=" makes
  // lighttpd refuse to start ("Duplicate config variable"), so values replace (:=) and lists append (+=).
  const set = opts.full ? "=" : ":=";
  const add = opts.full ? "=" : "+=";
  if (opts.full) {
    if (plan.docroot === undefined) out.push("# the source names no document root: Debian's default below, change it if yours differs");
    out.push(`server.document-root = ${q(plan.docroot ?? "/var/www/html")}`);
    out.push(`server.port = ${plan.port ?? 80}`);
    if (plan.bind) out.push(`server.bind = ${q(plan.bind)}`);
    out.push(`server.username = "www-data"`, `server.groupname = "www-data"`);
    out.push(`server.modules = (${modules.map(q).join(", ")})`);
    out.push(
      `mimetype.assign = (".html" => "text/html", ".css" => "text/css", ".js" => "text/javascript", ".txt" => "text/plain", ".json" => "application/json", ".png" => "image/png", ".svg" => "image/svg+xml")`,
    );
  } else {
    if (plan.docroot !== undefined) out.push(`server.document-root ${set} ${q(plan.docroot)}`);
    if (modules.length) out.push(`server.modules += (${modules.map(q).join(", ")})`);
  }
  if (plan.indexFiles?.length) out.push(`index-file.names ${set} (${plan.indexFiles.map(q).join(", ")})`);
  if (plan.aliases.length) {
    out.push(`alias.url ${add} (`);
    // longest prefix first: mod_alias takes the first match (alias-order)
    const sorted = [...plan.aliases].sort((a, b) => b[0].length - a[0].length);
    sorted.forEach(([k, v], i) => out.push(`  ${q(k)} => ${q(v)}${i < sorted.length - 1 ? "," : ""}`));
    out.push(")");
  }
  const statuses = new Set(plan.redirects.map((r) => r.status));
  if (statuses.size === 1) {
    out.push(`url.redirect ${add} (`);
    plan.redirects.forEach((r, i) => out.push(`  ${q(r.regex)} => ${q(r.target)}${i < plan.redirects.length - 1 ? "," : ""}`));
    out.push(")", `url.redirect-code ${set} ${[...statuses][0]}`);
  } else {
    // url.redirect-code is one value per condition block: one block per redirect, keyed on its own pattern.
    for (const r of plan.redirects)
      out.push(
        `$HTTP["url"] =~ ${q(r.regex.replace(/\(\?:\\\?\.\*\)\?\$$/, "$"))} {`,
        `  url.redirect = (${q(r.regex)} => ${q(r.target)})`,
        `  url.redirect-code = ${r.status}`,
        "}",
      );
  }
  for (const ifNotFile of [false, true]) {
    const rs = plan.rewrites.filter((r) => r.ifNotFile === ifNotFile);
    if (!rs.length) continue;
    out.push(`${ifNotFile ? "url.rewrite-if-not-file" : "url.rewrite-once"} ${add} (`);
    rs.forEach((r, i) => out.push(`  ${q(r.regex)} => ${q(r.target)}${i < rs.length - 1 ? "," : ""}`));
    out.push(")");
  }
  if (plan.environment.length) out.push(`setenv.add-environment ${add} (${plan.environment.map(([k, v]) => `${q(k)} => ${q(v)}`).join(", ")})`);
  // Static prefixes stay with lighttpd: a backend prefix mount would otherwise take them first
  // (backends claim prefix keys at uri_clean, before mod_alias maps the path: gw_backend.c).
  const prefixMounts = plan.mounts.some((m) => m.key.startsWith("/"));
  const guard =
    prefixMounts && plan.staticPrefixes.length
      ? `^(?:${[...plan.staticPrefixes]
          .sort((a, b) => b.length - a.length)
          .map(reQuote)
          .join("|")})`
      : undefined;
  const ind = guard ? "  " : "";
  if (guard) out.push(`$HTTP["url"] !~ ${q(guard)} {`);
  for (const kind of ["fastcgi", "scgi", "proxy"] as const) {
    const ms = orderedMounts(plan.mounts.filter((m) => m.kind === kind));
    if (!ms.length) continue;
    out.push(`${ind}${kind}.server ${add} (`);
    ms.forEach((m, i) => {
      const lines = hostLines(m, ind + "  ");
      if (i < ms.length - 1) lines[lines.length - 1] += ",";
      out.push(...lines);
    });
    out.push(`${ind})`);
    const maps = ms.filter((m) => m.mapUrlpath);
    if (kind === "proxy" && maps.length)
      out.push(`${ind}proxy.header ${set} ("map-urlpath" => (${maps.map((m) => `${q(m.mapUrlpath![0])} => ${q(m.mapUrlpath![1])}`).join(", ")}))`);
  }
  if (guard) out.push("}");
  return out.join("\n") + "\n";
}
