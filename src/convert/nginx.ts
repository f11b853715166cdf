/**
 * nginx -> lighttpd: a tokenizer and block parser for nginx's config syntax, and a mapper for the
 * subset deployment guides use (FastCGI/SCGI/proxy locations, named locations reached by try_files,
 * static alias/root prefixes, return/rewrite redirects). Everything else is reported, never dropped.
 */
import { emptyPlan, reQuote, type BackendHost, type BackendKind, type Mount, type Plan, type ReportEntry } from "./plan.js";

export interface NginxDirective {
  name: string;
  args: string[];
  line: number;
  block?: NginxDirective[];
}

export class SourceSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

interface Token {
  text: string;
  /** `;`, `{`, `}` as punctuation (a quoted "{" is a word). */
  punct: boolean;
  line: number;
}

/** nginx's lexer (ngx_conf_file.c ngx_conf_read_token): words, quoted strings, `;` `{` `}`, `#` comments. */
export function tokenizeNginx(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "#") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === ";" || c === "{" || c === "}") {
      tokens.push({ text: c, punct: true, line });
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let s = "";
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < n && (text[i + 1] === c || text[i + 1] === "\\")) i++;
        if (text[i] === "\n") line++;
        s += text[i++];
      }
      if (i >= n) throw new SourceSyntaxError("unterminated quoted string", start);
      i++;
      tokens.push({ text: s, punct: false, line: start });
    } else {
      const start = i;
      let inVar = false;
      // `{` ends a word unless it opens ${var}, `}` unless it closes one (ngx_conf_read_token's variable flag)
      while (i < n && !/[\s;]/.test(text[i])) {
        const ch = text[i];
        if (ch === "{") {
          if (text[i - 1] !== "$" || i === start) break;
          inVar = true;
        } else if (ch === "}") {
          if (!inVar) break;
          inVar = false;
        } else if (ch === "\\" && i + 1 < n) i++;
        i++;
      }
      tokens.push({ text: text.slice(start, i), punct: false, line });
    }
  }
  return tokens;
}

const MAX_DEPTH = 32;

/** Directives with their blocks; a syntax error names its line. */
export function parseNginx(text: string): NginxDirective[] {
  const tokens = tokenizeNginx(text);
  let p = 0;
  const block = (depth: number, closing: boolean): NginxDirective[] => {
    if (depth > MAX_DEPTH) throw new SourceSyntaxError("blocks nested too deeply", tokens[p]?.line ?? 0);
    const out: NginxDirective[] = [];
    while (p < tokens.length) {
      const t = tokens[p];
      if (t.punct && t.text === "}") {
        if (!closing) throw new SourceSyntaxError('unexpected "}"', t.line);
        p++;
        return out;
      }
      if (t.punct) throw new SourceSyntaxError(`unexpected "${t.text}"`, t.line);
      const d: NginxDirective = { name: t.text, args: [], line: t.line };
      p++;
      while (p < tokens.length && !tokens[p].punct) d.args.push(tokens[p++].text);
      const end = tokens[p];
      if (!end) throw new SourceSyntaxError(`unexpected end of file, expecting ";" or "}"`, d.line);
      p++;
      if (end.text === "{") d.block = block(depth + 1, true);
      else if (end.text !== ";") throw new SourceSyntaxError(`unexpected "${end.text}"`, end.line);
      out.push(d);
    }
    if (closing) throw new SourceSyntaxError('unexpected end of file, expecting "}"', tokens[tokens.length - 1]?.line ?? 0);
    return out;
  };
  return block(0, false);
}

// ---------------------------------------------------------------------------------------------

function show(d: NginxDirective): string {
  const s = [d.name, ...d.args.map((a) => (/[\s;{}"']/.test(a) || a === "" ? JSON.stringify(a) : a))].join(" ");
  return (s.length > 80 ? s.slice(0, 77) + "..." : s) + (d.block ? " { ... }" : ";");
}

/** Parses `unix:/path`, `host:port`, `[v6]:port`, `http://host:port/uri` into a backend address. */
export function parseAddress(addr: string, defaultPort?: number): BackendHost | undefined {
  if (addr.startsWith("unix:")) {
    const p = addr.slice(5).replace(/:$/, "");
    return p.startsWith("/") ? { socket: p } : undefined;
  }
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(addr);
  if (!m) return undefined;
  const port = m[2] !== undefined ? Number(m[2]) : defaultPort;
  if (port === undefined || port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ""), port };
}

/** `$var` in a redirect target -> lighttpd's url.redirect substitutions (mod_redirect, http-header-glue). */
const REDIRECT_VARS: Record<string, string> = {
  scheme: "${url.scheme}",
  host: "${url.authority}",
  http_host: "${url.authority}",
  uri: "${url.path}",
  document_uri: "${url.path}",
  args: "${url.query}",
  query_string: "${url.query}",
  request_uri: "$1", // the redirect patterns below capture the whole request target as $1
};

function redirectTarget(url: string): { target: string; unknown: string[] } {
  const unknown: string[] = [];
  const target = url.replace(/\$is_args\$args/g, "${qsa}").replace(/\$\{?([a-z_]+)\}?/g, (m, v: string) => {
    if (m === "${qsa}") return m;
    const r = REDIRECT_VARS[v];
    if (!r) unknown.push(m);
    return r ?? m;
  });
  return { target, unknown };
}

interface Ctx {
  file: string;
  plan: Plan;
  report: ReportEntry[];
  named: Map<string, NginxDirective>;
  usedNamed: Set<string>;
}

function rep(ctx: Ctx, d: NginxDirective, status: ReportEntry["status"], note: string): void {
  ctx.report.push({ file: ctx.file, line: d.line, directive: show(d), status, note });
}

/** Directives lighttpd needs no counterpart for (handled, or the default already). */
const NO_COUNTERPART: Record<string, string> = {
  worker_connections: "lighttpd sizes its connection table itself (server.max-connections if you must)",
  sendfile: "lighttpd uses sendfile by default",
  tcp_nopush: "no lighttpd setting; not needed",
  tcp_nodelay: "no lighttpd setting; not needed",
  keepalive_timeout: "lighttpd: server.max-keep-alive-idle (default 5 s) — set it if the value matters",
  default_type: 'lighttpd: mimetype.assign ("" => type) — the emitted config keeps lighttpd\'s default',
  fastcgi_index: "lighttpd does not append an index to FastCGI paths; index-file.names covers directories",
};

export function convertNginx(text: string, file: string): { plan: Plan; report: ReportEntry[] } {
  const ctx: Ctx = { file, plan: emptyPlan(), report: [], named: new Map(), usedNamed: new Set() };
  const top = parseNginx(text);
  let servers = 0;
  const visitMain = (list: NginxDirective[], inHttp: boolean) => {
    // a bare list of server directives (a conf.d snippet) is one server
    if (!inHttp && !list.some((d) => d.name === "http" || d.name === "server") && list.some((d) => d.name === "location")) {
      serverBlock(ctx, list);
      return;
    }
    for (const d of list) {
      if (d.name === "http" && d.block) {
        rep(ctx, d, "mapped", "its server block is converted below");
        visitMain(d.block, true);
      } else if (d.name === "events") {
        rep(ctx, d, "mapped", "no counterpart needed: lighttpd is event-driven with its own defaults");
      } else if (d.name === "server" && d.block) {
        servers++;
        if (servers > 1)
          rep(ctx, d, "unsupported", 'only the first server block is converted; convert this one separately and put it under a $HTTP["host"] or $SERVER["socket"] condition');
        else {
          rep(ctx, d, "mapped", "the lighttpd config below");
          serverBlock(ctx, d.block);
        }
      } else if (d.name === "user") {
        rep(ctx, d, "mapped", `server.username = "${d.args[0] ?? ""}" (set in the --full config)`);
      } else if (d.name === "worker_processes" || d.name === "pid" || d.name === "daemon" || d.name === "master_process") {
        rep(ctx, d, "approximated", "process management differs: lighttpd runs one process (server.pid-file / systemd); nothing emitted");
      } else if (d.name === "include" && /(^|\/)mime\.types$/.test(d.args[0] ?? "")) {
        rep(ctx, d, "approximated", "lighttpd's mimetype.assign: Debian's lighttpd loads /usr/share/lighttpd/create-mime.conf.pl; the --full config has a short list");
      } else simpleDirective(ctx, d);
    }
  };
  visitMain(top, false);
  for (const [name, d] of ctx.named)
    if (!ctx.usedNamed.has(name)) rep(ctx, d, "unsupported", "this named location is reached only by error_page or a rewrite, which are not converted; map its backend by hand");
  return { plan: ctx.plan, report: ctx.report.sort((a, b) => a.line - b.line) };
}

/** Directives valid in http, server and location alike. */
function simpleDirective(ctx: Ctx, d: NginxDirective): void {
  const a = d.args;
  switch (d.name) {
    case "root":
      ctx.plan.docroot = a[0];
      rep(ctx, d, "mapped", `server.document-root = "${a[0]}"`);
      return;
    case "index":
      ctx.plan.indexFiles = a;
      rep(ctx, d, "mapped", `index-file.names = (${a.map((x) => `"${x}"`).join(", ")})`);
      return;
    case "client_max_body_size": {
      const m = /^(\d+)([kKmMgG]?)$/.exec(a[0] ?? "");
      if (m) {
        const kb = Number(m[1]) * ({ "": 1 / 1024, k: 1, m: 1024, g: 1024 * 1024 }[m[2].toLowerCase()] ?? 1);
        rep(ctx, d, "approximated", `lighttpd: server.max-request-size = ${Math.ceil(kb)} (KB) — not emitted; add it to the server scope`);
      } else rep(ctx, d, "unsupported", "unreadable size; set server.max-request-size (KB) by hand");
      return;
    }
    case "access_log":
      rep(
        ctx,
        d,
        a[0] === "off" ? "mapped" : "approximated",
        a[0] === "off"
          ? "lighttpd logs no access unless mod_accesslog is loaded"
          : `lighttpd: mod_accesslog with accesslog.filename = "${a[0]}" (its default format is the combined log format); not emitted`,
      );
      return;
    case "error_log":
      rep(ctx, d, "approximated", `lighttpd: server.errorlog = "${a[0]}" (no log levels); not emitted`);
      return;
    case "server_name":
      rep(ctx, d, "approximated", `the converted config answers for every host; put it under $HTTP["host"] == "${a[0] ?? ""}" if other sites share this lighttpd`);
      return;
    case "charset":
      rep(ctx, d, "approximated", `lighttpd: add "; charset=${a[0]}" to the text types in mimetype.assign; not emitted`);
      return;
  }
  if (d.name in NO_COUNTERPART) return rep(ctx, d, "mapped", NO_COUNTERPART[d.name]);
  rep(
    ctx,
    d,
    "unsupported",
    "no converter for this directive: find the lighttpd counterpart in docs (https://redmine.lighttpd.net/projects/lighttpd/wiki/Docs_ConfigurationOptions) and add it by hand",
  );
}

function serverBlock(ctx: Ctx, list: NginxDirective[]): void {
  for (const d of list) if (d.name === "location" && d.args[0]?.startsWith("@") && d.block) ctx.named.set(d.args[0], d);
  // Static prefixes first: backends mounted by other locations must stay off them.
  for (const d of list) {
    if (d.name === "listen") listen(ctx, d);
    else if (d.name === "location") location(ctx, d);
    else if (d.name === "return") redirect(ctx, d, "^(.*)$", "");
    else if (d.name === "rewrite") rewrite(ctx, d);
    else if (d.name === "try_files") rep(ctx, d, "unsupported", "try_files outside a location: put it in a location / block (then it converts to url.rewrite-if-not-file)");
    else simpleDirective(ctx, d);
  }
}

function listen(ctx: Ctx, d: NginxDirective): void {
  const [addr, ...flags] = d.args;
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+|\*|localhost):)?(\d{1,5})$/.exec(addr ?? "");
  const extra = flags.filter((f) => f !== "default_server" && f !== "default");
  if (!m) return rep(ctx, d, "unsupported", "only `listen [address:]port` converts: set server.port / server.bind by hand");
  ctx.plan.port = Number(m[2]);
  if (m[1] && m[1] !== "*") ctx.plan.bind = m[1].replace(/^\[|\]$/g, "");
  if (extra.length) return rep(ctx, d, "unsupported", `listen flags ${extra.join(" ")} are not converted (TLS: $SERVER["socket"] == ":443" { ssl.engine = "enable" ... })`);
  rep(ctx, d, "mapped", `server.port = ${m[2]}${ctx.plan.bind ? `, server.bind = "${ctx.plan.bind}"` : ""} (in the --full config)`);
}

/** The location's prefix without a trailing slash (lighttpd's prefix keys; "/" stays "/"). */
const mountKey = (prefix: string) => (prefix.length > 1 ? prefix.replace(/\/+$/, "") || "/" : prefix);

function location(ctx: Ctx, d: NginxDirective): void {
  const args = d.args;
  const body = d.block ?? [];
  let mod = "";
  let uri = args[0] ?? "";
  if (args.length === 2) [mod, uri] = args;
  if (uri.startsWith("@")) return; // reached through try_files (below), or reported as unused
  const inner = body.filter((x) => x.name !== "location");
  for (const x of body) if (x.name === "location") rep(ctx, x, "unsupported", "nested locations are not converted: write them as separate top-level locations");

  if (mod === "=") {
    const ret = inner.find((x) => x.name === "return");
    if (ret && inner.length === 1) {
      rep(ctx, d, "mapped", `exact match on ${uri} (the redirect's pattern matches this path with any query string)`);
      return redirect(ctx, ret, `^(${reQuote(uri)}(?:\\?.*)?)$`, uri);
    }
    const rw = inner.find((x) => x.name === "rewrite");
    if (rw && inner.length === 1 && exactRewrite(ctx, rw, uri)) {
      rep(ctx, d, "mapped", `exact match on ${uri} (the rewrite's pattern matches this path with any query string)`);
      return;
    }
    rep(
      ctx,
      d,
      "unsupported",
      'exact-match locations convert only when they hold a single return, or a rewrite of the whole path to a plain path; write a $HTTP["url"] == "..." condition by hand',
    );
    return;
  }
  if (mod === "~" || mod === "~*") return regexLocation(ctx, d, uri, inner);
  if (mod !== "" && mod !== "^~") return rep(ctx, d, "unsupported", `location modifier ${mod} is not converted`);
  rep(ctx, d, "mapped", `URL prefix ${uri}${mod === "^~" ? " (^~: lighttpd has no regex locations competing here)" : ""}`);

  const alias = inner.find((x) => x.name === "alias");
  const root = inner.find((x) => x.name === "root");
  const backend = inner.find((x) => /^(fastcgi|scgi|proxy)_pass$/.test(x.name));
  const tryFiles = inner.find((x) => x.name === "try_files");
  const ret = inner.find((x) => x.name === "return");
  const handled = new Set<NginxDirective>();
  if (ret) {
    handled.add(ret);
    redirect(ctx, ret, `^(${reQuote(uri)}.*)$`, uri);
  }
  if (alias) {
    handled.add(alias);
    ctx.plan.aliases.push([uri, alias.args[0]]);
    ctx.plan.staticPrefixes.push(uri);
    rep(ctx, alias, "mapped", `alias.url = ("${uri}" => "${alias.args[0]}"): the prefix is replaced as nginx does, served by lighttpd, kept off backends`);
  } else if (root && !backend && !tryFiles) {
    handled.add(root);
    const dir = root.args[0].replace(/\/+$/, "") + uri;
    ctx.plan.aliases.push([uri, dir]);
    ctx.plan.staticPrefixes.push(uri);
    rep(ctx, root, "mapped", `alias.url = ("${uri}" => "${dir}"): nginx appends the full URI to root; served by lighttpd, kept off backends`);
  }
  if (root && !handled.has(root)) {
    handled.add(root);
    rep(
      ctx,
      root,
      "approximated",
      `nginx looks for files under ${root.args[0]}${uri} here; the converted config serves this prefix from the backend (lighttpd's files come from server.document-root or alias.url)`,
    );
  }
  if (tryFiles) {
    handled.add(tryFiles);
    tryFilesIn(ctx, tryFiles, uri);
  }
  if (backend) backendBlock(ctx, inner, uri, handled, false);
  for (const x of inner) if (!handled.has(x)) simpleDirective(ctx, x);
}

/**
 * `location = /app { rewrite ^ /app/ last; }` (the Flask guide's way to add the slash without a
 * redirect): url.rewrite-once on exactly that path, keeping the query string. lighttpd, like nginx,
 * keeps REQUEST_URI the original request (http_cgi.c uses target_orig). False when not this shape.
 */
function exactRewrite(ctx: Ctx, d: NginxDirective, uri: string): boolean {
  const [re, repl, flag] = d.args;
  const whole = re !== undefined && ["^", ".*", "^.*$", "^(.*)$", "(.*)", `^${reQuote(uri)}$`, `^${uri}$`].includes(re);
  if (!whole || repl === undefined || !/^\/[^?$%]*$/.test(repl)) return false;
  const regex = `^${reQuote(uri)}(\\?.*)?$`;
  if (flag === "permanent" || flag === "redirect") {
    const status = flag === "permanent" ? 301 : 302;
    ctx.plan.redirects.push({ regex, target: `${repl}$1`, status });
    rep(
      ctx,
      d,
      "approximated",
      `url.redirect = ("${regex}" => "${repl}$1") with url.redirect-code = ${status}, the query string kept as nginx keeps it. Differs: lighttpd sends Location: ${repl} as written, nginx an absolute URL`,
    );
    return true;
  }
  if (flag !== undefined && flag !== "last" && flag !== "break") return false;
  ctx.plan.rewrites.push({ regex, target: `${repl}$1`, ifNotFile: false });
  rep(
    ctx,
    d,
    "mapped",
    `url.rewrite-once = ("${regex}" => "${repl}$1"): an internal rewrite as in nginx; the backend sees ${repl} (SCRIPT_NAME/PATH_INFO), REQUEST_URI stays the original request in both, the query string is kept`,
  );
  return true;
}

/** `try_files $uri [$uri/] @name` (backend fallback) or `... /index.php?$args` (front controller). */
function tryFilesIn(ctx: Ctx, d: NginxDirective, prefix: string): void {
  const a = d.args;
  const last = a[a.length - 1] ?? "";
  const checks = a.slice(0, -1);
  const known = checks.every((c) => c === "$uri" || c === "$uri/");
  if (!known) return rep(ctx, d, "unsupported", "only try_files $uri [$uri/] followed by @name or /script converts: map other file checks by hand");
  if (last.startsWith("@")) {
    const named = ctx.named.get(last);
    if (!named) return rep(ctx, d, "unsupported", `no location ${last} in this file`);
    ctx.usedNamed.add(last);
    rep(
      ctx,
      d,
      "approximated",
      `the backend of ${last} is mounted at ${mountKey(prefix)}. Differs: nginx first serves files that exist below its root${prefix}, lighttpd sends every ${prefix} request to the backend (except the static prefixes converted here) — lighttpd 1.4 cannot route on file existence before a prefix backend; move such files under a static prefix`,
    );
    rep(ctx, named, "mapped", `named location ${last}: its directives configure the backend mounted at ${mountKey(prefix)}`);
    const handled = new Set<NginxDirective>();
    const inner = (named.block ?? []).filter((x) => x.name !== "location");
    backendBlock(ctx, inner, prefix, handled, true);
    for (const x of inner) if (!handled.has(x)) simpleDirective(ctx, x);
    return;
  }
  if (last === "=404") {
    return rep(ctx, d, "mapped", "lighttpd answers 404 for missing files itself");
  }
  const m = /^(\/[^?$]*)(\?\$args|\?\$query_string|\$is_args\$args)?$/.exec(last);
  if (!m) return rep(ctx, d, "unsupported", "the fallback URI is not a plain path (with ?$args): write url.rewrite-if-not-file by hand");
  const prefixRe = prefix === "/" ? "^/" : `^${reQuote(prefix)}`;
  // lighttpd matches rewrites against the request target with its query string: keep the query as $1.
  const regex = `${prefixRe}[^?]*(?:\\?(.*))?$`;
  const target = m[2] ? `${m[1]}?$1` : m[1];
  ctx.plan.rewrites.push({ regex, target, ifNotFile: true });
  const dirs = checks.includes("$uri/");
  rep(
    ctx,
    d,
    dirs ? "approximated" : "mapped",
    `url.rewrite-if-not-file = ("${regex}" => "${target}")${dirs ? ". Differs: lighttpd 1.4 also rewrites existing directories (mod_rewrite.c skips regular files only), nginx serves them via $uri/ (index or 403)" : ""}${m[2] ? "" : ". The query string is dropped as nginx does for a fallback without $args"}`,
  );
}

/** `location ~ \.php$ { fastcgi_pass ...; }` -> an extension mount. */
function regexLocation(ctx: Ctx, d: NginxDirective, re: string, inner: NginxDirective[]): void {
  const ext = /^\\(\.[A-Za-z0-9]+)\$$/.exec(re) ?? /^\\(\.[A-Za-z0-9]+)\(\/\|\$\)$/.exec(re) ?? /^\^\(\.\+\\(\.[A-Za-z0-9]+)\)\(\/\.\+\)\$$/.exec(re);
  const backend = inner.find((x) => /^(fastcgi|scgi|proxy)_pass$/.test(x.name));
  if (!ext || !backend) return rep(ctx, d, "unsupported", 'regex locations convert only as `~ \\.ext$` with a backend; write a $HTTP["url"] =~ condition by hand');
  const tf = inner.find((x) => x.name === "try_files");
  rep(
    ctx,
    d,
    tf && tf.args.join(" ") === "$uri =404" ? "mapped" : "approximated",
    `extension mount "${ext[1]}" with check-local enabled: lighttpd answers 404 itself when the script file does not exist${tf ? "" : " (nginx passes such requests to the backend)"}; lighttpd splits PATH_INFO after an existing script file`,
  );
  if (tf) rep(ctx, tf, tf.args.join(" ") === "$uri =404" ? "mapped" : "approximated", "check-local: lighttpd answers 404 itself when the script file does not exist");
  const handled = new Set<NginxDirective>(tf ? [tf] : []);
  backendBlock(ctx, inner, ext[1], handled, false);
  for (const x of inner) if (!handled.has(x)) simpleDirective(ctx, x);
}

/** The backend directives of a location: pass, params, split. Adds a mount at `prefix` (or an extension). */
function backendBlock(ctx: Ctx, inner: NginxDirective[], prefix: string, handled: Set<NginxDirective>, viaTryFiles: boolean): void {
  const pass = inner.find((x) => /^(fastcgi|scgi|proxy)_pass$/.test(x.name));
  if (!pass) return;
  const kind = pass.name.replace(/_pass$/, "") as BackendKind;
  handled.add(pass);
  const ext = prefix.startsWith(".");
  const key = ext ? prefix : mountKey(prefix);
  const mount: Mount = { kind, key, host: {}, checkLocal: ext };
  let addr = pass.args[0] ?? "";
  let mapTo: string | undefined;
  if (kind === "proxy") {
    const m = /^(https?):\/\/(unix:[^:]+:|[^/]+)(\/.*)?$/.exec(addr);
    if (!m) return rep(ctx, pass, "unsupported", "proxy_pass needs http://host:port[/uri] (variables and upstream names are not converted)");
    if (m[1] === "https") return rep(ctx, pass, "unsupported", "lighttpd's mod_proxy does not speak TLS to backends: put the backend on plain HTTP (or a local socket)");
    addr = m[2];
    if (m[3] !== undefined) mapTo = m[3];
  }
  const host = parseAddress(addr, kind === "proxy" ? 80 : undefined);
  if (!host) return rep(ctx, pass, "unsupported", `${pass.name} ${addr}: only unix:/path and host:port convert (upstream blocks: list their servers as hosts by hand)`);
  mount.host = host;
  if (mapTo !== undefined && !ext && mapTo !== prefix) mount.mapUrlpath = [prefix, mapTo];
  if (!ext && key !== prefix && kind !== "proxy") {
    // a key ending in "/" would make lighttpd split SCRIPT_NAME at the next segment (gw_backend.c)
    rep(
      ctx,
      pass,
      "approximated",
      `mounted at "${key}" (without the slash, so that SCRIPT_NAME is ${key}): lighttpd also sends ${key} itself and ${key}X... to this backend, which nginx's location ${prefix} does not`,
    );
  }

  // Parameters: what the backend receives as SCRIPT_NAME / PATH_INFO.
  const params = new Map<string, NginxDirective>();
  let split: string | undefined;
  for (const x of inner) {
    if (x.name === "include" && /(^|\/)(fastcgi_params|fastcgi\.conf|scgi_params|proxy_params|uwsgi_params)$/.test(x.args[0] ?? "")) {
      handled.add(x);
      rep(ctx, x, "mapped", "lighttpd sends the standard CGI parameters (REQUEST_METHOD, QUERY_STRING, REQUEST_URI, CONTENT_*, SERVER_*, REMOTE_*, ...) itself");
    } else if (x.name === "fastcgi_split_path_info") {
      handled.add(x);
      const m = /^\^\((\/[^()\\^$.*+?[\]{}|]*)\)\(\.\*\)\$$/.exec(x.args[0] ?? "");
      split = m?.[1];
      if (split !== undefined && !ext && mountKey(split) === key) {
        rep(
          ctx,
          x,
          "approximated",
          `lighttpd's prefix mount "${key}" with check-local disabled splits the same way: SCRIPT_NAME=${key}, PATH_INFO=the rest (gw_backend.c). Differs only for ${key}X/... (a longer word, no slash): lighttpd takes SCRIPT_NAME=${key}X up to the next "/"`,
        );
      } else if (ext && /\\\.[A-Za-z0-9]+\)\(\/\.\+\)\$$|\)\(\/\.\*\)\$$/.test(x.args[0] ?? "")) {
        rep(ctx, x, "mapped", `lighttpd splits PATH_INFO after the existing ${key} script file itself`);
      } else {
        rep(ctx, x, "approximated", `lighttpd splits SCRIPT_NAME/PATH_INFO at the mount "${key}" (and the next "/"), not by this regex; check what your app receives`);
      }
    } else if (x.name === `${kind}_param`) {
      handled.add(x);
      params.set(x.args[0] ?? "", x);
    } else if (x.name === "proxy_set_header") {
      handled.add(x);
      const h = (x.args[0] ?? "").toLowerCase();
      const v = x.args[1] ?? "";
      if (h === "host" && v === "$http_host") rep(ctx, x, "mapped", "lighttpd's mod_proxy passes the client's Host header unchanged");
      else if (h === "host" && v === "$host")
        rep(
          ctx,
          x,
          "approximated",
          "lighttpd's mod_proxy passes the client's Host header unchanged, port included; nginx's $host drops the port (and falls back to server_name without a Host header)",
        );
      else if (h === "x-forwarded-for" || h === "x-forwarded-proto" || h === "x-forwarded-host")
        rep(
          ctx,
          x,
          "mapped",
          "lighttpd's mod_proxy adds X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host itself (X-Forwarded-For lists only the client, not a prior chain)",
        );
      else if (h === "x-real-ip") rep(ctx, x, "approximated", "lighttpd sends no X-Real-IP; the backend can read X-Forwarded-For instead");
      else rep(ctx, x, "unsupported", "extra request headers to the backend: set them with mod_setenv setenv.add-request-header by hand");
    } else if (/^(proxy|fastcgi|scgi)_(read|connect|send)_timeout$|^proxy_http_version$|^proxy_buffering$/.test(x.name)) {
      handled.add(x);
      rep(
        ctx,
        x,
        "approximated",
        'lighttpd has its own backend timeouts and buffering (server.max-read-idle, *.server "connect-timeout"/"read-timeout" since 1.4.62; proxy uses HTTP/1.1 to the backend); nothing emitted',
      );
    }
  }
  const val = (name: string) => params.get(name)?.args[1];
  const sn = params.get("SCRIPT_NAME");
  const pi = params.get("PATH_INFO");
  const rootMount = key === "/";
  if (kind === "fastcgi" || kind === "scgi") {
    if (sn && val("SCRIPT_NAME") === "" && rootMount) {
      mount.fixRootScriptname = true;
      rep(ctx, sn, "mapped", `"fix-root-scriptname" => "enable": lighttpd's root mount gives SCRIPT_NAME "" and PATH_INFO = the whole path`);
      if (pi)
        rep(ctx, pi, val("PATH_INFO") === "$fastcgi_script_name" || val("PATH_INFO") === "$uri" ? "mapped" : "approximated", "PATH_INFO = the whole path (fix-root-scriptname)");
    } else if (sn && val("SCRIPT_NAME") === "$fastcgi_script_name" && split !== undefined && mountKey(split) === key) {
      rep(ctx, sn, "mapped", `SCRIPT_NAME = ${key} (the prefix mount)`);
      if (pi) rep(ctx, pi, val("PATH_INFO") === "$fastcgi_path_info" ? "mapped" : "approximated", `PATH_INFO = the path after ${key}`);
    } else {
      for (const p of [sn, pi])
        if (p)
          rep(
            ctx,
            p,
            "approximated",
            ext
              ? `lighttpd sets ${p.args[0]} from the script file it finds (SCRIPT_NAME = path up to ${key}, PATH_INFO = the rest)`
              : rootMount
                ? `lighttpd sets ${p.args[0]} itself: without fix-root-scriptname SCRIPT_NAME = the path's first segment, PATH_INFO = the rest`
                : `lighttpd sets ${p.args[0]} itself: SCRIPT_NAME = ${key}, PATH_INFO = the rest of the path`,
          );
      if (!sn && !ext && kind === "scgi")
        rep(
          ctx,
          pass,
          "approximated",
          `nginx's scgi_params sends no SCRIPT_NAME or PATH_INFO; lighttpd sends SCRIPT_NAME = ${key} and PATH_INFO = the rest (REQUEST_URI is the same)`,
        );
      else if (!sn && !ext)
        rep(
          ctx,
          pass,
          "approximated",
          `nginx sends SCRIPT_NAME = the whole path (fastcgi_params) and no PATH_INFO; lighttpd sends SCRIPT_NAME = ${key} and PATH_INFO = the rest${rootMount ? " (root mount: SCRIPT_NAME = the first path segment unless fix-root-scriptname)" : ""}`,
        );
    }
    for (const [name, p] of params) {
      if (name === "SCRIPT_NAME" || name === "PATH_INFO") continue;
      const v = p.args[1] ?? "";
      if (name === "SCRIPT_FILENAME" && /^(\$document_root|\$realpath_root)\$fastcgi_script_name$/.test(v))
        rep(
          ctx,
          p,
          ext ? "mapped" : "approximated",
          ext ? "lighttpd sets SCRIPT_FILENAME to document root + script path itself" : `lighttpd sets SCRIPT_FILENAME to document root + ${key}`,
        );
      else if (
        /^(QUERY_STRING|REQUEST_METHOD|CONTENT_TYPE|CONTENT_LENGTH|REQUEST_URI|DOCUMENT_URI|DOCUMENT_ROOT|SERVER_PROTOCOL|REMOTE_ADDR|REMOTE_PORT|SERVER_ADDR|SERVER_PORT|SERVER_NAME|HTTPS|GATEWAY_INTERFACE|SERVER_SOFTWARE|REDIRECT_STATUS)$/.test(
          name,
        )
      )
        rep(ctx, p, "mapped", "lighttpd sends this parameter itself");
      else if (!v.includes("$")) {
        ctx.plan.environment.push([name, v]);
        rep(ctx, p, "mapped", `setenv.add-environment ("${name}" => "${v}")`);
      } else rep(ctx, p, "unsupported", "a parameter built from nginx variables: compute it in the app, or set a fixed value with setenv.add-environment");
    }
  } else {
    for (const [, p] of params) rep(ctx, p, "unsupported", "proxy parameters are not converted");
  }
  if (kind === "proxy" && !inner.some((x) => x.name === "proxy_set_header" && /^host$/i.test(x.args[0] ?? ""))) {
    rep(
      ctx,
      pass,
      "approximated",
      `Host header: nginx sends the backend's address (${addr}, $proxy_host) unless proxy_set_header Host is set; lighttpd's mod_proxy passes the client's Host header`,
    );
  }
  if (kind === "proxy") {
    rep(
      ctx,
      pass,
      "mapped",
      `proxy.server = ("${key}" => ((${host.socket ? `"socket" => "${host.socket}"` : `"host" => "${host.host}", "port" => ${host.port}`})))${mount.mapUrlpath ? `, proxy.header "map-urlpath" ${prefix} => ${mapTo} (nginx replaces the location prefix by the URI part)` : ""}`,
    );
  } else {
    rep(
      ctx,
      pass,
      "mapped",
      `${kind}.server = ("${key}" => ((${host.socket ? `"socket" => "${host.socket}"` : `"host" => "${host.host}", "port" => ${host.port}`}, "check-local" => "${mount.checkLocal ? "enable" : "disable"}"${mount.fixRootScriptname ? ', "fix-root-scriptname" => "enable"' : ""}))): ${ext ? "requests for existing *" + key + " files" : "every request below " + key}${viaTryFiles ? " (the try_files fallback)" : ""}. lighttpd does not start this backend: run it as before (spawn-fcgi, systemd)`,
    );
  }
  ctx.plan.mounts.push(mount);
}

/** `return CODE URL` / `return URL` -> url.redirect with url.redirect-code. `regex` captures the request target as $1. */
function redirect(ctx: Ctx, d: NginxDirective, regex: string, _where: string): void {
  let [code, url] = d.args;
  if (url === undefined && code !== undefined && !/^\d+$/.test(code)) [code, url] = ["302", code];
  const status = Number(code);
  if (![301, 302, 303, 307, 308].includes(status) || url === undefined) {
    return rep(
      ctx,
      d,
      "unsupported",
      status >= 400 && status < 600
        ? `a fixed ${status} answer: lighttpd 1.4 has no direct counterpart (mod_access url.access-deny gives 403; since 1.4.?? a \`\`$HTTP["url"]\`\` block with url.access-deny); write it by hand`
        : "only redirects (301/302/303/307/308 with a URL) convert",
    );
  }
  const { target, unknown } = redirectTarget(url);
  if (unknown.length)
    return rep(
      ctx,
      d,
      "unsupported",
      `variables ${unknown.join(" ")} have no url.redirect counterpart: write the target by hand (lighttpd offers $1..$9, %1..%9, \${url.scheme}, \${url.authority}, \${url.path}, \${url.query}, \${qsa})`,
    );
  if (/%\d/.test(target) || /\$\d/.test(url))
    return rep(ctx, d, "unsupported", "the target has % or $ followed by a digit, which url.redirect reads as a capture: write it by hand");
  ctx.plan.redirects.push({ regex, target, status });
  const absolute = /^[a-z]+:\/\//i.test(target) || target.startsWith("${url.scheme}");
  rep(
    ctx,
    d,
    absolute ? "mapped" : "approximated",
    `url.redirect = ("${regex}" => "${target}") with url.redirect-code = ${status}${absolute ? "" : `. Differs: lighttpd sends Location: ${target} as written, nginx makes it absolute (http://host${target}) unless absolute_redirect off; clients treat both alike`}${url.includes("$args") || url.includes("$request_uri") ? "" : ". The query string is dropped, as nginx does"}`,
  );
}

/** `rewrite REGEX REPLACEMENT [flag]`. */
function rewrite(ctx: Ctx, d: NginxDirective): void {
  const [re, repl, flag] = d.args;
  if (!re || !repl) return rep(ctx, d, "unsupported", "rewrite needs a regex and a replacement");
  if (/\$[a-z_{]/.test(repl)) return rep(ctx, d, "unsupported", "nginx variables in the replacement: write url.rewrite / url.redirect by hand");
  // nginx matches the decoded path without query; lighttpd the encoded target with "?query".
  const anchored = re.endsWith("$") ? `${re.slice(0, -1)}(?:\\?.*)?$` : re;
  const qs = repl.endsWith("?") ? repl.slice(0, -1) : repl;
  if (flag === "permanent" || flag === "redirect") {
    ctx.plan.redirects.push({ regex: anchored, target: qs, status: flag === "permanent" ? 301 : 302 });
    return rep(
      ctx,
      d,
      "approximated",
      `url.redirect = ("${anchored}" => "${qs}") code ${flag === "permanent" ? 301 : 302}: lighttpd matches the url-encoded path, nginx the decoded one${repl.endsWith("?") ? "" : "; the query string is not appended by lighttpd (nginx appends it)"}`,
    );
  }
  if (flag === undefined || flag === "last" || flag === "break") {
    ctx.plan.rewrites.push({ regex: anchored, target: qs, ifNotFile: false });
    return rep(
      ctx,
      d,
      "approximated",
      `url.rewrite-once = ("${anchored}" => "${qs}"): lighttpd matches the url-encoded path and replaces the query string too (nginx keeps it unless the replacement has "?")`,
    );
  }
  rep(ctx, d, "unsupported", `rewrite flag ${flag} is not converted`);
}
